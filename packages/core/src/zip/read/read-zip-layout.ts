import { PackwrightError, quoteInput } from '../../errors.js'
import { type CentralRecord, readCentralDirectory } from './read-central-directory.js'
import { type ZipProblem } from './validate-zip-report.js'
import {
  DATA_DESCRIPTOR_SIGNATURE,
  FLAG_DATA_DESCRIPTOR,
  FLAG_UTF8,
  LOCAL_FILE_HEADER_SIGNATURE,
  ZIP64_EXTRA_FIELD_ID,
} from '../zip-constants.js'
import { type ZipEntryInfo } from './zip-entry-info.js'
import { UNICODE_PATH_EXTRA_FIELD_ID, resolveUnicodePath } from './zip-entry-name.js'
import {
  findMetadataExtraFieldProblem,
  parseExtraFields,
  zip64FieldReader,
} from './zip-extra-fields.js'
import { findUnixExtraFieldProblem } from './zip-unix-extra-fields.js'
import { findVersionNeededProblem } from './zip-version-needed.js'
import { type ZipLimits } from './zip-limits.js'
import { type ZipReaderFile } from './zip-reader-file.js'
import { formatHex32, throwIfZipReadAborted } from './zip-reader-errors.js'

const LOCAL_HEADER_SIZE = 30
const U32_MAX = 0xffffffff
/** Flag bits that must agree between a local header and its central record. */
const COMPARED_FLAGS = 0x0001 | FLAG_DATA_DESCRIPTOR | FLAG_UTF8

/** Where one entry's bytes sit, and what its local header says that it should not. */
interface LocalSpan {
  readonly dataOffset: number
  /** Possible ends of the entry (after its data descriptor), most likely first; one without a descriptor. */
  readonly ends: readonly number[]
  readonly problems: readonly ZipProblem[]
}

/** Every entry of a zip with its byte layout, plus the per-entry layout problems found. */
export interface ZipLayout {
  /** All entries in central-directory order; entries listed in `unreadable` have `dataOffset` and `endOffset` of -1. */
  readonly entries: ZipEntryInfo[]
  /**
   * Local-header, truncation, overlap, name, type and extra-field problems, one or more per
   * affected entry, and `ZIP_UNACCOUNTED_BYTES` for each byte range no record accounts for.
   */
  readonly problems: ZipProblem[]
  /** Indices of entries whose data must not be read (their layout is broken or ambiguous). */
  readonly unreadable: ReadonlySet<number>
  readonly declaredTotalUncompressedBytes: number
}

/**
 * Reads the central directory, then checks every local header (and data
 * descriptor) against its central record, checks that no two entries, and no
 * entry and the central directory, share bytes, and that the entries, the
 * central directory and the end records tile the file with no byte left over:
 * a streaming reader (Java's ZipInputStream, bsdtar) walks local headers from
 * byte 0 and would see entries hidden in such bytes that the central
 * directory does not list.
 *
 * @throws PackwrightError for archive-level failures (see `readCentralDirectory`); per-entry
 *   problems (`ZIP_HEADER_MISMATCH`, `ZIP_TRUNCATED`, `ZIP_ENTRY_OVERLAP`,
 *   `ZIP_ENTRY_PATH_NON_CANONICAL` for invalid UTF-8, `ZIP_ENTRY_NAME_AMBIGUOUS`,
 *   `ZIP_ENTRY_TYPE_UNSUPPORTED`, `ZIP_ENTRY_TYPE_CONFLICT`, `ZIP_ENTRY_LINK_TARGET_AMBIGUOUS`,
 *   `ZIP_UNSUPPORTED` for versions, attributes and extra fields extractors disagree on)
 *   and `ZIP_UNACCOUNTED_BYTES` are returned, not thrown.
 */
