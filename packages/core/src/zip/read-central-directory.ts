import { type ErrorCode, PackwrightError, quoteInput } from '../errors.js'
import {
  CENTRAL_DIRECTORY_HEADER_SIGNATURE,
  END_OF_CENTRAL_DIRECTORY_SIGNATURE,
  LOCAL_FILE_HEADER_SIGNATURE,
  MADE_BY_UNIX,
  S_IFLNK,
  ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR_SIGNATURE,
  ZIP64_END_OF_CENTRAL_DIRECTORY_SIGNATURE,
  ZIP64_EXTRA_FIELD_ID,
} from './zip-constants.js'
import { type ZipEntryKind } from './zip-entry-info.js'
import { UNICODE_PATH_EXTRA_FIELD_ID, decodeZipEntryName } from './zip-entry-name.js'
import { type ZipLimits } from './zip-limits.js'
import { DATA_READ_BYTES, type ZipReaderFile } from './zip-reader-file.js'
import { throwIfZipReadAborted } from './zip-reader-errors.js'

/** Longest entry name accepted, in bytes (Linux PATH_MAX). */
export const MAX_ENTRY_NAME_BYTES = 4096

const EOCD_SIZE = 22
const ZIP64_LOCATOR_SIZE = 20
const ZIP64_EOCD_MIN_SIZE = 56
const CENTRAL_HEADER_SIZE = 46
const MAX_COMMENT = 0xffff
const U16_MAX = 0xffff
const U32_MAX = 0xffffffff
/** Flag bits that mean the entry data is encrypted (traditional, strong, central-directory encryption). */
const ENCRYPTION_FLAGS = 0x0001 | 0x0040 | 0x2000

/** One central directory record, decoded. */
export interface CentralRecord {
  readonly index: number
  readonly rawName: Buffer
  readonly name: string
  /** The name is flagged UTF-8 but is not valid UTF-8. */
  readonly invalidUtf8: boolean
  readonly kind: ZipEntryKind
  readonly versionMadeBy: number
  readonly flags: number
  readonly method: number
  readonly crc32: number
  readonly compressedSize: number
  readonly uncompressedSize: number
  readonly externalAttributes: number
  readonly mode: number
  readonly localHeaderOffset: number
  readonly zip64: boolean
  readonly encrypted: boolean
}

/** The central directory and where the archive's trailing records sit. */
export interface CentralDirectory {
  readonly records: CentralRecord[]
  /** Offset of the first central directory record. */
  readonly start: number
  /** Offset just past the last central directory record. */
  readonly end: number
  /** Offset of the ZIP64 end record when present, else of the end-of-central-directory record. */
  readonly trailerStart: number
  readonly declaredTotalUncompressedBytes: number
}

/**
 * Finds the end-of-central-directory record (and its ZIP64 form), enforces
 * the entry-count and central-directory limits before reading any record,
 * then reads every central record and enforces the declared total size and
 * compression ratio limits.
 *
 * @throws PackwrightError `ZIP_NOT_A_ZIP`, `ZIP_TRUNCATED`, `ZIP_UNSUPPORTED`, `ZIP_HEADER_MISMATCH`,
 *   `ZIP_ENTRY_OVERLAP`, `ZIP_ENTRY_PATH_TOO_LONG`, `ZIP_TOO_MANY_ENTRIES`, `ZIP_TOO_LARGE`,
 *   `ZIP_COMPRESSION_RATIO_EXCEEDED`, `ZIP_READ_FAILED`, `ABORTED`.
 */
