import { type Logger } from '../logger.js'
import { type ResourceManifest } from '../manifest/resource-manifest.js'
import { type PlannedEntry } from '../package/package-entry.js'
import { type SourceReader } from '../source/source-reader.js'
import { AUTO_ZIP_WRITER_TUNING, runZipWriter } from './run-zip-writer.js'

/** How far the writer is; reported as entries are written. */
export interface WriteZipProgress {
  filesDone: number
  filesTotal: number
  bytesDone: number
  bytesTotal: number
}

export interface WriteZipOptions {
  /** Files and symlinks to package, in any order; folder entries are added for them. */
  entries: readonly PlannedEntry[]
  /** Where the bytes come from (`entry.sourcePath`). */
  reader: SourceReader
  /**
   * The zip to create. It is written to a temporary file in the same folder
   * and renamed into place, so it is never seen half-written.
   */
  outFile: string
  /**
   * The one timestamp of every entry, in seconds since the epoch.
   * @default reader.sourceDateEpoch ?? DEFAULT_SOURCE_DATE_EPOCH (1980-01-01T00:00:00Z)
   */
  sourceDateEpoch?: number
  /**
   * zlib level 0..9; 0 stores every entry.
   * @default 6
   */
  compressionLevel?: number
  signal?: AbortSignal
  onProgress?: (progress: WriteZipProgress) => void
  logger?: Logger
}

/** The zip that was written. */
export interface WrittenZip {
  /** Absolute path of the zip. */
  path: string
  /** sha256 of the zip bytes: the package digest. */
  sha256: string
  /** Size of the zip in bytes. */
  size: number
  /** One entry per file and symlink (not folders), sorted by path. */
  entries: ResourceManifest
  /** Files and symlinks in the zip. */
  fileCount: number
  /** The timestamp written on every entry, in seconds since the epoch. */
  sourceDateEpoch: number
}

/**
 * Writes a deterministic zip: the same entries and content give the same
 * bytes on every machine, whatever the time zone, entry order, file times or
 * number of cores. Streams with bounded memory, reads each file once and
 * computes CRC-32, SHA-1 and SHA-256 in the same pass that deflates it.
 *
 * @example
 * const zip = await writeDeterministicZip({ entries, reader, outFile: 'out/app.zip' })
 * console.log(zip.sha256, zip.fileCount)
 *
 * @throws PackwrightError `ZIP_PATH_INVALID` or `ZIP_DUPLICATE_ENTRY` for bad
 * entry names (nothing is written), `ZIP_SOURCE_CHANGED` when a source's
 * length differs from its planned size, `SOURCE_READ_FAILED` when the reader
 * fails, `ZIP_WRITE_FAILED` when the file cannot be written,
 * `INVALID_ARGUMENT` for a bad option, `ABORTED` when `signal` aborts.
 */
export function writeDeterministicZip(options: WriteZipOptions): Promise<WrittenZip> {
  return runZipWriter(options, AUTO_ZIP_WRITER_TUNING)
}