export async function readZipLayout(
  file: ZipReaderFile,
  limits: ZipLimits,
  signal?: AbortSignal,
): Promise<ZipLayout> {
  const directory = await readCentralDirectory(file, limits, signal)
  const problems: ZipProblem[] = []
  const unreadable = new Set<number>()
  const spans = new Map<number, LocalSpan>()

  for (const record of directory.records) {
    if (record.invalidUtf8) {
      problems.push({
        code: 'ZIP_ENTRY_PATH_NON_CANONICAL',
        message: `Entry ${quoteInput(record.name)} is flagged as UTF-8 but its name is not valid UTF-8.`,
        entry: record.name,
      })
    }
    problems.push(...record.problems)
  }

  const byOffset = [...directory.records].sort(
    (a, b) => a.localHeaderOffset - b.localHeaderOffset || a.index - b.index,
  )
  let count = 0
  for (const record of byOffset) {
    if (count++ % 1024 === 0) throwIfZipReadAborted(signal, file.path)
    try {
      const span = await readLocalSpan(file, record, directory.start)
      spans.set(record.index, span)
      problems.push(...span.problems)
    } catch (error) {
      if (!(error instanceof PackwrightError) || error.code === 'ZIP_READ_FAILED') throw error
      problems.push({ code: error.code, message: error.message, entry: record.name })
      unreadable.add(record.index)
    }
  }

  // Each entry's end is the candidate that meets the next entry (or the central directory).
  const ends = new Map<number, number>()
  byOffset.forEach((record, at) => {
    const span = spans.get(record.index)
    if (span === undefined) return
    const next = byOffset[at + 1]?.localHeaderOffset ?? directory.start
    ends.set(record.index, span.ends.find((end) => end === next) ?? (span.ends[0] as number))
  })

  let previous: { record: CentralRecord; endOffset: number } | undefined
  for (const record of byOffset) {
    const endOffset = ends.get(record.index)
    if (endOffset === undefined) continue
    if (previous !== undefined && previous.endOffset > record.localHeaderOffset) {
      problems.push({
        code: 'ZIP_ENTRY_OVERLAP',
        message: `Entry ${quoteInput(record.name)} starts at offset ${record.localHeaderOffset}, inside entry ${quoteInput(previous.record.name)} (bytes ${previous.record.localHeaderOffset}..${previous.endOffset}); entries must not share bytes.`,
        entry: record.name,
      })
      unreadable.add(record.index)
      unreadable.add(previous.record.index)
    }
    if (previous === undefined || endOffset > previous.endOffset) previous = { record, endOffset }
  }
  // Gaps can only be placed once every entry's bytes are known.
  if (ends.size === directory.records.length)
    problems.push(...(await findUnaccountedBytes(file, byOffset, ends, directory.start)))

  const entries = directory.records.map((record): ZipEntryInfo => {
    const span = unreadable.has(record.index) ? undefined : spans.get(record.index)
    const endOffset = span === undefined ? undefined : ends.get(record.index)
    return {
      index: record.index,
      name: record.name,
      kind: record.kind,
      method: record.method,
      flags: record.flags,
      versionMadeBy: record.versionMadeBy,
      externalAttributes: record.externalAttributes,
      compressedSize: record.compressedSize,
      uncompressedSize: record.uncompressedSize,
      crc32: record.crc32,
      mode: record.mode,
      localHeaderOffset: record.localHeaderOffset,
      dataOffset: span?.dataOffset ?? -1,
      endOffset: endOffset ?? -1,
      zip64: record.zip64,
      encrypted: record.encrypted,
    }
  })
  return {
    entries,
    problems,
    unreadable,
    declaredTotalUncompressedBytes: directory.declaredTotalUncompressedBytes,
  }
}