export async function readCentralDirectory(
  file: ZipReaderFile,
  limits: ZipLimits,
  signal?: AbortSignal,
): Promise<CentralDirectory> {
  throwIfZipReadAborted(signal, file.path)
  const eocdOffset = await findEndOfCentralDirectory(file)
  const eocd = await file.read(eocdOffset, EOCD_SIZE, 'The end-of-central-directory record')
  let diskNumber = eocd.readUInt16LE(4)
  let centralDisk = eocd.readUInt16LE(6)
  let diskEntries = eocd.readUInt16LE(8)
  let totalEntries = eocd.readUInt16LE(10)
  let size = eocd.readUInt32LE(12)
  let start = eocd.readUInt32LE(16)
  let trailerStart = eocdOffset

  const locatorOffset = eocdOffset - ZIP64_LOCATOR_SIZE
  const locator =
    locatorOffset >= 0
      ? await file.read(locatorOffset, ZIP64_LOCATOR_SIZE, 'The ZIP64 locator')
      : undefined
  if (locator?.readUInt32LE(0) === ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR_SIGNATURE) {
    const zip64Disk = locator.readUInt32LE(4)
    const zip64Offset = readU64(locator, 8, 'the ZIP64 end record offset')
    const diskCount = locator.readUInt32LE(16)
    if (zip64Disk !== 0 || diskCount > 1)
      throw unsupported('it spans several disks (split archives are not supported).')
    if (zip64Offset + ZIP64_EOCD_MIN_SIZE > locatorOffset) {
      throw structural(
        'ZIP_HEADER_MISMATCH',
        `The ZIP64 locator points at offset ${zip64Offset}, where no ZIP64 end record fits before the locator at ${locatorOffset}.`,
      )
    }
    const record = await file.read(
      zip64Offset,
      ZIP64_EOCD_MIN_SIZE,
      'The ZIP64 end-of-central-directory record',
    )
    if (record.readUInt32LE(0) !== ZIP64_END_OF_CENTRAL_DIRECTORY_SIGNATURE) {
      throw structural(
        'ZIP_HEADER_MISMATCH',
        `Expected the ZIP64 end-of-central-directory record at offset ${zip64Offset} (named by the ZIP64 locator), found ${hex32(record.readUInt32LE(0))}.`,
      )
    }
    const recordEnd = zip64Offset + 12 + readU64(record, 4, 'the ZIP64 end record size')
    if (recordEnd !== locatorOffset) {
      throw structural(
        'ZIP_HEADER_MISMATCH',
        `The ZIP64 end-of-central-directory record at ${zip64Offset} ends at ${recordEnd}, expected it to end where the locator starts (${locatorOffset}).`,
      )
    }
    const zip64 = {
      diskNumber: record.readUInt32LE(16),
      centralDisk: record.readUInt32LE(20),
      diskEntries: readU64(record, 24, 'the ZIP64 entry count'),
      totalEntries: readU64(record, 32, 'the ZIP64 entry count'),
      size: readU64(record, 40, 'the ZIP64 central directory size'),
      start: readU64(record, 48, 'the ZIP64 central directory offset'),
    }
    const pairs: [string, number, number, number][] = [
      ['entry count', totalEntries, U16_MAX, zip64.totalEntries],
      ['entry count on this disk', diskEntries, U16_MAX, zip64.diskEntries],
      ['central directory size', size, U32_MAX, zip64.size],
      ['central directory offset', start, U32_MAX, zip64.start],
    ]
    for (const [field, classic, marker, wide] of pairs) {
      if (classic !== marker && classic !== wide) {
        throw structural(
          'ZIP_HEADER_MISMATCH',
          `The end-of-central-directory record gives ${field} ${classic} but the ZIP64 record gives ${wide}.`,
        )
      }
    }
    ;({ diskNumber, centralDisk, diskEntries, totalEntries, size, start } = zip64)
    trailerStart = zip64Offset
  }

  if (diskNumber !== 0 || centralDisk !== 0 || diskEntries !== totalEntries) {
    throw unsupported('it spans several disks (split archives are not supported).')
  }
  if (totalEntries > limits.maxEntries) {
    throw new PackwrightError(
      'ZIP_TOO_MANY_ENTRIES',
      `The zip declares ${totalEntries} entries; at most ${limits.maxEntries} are allowed.`,
      { details: { declared: totalEntries, limit: limits.maxEntries } },
    )
  }
  if (size > limits.maxCentralDirectoryBytes) {
    throw new PackwrightError(
      'ZIP_TOO_LARGE',
      `The zip's central directory is ${size} bytes; at most ${limits.maxCentralDirectoryBytes} are allowed.`,
      { details: { declared: size, limit: limits.maxCentralDirectoryBytes } },
    )
  }
  const end = start + size
  if (end > trailerStart) {
    throw end > file.size
      ? structural(
          'ZIP_TRUNCATED',
          `The central directory should span bytes ${start}..${end}, but the file is only ${file.size} bytes long.`,
        )
      : structural(
          'ZIP_ENTRY_OVERLAP',
          `The central directory (bytes ${start}..${end}) overlaps the end records starting at ${trailerStart}.`,
        )
  }
  if (size < totalEntries * CENTRAL_HEADER_SIZE) {
    throw structural(
      'ZIP_HEADER_MISMATCH',
      `The central directory is ${size} bytes, too small for the ${totalEntries} entries it declares.`,
    )
  }

  const records: CentralRecord[] = []
  let position = start
  let declaredTotal = 0
  for (let index = 0; index < totalEntries; index++) {
    if (index % 1024 === 0) throwIfZipReadAborted(signal, file.path)
    const record = await readCentralRecord(file, position, end, index, totalEntries)
    records.push(record.record)
    position = record.next
    declaredTotal += record.record.uncompressedSize
  }
  if (position !== end) {
    throw structural(
      'ZIP_HEADER_MISMATCH',
      `The central directory declares ${totalEntries} entries, which end at ${position}, but it is ${size} bytes long (ending at ${end}).`,
    )
  }

  if (declaredTotal > limits.maxTotalUncompressedBytes) {
    throw new PackwrightError(
      'ZIP_TOO_LARGE',
      `The zip's entries declare ${declaredTotal} uncompressed bytes in total; at most ${limits.maxTotalUncompressedBytes} are allowed.`,
      { details: { declared: declaredTotal, limit: limits.maxTotalUncompressedBytes } },
    )
  }
  for (const record of records) {
    const { uncompressedSize, compressedSize } = record
    if (
      uncompressedSize >= limits.ratioCheckMinBytes &&
      uncompressedSize > compressedSize * limits.maxCompressionRatio
    ) {
      throw new PackwrightError(
        'ZIP_COMPRESSION_RATIO_EXCEEDED',
        `Entry ${quoteInput(record.name)} declares ${uncompressedSize} bytes compressed into ${compressedSize} (ratio ${ratioText(uncompressedSize, compressedSize)}); the limit is ${limits.maxCompressionRatio} for entries of ${limits.ratioCheckMinBytes} bytes or more.`,
        {
          details: {
            entry: record.name,
            uncompressedSize,
            compressedSize,
            limit: limits.maxCompressionRatio,
          },
        },
      )
    }
  }
  return { records, start, end, trailerStart, declaredTotalUncompressedBytes: declaredTotal }
}

