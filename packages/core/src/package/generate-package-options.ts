import type { Logger } from '../logger.js'
import type { ResourceList } from '../manifest/resource-list.js'
import type { GitHubTimeouts } from '../source/github-timeouts.js'
import type { SourceSpec } from '../source/source-spec.js'
import type { ZipLimits } from '../zip/read/zip-limits.js'

/** Progress of a long packaging run, for CLIs and job logs. */
export interface PackageProgress {
  readonly phase: 'listing' | 'writing'
  readonly filesDone: number
  readonly filesTotal: number
  readonly bytesDone: number
  readonly bytesTotal: number
}

export interface GitHubAccess {
  /** REST API base URL. @default 'https://api.github.com' */
  readonly apiBaseUrl?: string
  /** Token sent as `Authorization: Bearer …`; never logged or put in errors. */
  readonly token?: string
  /** Injected fetch (tests, proxies). @default globalThis.fetch */
  readonly fetch?: typeof fetch
  /** Connect, idle, per-request and whole-read timeouts (see `GitHubTimeouts`). */
  readonly timeouts?: GitHubTimeouts
}

export interface GeneratePackageOptions {
  /** A source spec string (see `parseSourceSpec`) or an already-parsed spec. */
  readonly source: string | SourceSpec
  /** Where the zip is written (atomically: temp file, then rename). */
  readonly outFile: string
  /**
   * `spicepod` packages a manifest and what it links; `directory` packages a
   * folder with globs and ignore files; `auto` picks spicepod when the source
   * path names a `.yaml`/`.yml` file, directory otherwise.
   * @default 'auto'
   */
  readonly mode?: 'auto' | 'spicepod' | 'directory'
  /** Directory mode: globs of files to include. @default ['**'] */
  readonly include?: readonly string[]
  /** Directory mode: globs of files to leave out. @default [] */
  readonly exclude?: readonly string[]
  /** Directory mode: follow symlinks instead of storing them as links. @default false */
  readonly followSymlinks?: boolean
  /** Directory mode: allow an empty selection (an empty zip) instead of failing. @default false */
  readonly allowEmpty?: boolean
  /**
   * Directory mode: apply ignore files (gitignore syntax, in every folder):
   * `.packwrightignore` and `.cfignore`, or `.gitignore` in a folder that has
   * neither, as npm pack does with `.npmignore`. @default true
   */
  readonly ignoreFiles?: boolean
  /**
   * Absolute paths of other files the run writes (a manifest). Like `outFile`,
   * its temp files and its folder, they are never selected from a local folder.
   */
  readonly outputPaths?: readonly string[]
  /** Accept branch and tag names where a commit SHA is expected. @default false */
  readonly allowRefs?: boolean
  readonly github?: GitHubAccess
  /** Deflate level 0–9 (0 stores everything). @default 6 */
  readonly compressionLevel?: number
  /** Entry timestamp in seconds; defaults to the commit time, else 1980-01-01. */
  readonly sourceDateEpoch?: number
  /**
   * The limits the package's readers apply (`packwright inspect` uses
   * `DEFAULT_ZIP_LIMITS`). A plan past the entry, size or central-directory
   * limits fails with `PACKAGE_LIMIT_EXCEEDED` before anything is written;
   * the compression ratio, known only once an entry is deflated, is checked by
   * the writer, which then fails the same way before putting the zip in place
   * (an existing `outFile` is left as it was). Raise a limit only when the
   * readers do.
   * @default DEFAULT_ZIP_LIMITS
   */
  readonly limits?: Partial<ZipLimits>
  readonly signal?: AbortSignal
  readonly logger?: Logger
  readonly onProgress?: (progress: PackageProgress) => void
}

export interface GeneratedPackage {
  /** Absolute path of the written zip. */
  readonly path: string
  /** sha256 of the zip bytes, lowercase hex: the package digest. */
  readonly sha256: string
  /** Size of the zip in bytes. */
  readonly size: number
  /**
   * Files and symlinks in the package, sorted by path (compact: an entry's
   * hex digests are made when it is read; `toArray()` gives plain objects).
   */
  readonly entries: ResourceList
  readonly mode: 'spicepod' | 'directory'
  /** The timestamp written on every entry, in seconds since the epoch. */
  readonly sourceDateEpoch: number
  /** Where the files came from, without secrets. */
  readonly sourceDescription: string
  /** For commit sources (git, GitHub): the full SHA of the commit packaged. */
  readonly sourceCommit?: string | undefined
  /** Directory mode: paths of the ignore files applied, outermost first (none for a spicepod). */
  readonly ignoreFiles: readonly string[]
}
