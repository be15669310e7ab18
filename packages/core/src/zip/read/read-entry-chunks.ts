import { type TransformOptions } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { type ZlibOptions, crc32, createInflateRaw } from 'node:zlib'

import { PackwrightError, quoteInput } from '../../errors.js'
import { METHOD_DEFLATE, METHOD_STORE } from '../zip-constants.js'
import { type ZipEntryInfo } from './zip-entry-info.js'
import { type ZipLimits } from './zip-limits.js'
import { DATA_READ_BYTES, type ZipReaderFile } from './zip-reader-file.js'
import { formatHex32, throwIfZipReadAborted } from './zip-reader-errors.js'

/** Size of the inflater's output chunks. */
const INFLATE_CHUNK_BYTES = 64 * 1024
/** Output the inflater may run ahead of its reader (lets inflating overlap hashing). */
const INFLATE_BUFFER_BYTES = 1024 * 1024
// Zlib streams pass stream options through to their Transform; the zlib typings omit them.
const INFLATER_OPTIONS: ZlibOptions & TransformOptions = {
  chunkSize: INFLATE_CHUNK_BYTES,
  readableHighWaterMark: INFLATE_BUFFER_BYTES,
}

/** A shared allowance of uncompressed bytes, drawn down by every entry read against it. */
export interface UncompressedBudget {
  remaining: number
}

export interface ReadEntryChunksOptions {
  readonly limits: ZipLimits
  readonly signal?: AbortSignal
  /** When given, reading fails with `ZIP_TOO_LARGE` as soon as the budget is spent. */
  readonly budget?: UncompressedBudget
}

/**
 * Yields an entry's uncompressed bytes, reading the compressed bytes in
 * bounded chunks and never trusting declared sizes: inflation stops as soon as
 * the output passes the declared size (or the budget), and the CRC-32 and
 * sizes are checked against the actual bytes at the end.
 *
 * @throws PackwrightError `ZIP_UNSUPPORTED`, `ZIP_ENTRY_SIZE_MISMATCH`, `ZIP_ENTRY_CRC_MISMATCH`,
 *   `ZIP_ENTRY_CORRUPT`, `ZIP_TOO_LARGE`, `ZIP_COMPRESSION_RATIO_EXCEEDED`, `ZIP_TRUNCATED`,
 *   `ZIP_READ_FAILED`, `ABORTED`.
 */
export async function* readEntryChunks(
  file: ZipReaderFile,
  entry: ZipEntryInfo,
  options: ReadEntryChunksOptions,
): AsyncGenerator<Buffer, void, undefined> {
  const { limits, signal, budget } = options
  const quoted = quoteInput(entry.name)
  throwIfZipReadAborted(signal, file.path)
  throwUnlessEntryReadable(entry)

  let produced = 0
  let checksum = 0
  const accept = (chunk: Buffer): void => {
    produced += chunk.length
    if (produced > entry.uncompressedSize) {
      throw sizeMismatch(
        entry,
        `inflates to more than its declared ${entry.uncompressedSize} bytes`,
      )
    }
    if (budget !== undefined) {
      budget.remaining -= chunk.length
      if (budget.remaining < 0) {
        throw uncompressedBudgetError(entry, limits)
      }
    }
    if (
      produced >= limits.ratioCheckMinBytes &&
      produced > entry.compressedSize * limits.maxCompressionRatio
    ) {
      throw new PackwrightError(
        'ZIP_COMPRESSION_RATIO_EXCEEDED',
        `Entry ${quoted} inflates ${entry.compressedSize} compressed bytes to more than ${produced}; the limit is a ratio of ${limits.maxCompressionRatio}.`,
        { details: { entry: entry.name, limit: limits.maxCompressionRatio } },
      )
    }
    checksum = crc32(chunk, checksum)
  }

  const source = readRange(file, entry, signal)
  if (entry.method === METHOD_STORE) {
    for await (const chunk of source) {
      accept(chunk)
      yield chunk
    }
  } else {
    const inflater = createInflateRaw(INFLATER_OPTIONS)
    const feeding = pipeline(source, inflater).then(
      () => undefined,
      (error: unknown) => error ?? new Error('inflate failed'),
    )
    try {
      // Leaving this loop early (a consumer that stops, a limit that throws)
      // destroys the inflater, which stops the reads feeding it.
      for await (const chunk of inflater as AsyncIterable<Buffer>) {
        accept(chunk)
        yield chunk
      }
    } catch (error) {
      throw inflateError(error, entry)
    }
    const feedError = await feeding
    if (feedError instanceof PackwrightError) throw feedError
    if (inflater.bytesWritten !== entry.compressedSize) {
      throw sizeMismatch(
        entry,
        `has a deflate stream that ends after ${inflater.bytesWritten} of its declared ${entry.compressedSize} compressed bytes`,
      )
    }
    if (feedError !== undefined) throw inflateError(feedError, entry)
  }

  if (produced !== entry.uncompressedSize) {
    throw sizeMismatch(
      entry,
      `holds ${produced} uncompressed bytes, but ${entry.uncompressedSize} are declared`,
    )
  }
  if (checksum !== entry.crc32) throw crcMismatch(entry, checksum)
}

