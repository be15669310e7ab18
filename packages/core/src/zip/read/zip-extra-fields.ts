import { quoteInput } from '../../errors.js'
import { zipStructureError, zipUnsupportedError } from './zip-reader-errors.js'

/** An extra-field block split into id → data, or why it could not be split. */
export type ParsedExtraFields =
  | { readonly fields: ReadonlyMap<number, Buffer>; readonly malformed?: undefined }
  | { readonly fields?: undefined; readonly malformed: string }

/**
 * Splits an extra-field block into id → data. A block is malformed when a
 * field runs past its end, when one id appears twice (readers disagree on
 * which copy counts: some keep the first, some the last), or when anything but
 * up to three zero bytes of padding follows the last field.
 */
export function parseExtraFields(block: Buffer): ParsedExtraFields {
  const fields = new Map<number, Buffer>()
  let at = 0
  while (at + 4 <= block.length) {
    const id = block.readUInt16LE(at)
    const length = block.readUInt16LE(at + 2)
    if (at + 4 + length > block.length) {
      return {
        malformed: `its extra field ${formatHex16(id)} at byte ${at} of the block runs past the block's ${block.length} bytes`,
      }
    }
    if (fields.has(id)) return { malformed: `extra field ${formatHex16(id)} appears twice` }
    fields.set(id, block.subarray(at + 4, at + 4 + length))
    at += 4 + length
  }
  // Some writers pad the block with up to three zero bytes; anything else is malformed.
  if (at < block.length && block.subarray(at).some((byte) => byte !== 0)) {
    return {
      malformed: `${block.length - at} stray bytes follow its last extra field`,
    }
  }
  return { fields }
}

/** An extra-field id as `0x` and 4 lowercase hex digits. */
export function formatHex16(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`
}

/**
 * Returns a function that reads the next value of a ZIP64 extra field, in the
 * order the format fixes (8-byte uncompressed size, compressed size and local
 * header offset, then the 4-byte starting disk number).
 *
 * @throws PackwrightError `ZIP_HEADER_MISMATCH` when the field is missing or too short; `ZIP_UNSUPPORTED` beyond 2^53.
 */
export function zip64FieldReader(
  extra: Buffer | undefined,
  name: string,
  where: string,
): (field: string, bytes?: 4 | 8) => number {
  let at = 0
  return (field, bytes = 8) => {
    if (extra === undefined || at + bytes > extra.length) {
      throw zipStructureError(
        'ZIP_HEADER_MISMATCH',
        `Entry ${quoteInput(name)} marks its ${field} as ZIP64 in the ${where}, but its ZIP64 extra field ${extra === undefined ? 'is missing' : 'is too short'}.`,
        name,
      )
    }
    const value =
      bytes === 4
        ? extra.readUInt32LE(at)
        : readZip64Value(extra, at, `the ${field} of ${quoteInput(name)}`)
    at += bytes
    return value
  }
}

/**
 * Reads a little-endian 8-byte value as a number.
 *
 * @throws PackwrightError `ZIP_UNSUPPORTED` when it is beyond 2^53 (`what` names it).
 */
export function readZip64Value(buffer: Buffer, offset: number, what: string): number {
  const value = buffer.readBigUInt64LE(offset)
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw zipUnsupportedError(`${what} is ${value}, beyond what can be addressed (2^53).`)
  }
  return Number(value)
}

/**
 * Extra fields holding compressed host metadata (OS/2 extended attributes,
 * ACLs, Macintosh, BeOS and AtheOS attributes, NT security descriptors) that
 * Info-ZIP `unzip -t` inflates and checks, failing the whole archive when one
 * is short or corrupt. This reader cannot check them, so it refuses them.
 */
const CHECKED_METADATA_EXTRA_FIELDS: ReadonlyMap<number, string> = new Map([
  [0x0009, 'OS/2 extended attributes'],
  [0x334d, 'Macintosh attributes'],
  [0x4453, 'NT security descriptor'],
  [0x4c41, 'access control list'],
  [0x6542, 'BeOS attributes'],
  [0x7441, 'AtheOS attributes'],
])

/** Why one of `fields` (from the header `where`) is refused, or `undefined` when none is. */
export function findMetadataExtraFieldProblem(
  fields: ReadonlyMap<number, Buffer>,
  where: string,
): { readonly code: 'ZIP_UNSUPPORTED'; readonly reason: string } | undefined {
  for (const [id, label] of CHECKED_METADATA_EXTRA_FIELDS) {
    if (!fields.has(id)) continue
    return {
      code: 'ZIP_UNSUPPORTED',
      reason: `has a ${label} extra field (${formatHex16(id)}) in the ${where}, which unzip inflates and checks and this reader cannot; expected no such field`,
    }
  }
  return undefined
}
