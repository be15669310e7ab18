import { PackwrightError, quoteInput } from '../../errors.js'
import { readEndOfCentralDirectory } from './read-end-of-central-directory.js'
import { CENTRAL_DIRECTORY_HEADER_SIGNATURE, ZIP64_EXTRA_FIELD_ID } from '../zip-constants.js'
import { type ZipProblem } from './validate-zip-report.js'
import { type ZipEntryKind } from './zip-entry-info.js'
import {
  type DecodedZipEntryName,
  UNICODE_PATH_EXTRA_FIELD_ID,
  decodeZipEntryName,
  resolveUnicodePath,
} from './zip-entry-name.js'
import { judgeZipEntryType } from './zip-entry-type.js'
import { type ZipLimits } from './zip-limits.js'
import { DATA_READ_BYTES, type ZipReaderFile } from './zip-reader-file.js'
import {
  findMetadataExtraFieldProblem,
  parseExtraFields,
  zip64FieldReader,
} from './zip-extra-fields.js'
import { findUnixExtraFieldProblem } from './zip-unix-extra-fields.js'
import { findVersionNeededProblem } from './zip-version-needed.js'
import {
  formatHex32,
  throwIfZipReadAborted,
  zipStructureError,
  zipUnsupportedError,
} from './zip-reader-errors.js'

/** Longest entry name accepted, in bytes (Linux PATH_MAX). */
export const MAX_ENTRY_NAME_BYTES = 4096
/** Longest part of an entry name between slashes, in bytes (NAME_MAX of Linux, macOS and Windows file systems). */
export const MAX_NAME_COMPONENT_BYTES = 255

const CENTRAL_HEADER_SIZE = 46
const NO_PROBLEMS: ZipProblem[] = []
const U16_MAX = 0xffff
const U32_MAX = 0xffffffff
/** Flag bits that mean the entry data is encrypted (traditional, strong, central-directory encryption). */
const ENCRYPTION_FLAGS = 0x0001 | 0x0040 | 0x2000
/** Internal attribute bits understood: bit 0 marks text, which extractors may only use to convert line ends. */
const KNOWN_INTERNAL_ATTRIBUTES = 0x0001

