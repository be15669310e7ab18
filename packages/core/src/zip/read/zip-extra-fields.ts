import { quoteInput } from '../../errors.js'
import { zipStructureError, zipUnsupportedError } from './zip-reader-errors.js'

/** Splits an extra-field block into id → data; undefined when a field runs past the block. */
export function parseExtraFields(block: Buffer): Map<number, Buffer> | undefined {
  const fields = new Map<number, Buffer>()
  let at = 0
  while (at + 4 <= block.length) {
    const id = block.readUInt16LE(at)
    const length = block.readUInt16LE(at + 2)
    if (at + 4 + length > block.length) return undefined
    if (!fields.has(id)) fields.set(id, block.subarray(at + 4, at + 4 + length))
    at += 4 + length
  }
  // Some writers pad the block with up to three zero bytes; anything else is malformed.
  if (at < block.length && block.subarray(at).some((byte) => byte !== 0)) return undefined
  return fields
}

/**
 * Returns a function that reads the next 8-byte value of a ZIP64 extra field,
 * in the order the format fixes (uncompressed, compressed, offset).
 *
 * @throws PackwrightError `ZIP_HEADER_MISMATCH` when the field is missing or too short; `ZIP_UNSUPPORTED` beyond 2^53.
 */
export function zip64FieldReader(
  extra: Buffer | undefined,
  name: string,
  where: string,
): (field: string) => number {
  let at = 0
  return (field) => {
    if (extra === undefined || at + 8 > extra.length) {
      throw zipStructureError(
        'ZIP_HEADER_MISMATCH',
        `Entry ${quoteInput(name)} marks its ${field} as ZIP64 in the ${where}, but its ZIP64 extra field ${extra === undefined ? 'is missing' : 'is too short'}.`,
        name,
      )
    }
    const value = readZip64Value(extra, at, `the ${field} of ${quoteInput(name)}`)
    at += 8
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
