import { type ErrorCode } from '../../errors.js'
import { type ZipEntryKind } from './zip-entry-info.js'
import { S_IFMT, unixTypeOf } from './zip-entry-type.js'
import { formatHex16 } from './zip-extra-fields.js'

/** PKWARE Unix extra field: atime, mtime, uid, gid, then a link target or device numbers. */
export const PKWARE_UNIX_EXTRA_FIELD_ID = 0x000d
/** ASi Unix extra field: CRC-32, mode, size or device, uid, gid, then a symlink target. */
export const ASI_UNIX_EXTRA_FIELD_ID = 0x756e

const PKWARE_FIXED_BYTES = 12
const ASI_FIXED_BYTES = 14

/**
 * Finds what the Unix extra fields of one header say that the entry itself
 * does not: a link target (or device numbers) outside the entry's data, which
 * some extractors would use instead of the data, or a file type that differs
 * from the entry's. We never honour those fields, so an entry carrying them
 * with content is refused rather than judged one way and extracted another.
 *
 * @param where which header holds `fields` ("central directory", "local header").
 */
export function findUnixExtraFieldProblem(
  fields: ReadonlyMap<number, Buffer>,
  kind: ZipEntryKind,
  where: string,
): { readonly code: ErrorCode; readonly reason: string } | undefined {
  const pkware = fields.get(PKWARE_UNIX_EXTRA_FIELD_ID)
  if (pkware !== undefined) {
    const label = `PKWARE Unix extra field (${formatHex16(PKWARE_UNIX_EXTRA_FIELD_ID)}) in the ${where}`
    if (pkware.length < PKWARE_FIXED_BYTES)
      return malformed(label, pkware.length, PKWARE_FIXED_BYTES)
    if (pkware.length > PKWARE_FIXED_BYTES) return target(label, pkware.length - PKWARE_FIXED_BYTES)
  }
  const asi = fields.get(ASI_UNIX_EXTRA_FIELD_ID)
  if (asi !== undefined) {
    const label = `ASi Unix extra field (${formatHex16(ASI_UNIX_EXTRA_FIELD_ID)}) in the ${where}`
    if (asi.length < ASI_FIXED_BYTES) return malformed(label, asi.length, ASI_FIXED_BYTES)
    if (asi.length > ASI_FIXED_BYTES) return target(label, asi.length - ASI_FIXED_BYTES)
    const type = asi.readUInt16LE(4) & S_IFMT
    if (type !== 0 && type !== unixTypeOf(kind)) {
      return {
        code: 'ZIP_ENTRY_TYPE_CONFLICT',
        reason: `is a ${kind}, but its ${label} gives file type 0o${type.toString(8).padStart(6, '0')}; expected the types to agree`,
      }
    }
  }
  return undefined
}

function malformed(
  label: string,
  length: number,
  expected: number,
): { code: ErrorCode; reason: string } {
  return {
    code: 'ZIP_HEADER_MISMATCH',
    reason: `has a ${length}-byte ${label}; expected at least ${expected} bytes`,
  }
}

function target(label: string, extra: number): { code: ErrorCode; reason: string } {
  return {
    code: 'ZIP_ENTRY_LINK_TARGET_AMBIGUOUS',
    reason: `has a ${label} carrying ${extra} bytes of link target or device data; a link target may only be the entry's own data`,
  }
}