async function readLocalSpan(
  file: ZipReaderFile,
  record: CentralRecord,
  centralStart: number,
): Promise<LocalSpan> {
  const { name, localHeaderOffset: offset } = record
  // Quoted only when a message needs it: most entries have none.
  const quoted = (): string => quoteInput(name)
  if (offset + LOCAL_HEADER_SIZE > centralStart && offset + LOCAL_HEADER_SIZE <= file.size) {
    throw new PackwrightError(
      'ZIP_ENTRY_OVERLAP',
      `Entry ${quoted()} has its local header at offset ${offset}, inside the central directory (which starts at ${centralStart}).`,
    )
  }
  const header =
    file.cached(offset, LOCAL_HEADER_SIZE) ??
    (await file.read(offset, LOCAL_HEADER_SIZE, `The local header of entry ${quoted()}`))
  const signature = header.readUInt32LE(0)
  if (signature !== LOCAL_FILE_HEADER_SIGNATURE) {
    throw mismatch(
      name,
      `expected a local file header at offset ${offset}, found ${formatHex32(signature)}`,
    )
  }
  const versionNeeded = header.readUInt16LE(4)
  const flags = header.readUInt16LE(6)
  const method = header.readUInt16LE(8)
  const crc32 = header.readUInt32LE(14)
  let compressedSize = header.readUInt32LE(18)
  let uncompressedSize = header.readUInt32LE(22)
  const nameLength = header.readUInt16LE(26)
  const extraLength = header.readUInt16LE(28)
  if ((flags & COMPARED_FLAGS) !== (record.flags & COMPARED_FLAGS)) {
    throw mismatch(
      name,
      `local header flags are 0x${hex16(flags)}, central directory flags are 0x${hex16(record.flags)}`,
    )
  }
  if (method !== record.method) {
    throw mismatch(
      name,
      `local header gives compression method ${method}, central directory gives ${record.method}`,
    )
  }
  const variable =
    file.cached(offset + LOCAL_HEADER_SIZE, nameLength + extraLength) ??
    (await file.read(
      offset + LOCAL_HEADER_SIZE,
      nameLength + extraLength,
      `The local header of entry ${quoted()}`,
    ))
  const localName = variable.subarray(0, nameLength)
  if (!localName.equals(record.rawName)) {
    throw mismatch(name, `local header names it ${quoteInput(localName.toString('utf8'))}`)
  }
  const { fields: extras, malformed } = parseExtraFields(variable.subarray(nameLength))
  if (extras === undefined)
    throw mismatch(name, `its local header has a malformed extra-field block (${malformed})`)
  const problems = findLocalExtraFieldProblems(record, extras)
  // A version the central record already gives is reported once.
  const version =
    versionNeeded === record.versionNeeded
      ? undefined
      : findVersionNeededProblem(versionNeeded, 'local header')
  if (version !== undefined) {
    problems.push({
      code: version.code,
      message: `Entry ${quoted()} ${version.reason}.`,
      entry: name,
    })
  }
  const zip64Extra = extras.get(ZIP64_EXTRA_FIELD_ID)
  if (uncompressedSize === U32_MAX || compressedSize === U32_MAX) {
    const next = zip64FieldReader(zip64Extra, name, 'local header')
    if (uncompressedSize === U32_MAX) uncompressedSize = next('uncompressed size')
    if (compressedSize === U32_MAX) compressedSize = next('compressed size')
  }

  const usesDescriptor = (flags & FLAG_DATA_DESCRIPTOR) !== 0
  const fields: [string, number, number][] = [
    ['CRC-32', crc32, record.crc32],
    ['compressed size', compressedSize, record.compressedSize],
    ['uncompressed size', uncompressedSize, record.uncompressedSize],
  ]
  for (const [field, local, central] of fields) {
    // With a data descriptor the local header may carry zeros instead of the values.
    if (local !== central && !(usesDescriptor && local === 0)) {
      throw mismatch(
        name,
        `local header gives ${field} ${describe(field, local)}, central directory gives ${describe(field, central)}`,
      )
    }
  }

  const dataOffset = offset + LOCAL_HEADER_SIZE + nameLength + extraLength
  const dataEnd = dataOffset + record.compressedSize
  if (dataEnd > file.size) {
    throw new PackwrightError(
      'ZIP_TRUNCATED',
      `Entry ${quoted()} needs data bytes ${dataOffset}..${dataEnd}, but the file ends at ${file.size}.`,
    )
  }
  const ends = usesDescriptor
    ? (await readDataDescriptorLengths(file, record, dataEnd, zip64Extra !== undefined)).map(
        (length) => dataEnd + length,
      )
    : [dataEnd]
  const inside = ends.filter((end) => end <= centralStart)
  if (inside.length === 0) {
    throw new PackwrightError(
      'ZIP_ENTRY_OVERLAP',
      `Entry ${quoted()} occupies bytes ${offset}..${ends[0] ?? dataEnd}, running into the central directory at ${centralStart}.`,
    )
  }
  return { dataOffset, ends: inside, problems }
}

/** The local header's Unicode Path and Unix extra fields, judged against the central record. */
function findLocalExtraFieldProblems(
  record: CentralRecord,
  extras: ReadonlyMap<number, Buffer>,
): ZipProblem[] {
  const problems: ZipProblem[] = []
  const entry = record.name
  const resolved = resolveUnicodePath(
    record.rawName,
    record.flags,
    record.decoded,
    extras.get(UNICODE_PATH_EXTRA_FIELD_ID),
    'local header',
  )
  // A name the central directory already leaves unclear is reported once.
  const reported = record.problems.some((problem) => problem.code === 'ZIP_ENTRY_NAME_AMBIGUOUS')
  if (!reported && (resolved.problem !== undefined || resolved.name !== entry)) {
    const reason =
      resolved.problem ??
      `is named ${quoteInput(resolved.name ?? '')} by its local header's Unicode Path field but ${quoteInput(entry)} by the central directory; expected both to agree`
    problems.push({
      code: 'ZIP_ENTRY_NAME_AMBIGUOUS',
      message: `Entry ${quoteInput(entry)} ${reason}.`,
      entry,
    })
  }
  const header = 'local header'
  for (const problem of [
    findUnixExtraFieldProblem(extras, record.kind, header),
    // An entry the central record already refuses for such a field is reported once.
    record.metadataExtraField ? undefined : findMetadataExtraFieldProblem(extras, header),
  ]) {
    if (problem !== undefined) {
      problems.push({
        code: problem.code,
        message: `Entry ${quoteInput(entry)} ${problem.reason}.`,
        entry,
      })
    }
  }
  return problems
}

