import { Readable } from 'node:stream'

import { PackwrightError, quoteInput } from '../../errors.js'
import { readEntryChunks } from './read-entry-chunks.js'
import { readZipLayout } from './read-zip-layout.js'
import { zipProblemsError } from './validate-zip-report.js'
import { type ZipEntryInfo } from './zip-entry-info.js'
import { type ZipLimits, resolveZipLimits } from './zip-limits.js'
import { ZipReaderFile } from './zip-reader-file.js'
import { zipReadAbortedError } from './zip-reader-errors.js'

export interface OpenZipOptions {
  /** Overrides of {@link DEFAULT_ZIP_LIMITS}. */
  readonly limits?: Partial<ZipLimits>
  /** Cancels opening (reading the central directory and local headers). */
  readonly signal?: AbortSignal
}

export interface OpenZipEntryOptions {
  /** Cancels reading: the stream is destroyed with an `ABORTED` error. */
  readonly signal?: AbortSignal
}

/** An opened zip whose byte layout has been checked; entries are read one stream at a time. */
export interface ZipArchive {
  readonly path: string
  /** Size of the zip file in bytes. */
  readonly size: number
  /** Entries in central-directory order. */
  readonly entries: readonly ZipEntryInfo[]
  /**
   * Streams an entry's uncompressed bytes. The stream fails with
   * `ZIP_ENTRY_SIZE_MISMATCH`, `ZIP_ENTRY_CRC_MISMATCH`, `ZIP_ENTRY_CORRUPT`,
   * `ZIP_UNSUPPORTED`, `ZIP_COMPRESSION_RATIO_EXCEEDED`, `ZIP_READ_FAILED` or
   * `ABORTED` as soon as the actual bytes disagree with the declared ones.
   *
   * @throws PackwrightError `INVALID_ARGUMENT` when `entry` is not one of this archive's entries.
   */
  openEntry(entry: ZipEntryInfo, options?: OpenZipEntryOptions): Readable
  /** Closes the file; streams still open fail with `ZIP_READ_FAILED`. */
  close(): Promise<void>
}

/**
 * Opens a zip file for reading: finds and reads its central directory
 * (ZIP64 included), refuses archives over the limits before reading entries,
 * checks every local header against its central record, that no entries
 * overlap and that no byte belongs to no listed entry, and refuses entries
 * whose type or name extractors could read differently. Entry paths are not
 * judged here; `validateZip` does that.
 *
 * @throws PackwrightError `ZIP_NOT_A_ZIP`, `ZIP_TRUNCATED`, `ZIP_UNSUPPORTED`, `ZIP_HEADER_MISMATCH`,
 *   `ZIP_ENTRY_OVERLAP`, `ZIP_UNACCOUNTED_BYTES`, `ZIP_ENTRY_TYPE_UNSUPPORTED`, `ZIP_ENTRY_TYPE_CONFLICT`,
 *   `ZIP_ENTRY_NAME_AMBIGUOUS`, `ZIP_ENTRY_LINK_TARGET_AMBIGUOUS`,
 *   `ZIP_ENTRY_PATH_TOO_LONG`, `ZIP_ENTRY_PATH_NON_CANONICAL`, `ZIP_TOO_MANY_ENTRIES`,
 *   `ZIP_TOO_LARGE`, `ZIP_COMPRESSION_RATIO_EXCEEDED`, `ZIP_READ_FAILED`, `INVALID_ARGUMENT`, `ABORTED`.
 */
export async function openZip(path: string, options: OpenZipOptions = {}): Promise<ZipArchive> {
  const limits = resolveZipLimits(options.limits)
  const file = await ZipReaderFile.open(path, options.signal)
  try {
    const layout = await readZipLayout(file, limits, options.signal)
    const [first, ...rest] = layout.problems
    if (first !== undefined) throw zipProblemsError(path, [first, ...rest], 20)
    return createArchive(file, layout.entries, limits)
  } catch (error) {
    await file.close().catch(() => undefined)
    throw error
  }
}

function createArchive(
  file: ZipReaderFile,
  entries: readonly ZipEntryInfo[],
  limits: ZipLimits,
): ZipArchive {
  return {
    path: file.path,
    size: file.size,
    entries,
    openEntry(entry, entryOptions = {}) {
      if (entries[entry.index] !== entry) {
        throw new PackwrightError(
          'INVALID_ARGUMENT',
          `Entry ${quoteInput(entry.name)} does not belong to the zip ${quoteInput(file.path)}.`,
        )
      }
      const { signal } = entryOptions
      const stream = Readable.from(readEntryChunks(file, entry, { limits, signal }), {
        objectMode: false,
      })
      if (signal !== undefined) {
        const onAbort = (): void => {
          stream.destroy(zipReadAbortedError(signal, file.path))
        }
        if (signal.aborted) onAbort()
        else {
          signal.addEventListener('abort', onAbort, { once: true })
          stream.once('close', () => signal.removeEventListener('abort', onAbort))
        }
      }
      return stream
    },
    close: () => file.close(),
  }
}