/**
 * Throws unless the entry's bytes can be read at all: not encrypted, stored or
 * deflated, and with intact headers.
 *
 * @throws PackwrightError `ZIP_UNSUPPORTED`, `ZIP_HEADER_MISMATCH`.
 */
export function throwUnlessEntryReadable(entry: ZipEntryInfo): void {
  const quoted = quoteInput(entry.name)
  if (entry.encrypted) {
    throw new PackwrightError(
      'ZIP_UNSUPPORTED',
      `Entry ${quoted} is encrypted; encrypted entries cannot be read.`,
      {
        details: { entry: entry.name },
      },
    )
  }
  if (entry.method !== METHOD_STORE && entry.method !== METHOD_DEFLATE) {
    throw new PackwrightError(
      'ZIP_UNSUPPORTED',
      `Entry ${quoted} uses compression method ${entry.method}; only store (0) and deflate (8) are supported.`,
      { details: { entry: entry.name, method: entry.method } },
    )
  }
  if (entry.dataOffset < 0) {
    throw new PackwrightError(
      'ZIP_HEADER_MISMATCH',
      `Entry ${quoted} has no readable data (its headers are broken).`,
      {
        details: { entry: entry.name },
      },
    )
  }
}

/** The error for an entry whose bytes take the zip past its uncompressed budget. */
export function uncompressedBudgetError(entry: ZipEntryInfo, limits: ZipLimits): PackwrightError {
  return new PackwrightError(
    'ZIP_TOO_LARGE',
    `Entry ${quoteInput(entry.name)} takes the zip past ${limits.maxTotalUncompressedBytes} uncompressed bytes, the limit.`,
    { details: { entry: entry.name, limit: limits.maxTotalUncompressedBytes } },
  )
}

/** The error for an entry whose bytes do not have the declared CRC-32. */
export function crcMismatch(entry: ZipEntryInfo, actual: number): PackwrightError {
  return new PackwrightError(
    'ZIP_ENTRY_CRC_MISMATCH',
    `Entry ${quoteInput(entry.name)} has CRC-32 ${formatHex32(actual)}, but ${formatHex32(entry.crc32)} is declared.`,
    {
      details: {
        entry: entry.name,
        expected: formatHex32(entry.crc32),
        actual: formatHex32(actual),
      },
    },
  )
}

async function* readRange(
  file: ZipReaderFile,
  entry: ZipEntryInfo,
  signal: AbortSignal | undefined,
): AsyncGenerator<Buffer, void, undefined> {
  const end = entry.dataOffset + entry.compressedSize
  for (let position = entry.dataOffset; position < end;) {
    throwIfZipReadAborted(signal, file.path)
    const length = Math.min(DATA_READ_BYTES, end - position)
    // No read-ahead past the entry: readers of many entries at once (the
    // writer rebuilding a package) would each allocate, and pin with the
    // chunks they keep, a whole window for a few bytes.
    yield await file.read(position, length, `The data of entry ${quoteInput(entry.name)}`, length)
    position += length
  }
}

/** The error for a deflate stream zlib refused, or that needs more bytes than declared. */
export function inflateError(error: unknown, entry: ZipEntryInfo): PackwrightError {
  if (error instanceof PackwrightError) return error
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : ''
  if (code === 'Z_BUF_ERROR') {
    return sizeMismatch(
      entry,
      `has a deflate stream that needs more than its declared ${entry.compressedSize} compressed bytes`,
    )
  }
  const reason = error instanceof Error ? error.message : String(error)
  return new PackwrightError(
    'ZIP_ENTRY_CORRUPT',
    `Entry ${quoteInput(entry.name)} holds invalid deflate data (${reason}); expected a complete deflate stream.`,
    { cause: error, details: { entry: entry.name } },
  )
}

/** The error for an entry whose sizes are not the declared ones; `what` completes "Entry NAME …". */
export function sizeMismatch(entry: ZipEntryInfo, what: string): PackwrightError {
  return new PackwrightError(
    'ZIP_ENTRY_SIZE_MISMATCH',
    `Entry ${quoteInput(entry.name)} ${what}.`,
    {
      details: {
        entry: entry.name,
        declared: entry.uncompressedSize,
        compressedSize: entry.compressedSize,
      },
    },
  )
}