/**
 * Reports each byte range that neither an entry (local header, data, data
 * descriptor) nor the central directory covers, between byte 0 and the
 * central directory. `byOffset` is sorted by local header offset.
 */
async function findUnaccountedBytes(
  file: ZipReaderFile,
  byOffset: readonly CentralRecord[],
  ends: ReadonlyMap<number, number>,
  centralStart: number,
): Promise<ZipProblem[]> {
  const problems: ZipProblem[] = []
  let covered = 0
  const report = async (start: number, end: number, before: string): Promise<void> => {
    const head =
      end - start >= 4 ? (await file.read(start, 4, 'Unaccounted bytes')).readUInt32LE(0) : 0
    const hidden =
      head === LOCAL_FILE_HEADER_SIGNATURE
        ? ' They start with a local file header: streaming readers would extract an entry the central directory does not list.'
        : ''
    problems.push({
      code: 'ZIP_UNACCOUNTED_BYTES',
      message: `Bytes ${start}..${end} (${end - start} bytes, before ${before}) belong to no entry listed in the central directory; expected every byte up to the central directory to belong to a listed entry.${hidden}`,
    })
  }
  for (const record of byOffset) {
    if (record.localHeaderOffset > covered)
      await report(covered, record.localHeaderOffset, `entry ${quoteInput(record.name)}`)
    covered = Math.max(covered, ends.get(record.index) ?? covered)
  }
  if (centralStart > covered) await report(covered, centralStart, 'the central directory')
  return problems
}

/**
 * Finds the layouts of the data descriptor after an entry's data that agree
 * with the central record (with or without signature, 4- or 8-byte sizes);
 * returns their lengths, most likely first.
 */
async function readDataDescriptorLengths(
  file: ZipReaderFile,
  record: CentralRecord,
  at: number,
  preferWide: boolean,
): Promise<number[]> {
  const available = Math.min(24, file.size - at)
  if (available < 12) {
    throw new PackwrightError(
      'ZIP_TRUNCATED',
      `Entry ${quoteInput(record.name)} needs a data descriptor at offset ${at}, but the file ends at ${file.size}.`,
    )
  }
  const bytes = await file.read(
    at,
    available,
    `The data descriptor of entry ${quoteInput(record.name)}`,
  )
  const signed = bytes.readUInt32LE(0) === DATA_DESCRIPTOR_SIGNATURE
  const layouts: [number, boolean][] = []
  for (const skip of signed ? [4, 0] : [0]) {
    for (const wide of preferWide ? [true, false] : [false, true]) layouts.push([skip, wide])
  }
  const lengths: number[] = []
  for (const [skip, wide] of layouts) {
    const length = skip + 4 + (wide ? 16 : 8)
    if (length > bytes.length) continue
    const crc = bytes.readUInt32LE(skip)
    const compressed = wide ? Number(bytes.readBigUInt64LE(skip + 4)) : bytes.readUInt32LE(skip + 4)
    const uncompressed = wide
      ? Number(bytes.readBigUInt64LE(skip + 12))
      : bytes.readUInt32LE(skip + 8)
    if (
      crc === record.crc32 &&
      compressed === record.compressedSize &&
      uncompressed === record.uncompressedSize &&
      !lengths.includes(length)
    ) {
      lengths.push(length)
    }
  }
  if (lengths.length > 0) return lengths
  const skip = signed ? 4 : 0
  throw mismatch(
    record.name,
    `data descriptor at offset ${at} gives CRC-32 ${describe('CRC-32', bytes.readUInt32LE(skip))} and compressed size ${bytes.readUInt32LE(skip + 4)}, central directory gives ${describe('CRC-32', record.crc32)} and ${record.compressedSize}`,
  )
}

function mismatch(name: string, disagreement: string): PackwrightError {
  return new PackwrightError(
    'ZIP_HEADER_MISMATCH',
    `Entry ${quoteInput(name)}: ${disagreement}; the local header and the central directory must agree.`,
  )
}

function describe(field: string, value: number): string {
  return field === 'CRC-32' ? formatHex32(value) : String(value)
}

function hex16(value: number): string {
  return value.toString(16).padStart(4, '0')
}