/** One central directory record, decoded. */
export interface CentralRecord {
  readonly index: number
  readonly rawName: Buffer
  /** The name the entry goes by: the stored name decoded, or the Unicode Path field's spelling of it. */
  readonly name: string
  /** The stored name decoded (before any Unicode Path field), kept so the local header check need not decode it again. */
  readonly decoded: DecodedZipEntryName
  /** The name is flagged UTF-8 but is not valid UTF-8. */
  readonly invalidUtf8: boolean
  readonly kind: ZipEntryKind
  readonly versionMadeBy: number
  /** "Version needed to extract" (host byte and version). */
  readonly versionNeeded: number
  /** The record carries a host-metadata extra field this reader refuses (see `findMetadataExtraFieldProblem`). */
  readonly metadataExtraField: boolean
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
  /** What is wrong with this entry's name, type or extra fields; its bytes may still be read. */
  readonly problems: readonly ZipProblem[]
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
 * Per-entry problems of names, types, attributes, versions and extra fields
 * (`ZIP_ENTRY_NAME_AMBIGUOUS`, `ZIP_ENTRY_TYPE_UNSUPPORTED`, `ZIP_ENTRY_TYPE_CONFLICT`,
 * `ZIP_ENTRY_LINK_TARGET_AMBIGUOUS`, `ZIP_UNSUPPORTED`, `ZIP_ENTRY_PATH_TOO_LONG` for a name part
 * beyond 255 bytes) are kept in each record's `problems`.
 *
 * @throws PackwrightError `ZIP_NOT_A_ZIP`, `ZIP_TRUNCATED`, `ZIP_UNSUPPORTED`, `ZIP_HEADER_MISMATCH`,
 *   `ZIP_ENTRY_OVERLAP`, `ZIP_UNACCOUNTED_BYTES`, `ZIP_ENTRY_PATH_TOO_LONG`, `ZIP_TOO_MANY_ENTRIES`, `ZIP_TOO_LARGE`,
 *   `ZIP_COMPRESSION_RATIO_EXCEEDED`, `ZIP_READ_FAILED`, `ABORTED`.
 */
export async function readCentralDirectory(
  file: ZipReaderFile,
  limits: ZipLimits,
  signal?: AbortSignal,
): Promise<CentralDirectory> {
  throwIfZipReadAborted(signal, file.path)
  const { totalEntries, size, start, trailerStart } = await readEndOfCentralDirectory(file)
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
  if (end < trailerStart) {
    throw zipStructureError(
      'ZIP_UNACCOUNTED_BYTES',
      `Bytes ${end}..${trailerStart} (${trailerStart - end} bytes) between the central directory and the end records belong to no record; every byte of a zip must belong to an entry, the central directory or the end records.`,
    )
  }
  if (end > trailerStart) {
    throw end > file.size
      ? zipStructureError(
          'ZIP_TRUNCATED',
          `The central directory should span bytes ${start}..${end}, but the file is only ${file.size} bytes long.`,
        )
      : zipStructureError(
          'ZIP_ENTRY_OVERLAP',
          `The central directory (bytes ${start}..${end}) overlaps the end records starting at ${trailerStart}.`,
        )
  }
  if (size < totalEntries * CENTRAL_HEADER_SIZE) {
    throw zipStructureError(
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
    throw zipStructureError(
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

async function readCentralRecord(
  file: ZipReaderFile,
  offset: number,
  end: number,
  index: number,
  declared: number,
): Promise<{ record: CentralRecord; next: number }> {
  if (offset + CENTRAL_HEADER_SIZE > end) {
    throw zipStructureError(
      'ZIP_HEADER_MISMATCH',
      `The central directory ends at ${end} after ${index} records, but ${declared} are declared.`,
    )
  }
  // Records are read from the cached window without an await while it holds them.
  const header =
    file.cached(offset, CENTRAL_HEADER_SIZE) ??
    (await file.read(
      offset,
      CENTRAL_HEADER_SIZE,
      `Central directory record ${index}`,
      DATA_READ_BYTES,
    ))
  const signature = header.readUInt32LE(0)
  if (signature !== CENTRAL_DIRECTORY_HEADER_SIGNATURE) {
    throw zipStructureError(
      'ZIP_HEADER_MISMATCH',
      `Expected central directory record ${index} at offset ${offset}, found ${formatHex32(signature)}.`,
    )
  }
  const versionMadeBy = header.readUInt16LE(4)
  const versionNeeded = header.readUInt16LE(6)
  const flags = header.readUInt16LE(8)
  const method = header.readUInt16LE(10)
  const crc32 = header.readUInt32LE(16)
  let compressedSize = header.readUInt32LE(20)
  let uncompressedSize = header.readUInt32LE(24)
  const nameLength = header.readUInt16LE(28)
  const extraLength = header.readUInt16LE(30)
  const commentLength = header.readUInt16LE(32)
  const diskStart = header.readUInt16LE(34)
  const internalAttributes = header.readUInt16LE(36)
  const externalAttributes = header.readUInt32LE(38)
  let localHeaderOffset = header.readUInt32LE(42)
  const next = offset + CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength
  if (next > end) {
    throw zipStructureError(
      'ZIP_HEADER_MISMATCH',
      `Central directory record ${index} at offset ${offset} runs to ${next}, past the end of the central directory at ${end}.`,
    )
  }
  const variable =
    file.cached(offset + CENTRAL_HEADER_SIZE, nameLength + extraLength) ??
    (await file.read(
      offset + CENTRAL_HEADER_SIZE,
      nameLength + extraLength,
      `Central directory record ${index}`,
      DATA_READ_BYTES,
    ))
  // A view, not a copy: the reader never reuses a buffer it has returned, and the
  // central directory's size is bounded by limits.maxCentralDirectoryBytes.
  const rawName = variable.subarray(0, nameLength)
  const decoded = decodeZipEntryName(rawName, flags)
  const { fields: extras, malformed } = parseExtraFields(variable.subarray(nameLength))
  if (extras === undefined) {
    throw zipStructureError(
      'ZIP_HEADER_MISMATCH',
      `Entry ${quoteInput(decoded.name)} has a malformed extra-field block in the central directory: ${malformed}.`,
      decoded.name,
    )
  }
  // Most records have no problem: they share one empty list.
  let problems: ZipProblem[] = NO_PROBLEMS
  const report = (problem: ZipProblem): void => {
    if (problems === NO_PROBLEMS) problems = []
    problems.push(problem)
  }
  const where = 'central directory'
  const resolved = resolveUnicodePath(
    rawName,
    flags,
    decoded,
    extras.get(UNICODE_PATH_EXTRA_FIELD_ID),
    where,
  )
  const name = resolved.name ?? decoded.name
  if (resolved.problem !== undefined) {
    report({
      code: 'ZIP_ENTRY_NAME_AMBIGUOUS',
      message: `Entry ${quoteInput(name)} ${resolved.problem}.`,
      entry: name,
    })
  }
  if (nameLength > MAX_ENTRY_NAME_BYTES) {
    throw zipStructureError(
      'ZIP_ENTRY_PATH_TOO_LONG',
      `Entry ${quoteInput(name)} has a ${nameLength}-byte name; at most ${MAX_ENTRY_NAME_BYTES} bytes are allowed.`,
      name,
    )
  }
  // A name that is the stored bytes read as valid UTF-8 has parts of the same byte lengths.
  const storedBytesAreName =
    name === decoded.name && !decoded.invalidUtf8 && decoded.legacyBytes !== true
  const component = storedBytesAreName
    ? longestComponent(rawName)
    : Math.max(longestComponent(rawName), longestUtf8Component(name))
  if (component > MAX_NAME_COMPONENT_BYTES) {
    report({
      code: 'ZIP_ENTRY_PATH_TOO_LONG',
      message: `Entry ${quoteInput(name)} has a ${component}-byte part between slashes, which no file system can create (extractors fail on it); at most ${MAX_NAME_COMPONENT_BYTES} bytes are allowed.`,
      entry: name,
    })
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
    if (diskStart === U16_MAX) {
      const disk = reader('starting disk number', 4)
      if (disk !== 0) {
        throw zipUnsupportedError(
          `entry ${quoteInput(name)} starts on disk ${disk}, given in its ZIP64 extra field (split archives are not supported).`,
          name,
        )
      }
    }
  }
  if (diskStart !== 0 && diskStart !== U16_MAX) {
    throw zipUnsupportedError(
      `entry ${quoteInput(name)} starts on disk ${diskStart} (split archives are not supported).`,
      name,
    )
  }

  const {
    kind,
    mode,
    problem: typeProblem,
  } = judgeZipEntryType(name, versionMadeBy, externalAttributes)
  const attributesProblem =
    (internalAttributes & ~KNOWN_INTERNAL_ATTRIBUTES) === 0
      ? undefined
      : {
          code: 'ZIP_UNSUPPORTED' as const,
          reason: `has internal attributes 0x${internalAttributes.toString(16).padStart(4, '0')} in the central directory; only bit 0 (text) is understood, and unzip extracts a symlink with bit 2 set as a file`,
        }
  const metadataProblem = findMetadataExtraFieldProblem(extras, where)
  for (const problem of [
    findVersionNeededProblem(versionNeeded, where),
    attributesProblem,
    typeProblem,
    findUnixExtraFieldProblem(extras, kind, where),
    metadataProblem,
  ]) {
    if (problem !== undefined) {
      report({
        code: problem.code,
        message: `Entry ${quoteInput(name)} ${problem.reason}.`,
        entry: name,
      })
    }
  }
  return {
    record: {
      index,
      rawName,
      name,
      decoded,
      invalidUtf8: decoded.invalidUtf8,
      kind,
      versionMadeBy,
      versionNeeded,
      metadataExtraField: metadataProblem !== undefined,
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
      problems,
    },
    next,
  }
}

function ratioText(uncompressed: number, compressed: number): string {
  return compressed === 0 ? 'unbounded' : (uncompressed / compressed).toFixed(1)
}

/** The longest `/`-separated part of `name` in UTF-8 bytes, counted without encoding it. */
function longestUtf8Component(name: string): number {
  let longest = 0
  let current = 0
  for (let at = 0; at < name.length; at++) {
    const unit = name.charCodeAt(at)
    if (unit === 0x2f) {
      longest = Math.max(longest, current)
      current = 0
    } else {
      // A surrogate pair is 4 bytes: 2 for each half.
      current += unit < 0x80 ? 1 : unit < 0x800 || (unit >= 0xd800 && unit <= 0xdfff) ? 2 : 3
    }
  }
  return Math.max(longest, current)
}

/** Length in bytes of the longest run between `/` bytes of a stored name. */
function longestComponent(name: Uint8Array): number {
  let longest = 0
  let start = 0
  for (let at = 0; at <= name.length; at++) {
    if (at === name.length || name[at] === 0x2f) {
      longest = Math.max(longest, at - start)
      start = at + 1
    }
  }
  return longest
}