async function findEndOfCentralDirectory(file: ZipReaderFile): Promise<number> {
  const startsLikeZip =
    file.size >= 4 &&
    (await file.read(0, 4, 'The first local header')).readUInt32LE(0) ===
      LOCAL_FILE_HEADER_SIGNATURE
  if (file.size < EOCD_SIZE) {
    throw startsLikeZip
      ? structural(
          'ZIP_TRUNCATED',
          `The file is only ${file.size} bytes long: its end-of-central-directory record is missing.`,
        )
      : structural(
          'ZIP_NOT_A_ZIP',
          `The file is only ${file.size} bytes long, too short for a zip (at least ${EOCD_SIZE}).`,
        )
  }
  const tailLength = Math.min(file.size, EOCD_SIZE + MAX_COMMENT)
  const tailStart = file.size - tailLength
  const tail = await file.read(tailStart, tailLength, 'The end of the file', tailLength)
  let trailing: number | undefined
  for (let at = tailLength - EOCD_SIZE; at >= 0; at--) {
    if (tail.readUInt32LE(at) !== END_OF_CENTRAL_DIRECTORY_SIGNATURE) continue
    const recordEnd = at + EOCD_SIZE + tail.readUInt16LE(at + 20)
    if (recordEnd === tailLength) return tailStart + at
    const cdEnd = tail.readUInt32LE(at + 16) + tail.readUInt32LE(at + 12)
    const plausible = cdEnd === tailStart + at || tail.readUInt32LE(at + 16) === U32_MAX
    if (plausible && recordEnd < tailLength) trailing ??= tailLength - recordEnd
  }
  if (trailing !== undefined) {
    throw structural(
      'ZIP_NOT_A_ZIP',
      `${trailing} unexpected bytes follow the end-of-central-directory record; a zip must end with that record and its comment.`,
    )
  }
  throw startsLikeZip
    ? structural(
        'ZIP_TRUNCATED',
        `The file starts like a zip but has no end-of-central-directory record in its last ${tailLength} bytes: it is truncated.`,
      )
    : structural(
        'ZIP_NOT_A_ZIP',
        'No end-of-central-directory record found: the file is not a zip.',
      )
}

