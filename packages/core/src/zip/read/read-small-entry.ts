import { constants, crc32, inflateRawSync } from 'node:zlib'

import { METHOD_DEFLATE, METHOD_STORE } from '../zip-constants.js'
import {
  type UncompressedBudget,
  crcMismatch,
  inflateError,
  sizeMismatch,
  uncompressedBudgetError,
} from './read-entry-chunks.js'
import { quoteInput } from '../../errors.js'
import { type ZipEntryInfo } from './zip-entry-info.js'
import { type ZipLimits } from './zip-limits.js'
import { type ZipReaderFile } from './zip-reader-file.js'

/** Largest compressed size read from a shared batch and inflated in one synchronous call. */
export const SMALL_ENTRY_COMPRESSED_BYTES = 64 * 1024
/** Largest declared size inflated in one call: the output buffer never passes it by more than one byte. */
export const SMALL_ENTRY_UNCOMPRESSED_BYTES = 1024 * 1024
/** One read of small entries covers this many bytes, so consecutive small entries share it. */
export const SMALL_ENTRY_BATCH_BYTES = 1024 * 1024

/** Largest output buffer allocated up front for one small entry (zlib's default is 16 KiB). */
const SMALL_ENTRY_OUTPUT_CHUNK_BYTES = 64 * 1024

/** What `inflateRawSync` returns when asked for `info`. */
interface InflateResultWithInfo {
  readonly buffer: Buffer
  readonly engine: { readonly bytesWritten: number }
}

/**
 * Whether an entry is small enough to be judged by {@link inflateSmallEntry}:
 * readable, small on both sides, and too small for the compression ratio check
 * to apply even one byte past its declared size (so skipping that check
 * changes no outcome).
 */
export function isSmallEntry(entry: ZipEntryInfo, limits: ZipLimits): boolean {
  return (
    !entry.encrypted &&
    (entry.method === METHOD_STORE || entry.method === METHOD_DEFLATE) &&
    entry.dataOffset >= 0 &&
    entry.compressedSize <= SMALL_ENTRY_COMPRESSED_BYTES &&
    entry.uncompressedSize <= SMALL_ENTRY_UNCOMPRESSED_BYTES &&
    entry.uncompressedSize + 1 < limits.ratioCheckMinBytes
  )
}

/**
 * How many bytes to read for `entries[first]`, a small entry: up to the end of
 * the run of small entries that follows it in `entries` (sorted by offset), at
 * most {@link SMALL_ENTRY_BATCH_BYTES}, so one read serves the whole run and no
 * read reaches into a large entry the streaming path reads again.
 */
export function smallEntryRunBytes(
  entries: readonly ZipEntryInfo[],
  first: number,
  limits: ZipLimits,
): number {
  const start = entries[first]?.dataOffset ?? 0
  let end = start
  for (let at = first; at < entries.length; at++) {
    const entry = entries[at]
    if (entry === undefined || !isSmallEntry(entry, limits)) break
    const entryEnd = entry.dataOffset + entry.compressedSize
    if (entryEnd - start > SMALL_ENTRY_BATCH_BYTES) break
    end = Math.max(end, entryEnd)
  }
  return end - start
}

/**
 * Returns a small entry's uncompressed bytes from its `compressed` bytes in one
 * bounded synchronous call, never trusting declared sizes: inflation stops one
 * byte past the declared size, the budget is drawn down by the actual bytes,
 * and the deflate stream's length, the size and the CRC-32 are checked against
 * the actual bytes, as `readEntryChunks` does for entries of any size. An entry
 * that inflates past its declared size is charged its declared size.
 *
 * @throws PackwrightError `ZIP_ENTRY_SIZE_MISMATCH`, `ZIP_ENTRY_CRC_MISMATCH`, `ZIP_ENTRY_CORRUPT`, `ZIP_TOO_LARGE`.
 */
export function inflateSmallEntry(
  entry: ZipEntryInfo,
  compressed: Buffer,
  limits: ZipLimits,
  budget: UncompressedBudget,
): Buffer {
  const declared = entry.uncompressedSize
  let data = compressed
  let consumed = compressed.length
  if (entry.method === METHOD_DEFLATE) {
    let inflated: InflateResultWithInfo
    try {
      inflated = inflateRawSync(compressed, {
        maxOutputLength: declared + 1,
        // One output buffer sized for the declared bytes and one more, instead of
        // zlib's 16 KiB default: most small entries are far smaller.
        chunkSize: Math.min(
          Math.max(declared + 1, constants.Z_MIN_CHUNK),
          SMALL_ENTRY_OUTPUT_CHUNK_BYTES,
        ),
        info: true,
      }) as unknown as InflateResultWithInfo
    } catch (error) {
      if (errorCode(error) === 'ERR_BUFFER_TOO_LARGE') throw overflow(entry, limits, budget)
      throw inflateError(error, entry)
    }
    data = inflated.buffer
    consumed = inflated.engine.bytesWritten
  }
  if (data.length > declared) throw overflow(entry, limits, budget)
  budget.remaining -= data.length
  if (budget.remaining < 0) throw uncompressedBudgetError(entry, limits)
  if (consumed !== entry.compressedSize) {
    throw sizeMismatch(
      entry,
      `has a deflate stream that ends after ${consumed} of its declared ${entry.compressedSize} compressed bytes`,
    )
  }
  if (data.length !== declared) {
    throw sizeMismatch(
      entry,
      `holds ${data.length} uncompressed bytes, but ${declared} are declared`,
    )
  }
  const checksum = crc32(data)
  if (checksum !== entry.crc32) throw crcMismatch(entry, checksum)
  return data
}

/**
 * Reads and inflates `entries[at]`, a small entry (see {@link isSmallEntry}),
 * from `entries` sorted by offset: from the file's last shared read when it
 * holds the bytes, else with one read that also covers the run of small entries
 * after it, then through {@link inflateSmallEntry}.
 */
export async function readSmallEntry(
  file: ZipReaderFile,
  entries: readonly ZipEntryInfo[],
  at: number,
  limits: ZipLimits,
  budget: UncompressedBudget,
): Promise<Buffer> {
  const entry = entries[at] as ZipEntryInfo
  const compressed =
    file.cached(entry.dataOffset, entry.compressedSize) ??
    (await file.read(
      entry.dataOffset,
      entry.compressedSize,
      `The data of entry ${quoteInput(entry.name)}`,
      smallEntryRunBytes(entries, at, limits),
    ))
  return inflateSmallEntry(entry, compressed, limits, budget)
}

/** The error for an entry that inflates past its declared size, which it is charged. */
function overflow(entry: ZipEntryInfo, limits: ZipLimits, budget: UncompressedBudget): Error {
  budget.remaining -= entry.uncompressedSize
  if (budget.remaining < 0) return uncompressedBudgetError(entry, limits)
  return sizeMismatch(entry, `inflates to more than its declared ${entry.uncompressedSize} bytes`)
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : ''
}
