import { type Logger } from '../../logger.js'
import { type ResourceList } from '../../manifest/resource-list.js'
import { type PlannedEntry } from '../../plan/planned-entry.js'
import { type SourceReader } from '../../source/source-reader.js'

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
  /**
   * Refuse, before the zip is put in place, an entry of at least `minBytes`
   * that deflate shrinks by more than `ratio` times: zip readers such as
   * `validateZip` refuse it as a bomb (`ZipLimits.maxCompressionRatio`).
   * Unset, any ratio is written.
   */
  compressionRatioLimit?: { readonly ratio: number; readonly minBytes: number }
  /**
   * Most worker threads deflating in parallel; 0 deflates on the calling
   * thread. Each thread costs memory (about 10 MB), so a server writing many
   * packages at once may lower it. Never changes the bytes written.
   * @default one per core, at most 8 (none for small archives)
   */
  maxThreads?: number
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
  /**
   * One entry per file and symlink (not folders), sorted by path; digests are
   * kept binary and made hex when an entry is read.
   */
  entries: ResourceList
  /** Files and symlinks in the zip. */
  fileCount: number
  /** The timestamp written on every entry, in seconds since the epoch. */
  sourceDateEpoch: number
}