async function readCentralRecord(
  file: ZipReaderFile,
  offset: number,
  end: number,
  index: number,
  declared: number,
): Promise<{ record: CentralRecord; next: number }> {
  if (offset + CENTRAL_HEADER_SIZE > end) {
    throw structural(
      'ZIP_HEADER_MISMATCH',
      `The central directory ends at ${end} after ${index} records, but ${declared} are declared.`,
    )
  }
  const header = await file.read(
    offset,
    CENTRAL_HEADER_SIZE,
    `Central directory record ${index}`,
    DATA_READ_BYTES,
  )
  const signature = header.readUInt32LE(0)
  if (signature !== CENTRAL_DIRECTORY_HEADER_SIGNATURE) {
    throw structural(
      'ZIP_HEADER_MISMATCH',
      `Expected central directory record ${index} at offset ${offset}, found ${hex32(signature)}.`,
    )
  }
  const versionMadeBy = header.readUInt16LE(4)
  const flags = header.readUInt16LE(8)
  const method = header.readUInt16LE(10)
  const crc32 = header.readUInt32LE(16)
  let compressedSize = header.readUInt32LE(20)
  let uncompressedSize = header.readUInt32LE(24)
  const nameLength = header.readUInt16LE(28)
  const extraLength = header.readUInt16LE(30)
  const commentLength = header.readUInt16LE(32)
  const diskStart = header.readUInt16LE(34)
  const externalAttributes = header.readUInt32LE(38)
  let localHeaderOffset = header.readUInt32LE(42)
  const next = offset + CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength
  if (next > end) {
    throw structural(
      'ZIP_HEADER_MISMATCH',
      `Central directory record ${index} at offset ${offset} runs to ${next}, past the end of the central directory at ${end}.`,
    )
  }
  const variable = await file.read(
    offset + CENTRAL_HEADER_SIZE,
    nameLength + extraLength,
    `Central directory record ${index}`,
    DATA_READ_BYTES,
  )
  const rawName = Buffer.from(variable.subarray(0, nameLength))
  const extras = parseExtraFields(variable.subarray(nameLength))
  const decoded = decodeZipEntryName(rawName, flags, extras?.get(UNICODE_PATH_EXTRA_FIELD_ID))
  const name = decoded.name
  if (extras === undefined) {
    throw structural(
      'ZIP_HEADER_MISMATCH',
      `Entry ${quoteInput(name)} has a malformed extra field in the central directory.`,
      name,
    )
  }
  if (nameLength > MAX_ENTRY_NAME_BYTES) {
    throw structural(
      'ZIP_ENTRY_PATH_TOO_LONG',
      `Entry ${quoteInput(name)} has a ${nameLength}-byte name; at most ${MAX_ENTRY_NAME_BYTES} bytes are allowed.`,
      name,
    )
  }

  const zip64Extra = extras.get(ZIP64_EXTRA_FIELD_ID)
  const zip64 =
    uncompressedSize === U32_MAX ||
    compressedSize === U32_MAX ||
    localHeaderOffset === U32_MAX ||
    diskStart === U16_MAX
  if (zip64) {
    const reader = zip64FieldReader(zip64Extra, name, 'central directory')
    if (uncompressedSize === U32_MAX) uncompressedSize = reader('uncompressed size')
    if (compressedSize === U32_MAX) compressedSize = reader('compressed size')
    if (localHeaderOffset === U32_MAX) localHeaderOffset = reader('local header offset')
  }
  if (diskStart !== 0 && diskStart !== U16_MAX) {
    throw unsupported(
      `entry ${quoteInput(name)} starts on disk ${diskStart} (split archives are not supported).`,
      name,
    )
  }

  const unixMode = versionMadeBy >>> 8 === MADE_BY_UNIX ? externalAttributes >>> 16 : 0
  const kind: ZipEntryKind = name.endsWith('/')
    ? 'directory'
    : (unixMode & 0o170000) === S_IFLNK
      ? 'symlink'
      : 'file'
  const permissions = unixMode & 0o7777
  const mode = permissions !== 0 ? permissions : kind === 'directory' ? 0o755 : 0o644
  return {
    record: {
      index,
      rawName,
      name,
      invalidUtf8: decoded.invalidUtf8,
      kind,
      versionMadeBy,
      flags,
      method,
      crc32,
      compressedSize,
      uncompressedSize,
      externalAttributes,
      mode,
      localHeaderOffset,
      zip64: zip64 || zip64Extra !== undefined,
      encrypted: (flags & ENCRYPTION_FLAGS) !== 0,
    },
    next,
  }
}

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
      throw structural(
        'ZIP_HEADER_MISMATCH',
        `Entry ${quoteInput(name)} marks its ${field} as ZIP64 in the ${where}, but its ZIP64 extra field ${extra === undefined ? 'is missing' : 'is too short'}.`,
        name,
      )
    }
    const value = readU64(extra, at, `the ${field} of ${quoteInput(name)}`)
    at += 8
    return value
  }
}

function readU64(buffer: Buffer, offset: number, what: string): number {
  const value = buffer.readBigUInt64LE(offset)
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw unsupported(`${what} is ${value}, beyond what can be addressed (2^53).`)
  }
  return Number(value)
}

function structural(code: ErrorCode, message: string, entry?: string): PackwrightError {
  return new PackwrightError(code, message, { details: entry === undefined ? {} : { entry } })
}

function unsupported(reason: string, entry?: string): PackwrightError {
  return structural('ZIP_UNSUPPORTED', `This zip cannot be read: ${reason}`, entry)
}

function hex32(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`
}

function ratioText(uncompressed: number, compressed: number): string {
  return compressed === 0 ? 'unbounded' : (uncompressed / compressed).toFixed(1)
}
