import type { Readable } from 'node:stream'

/** What a reader knows about one file (or symlink) of a source. */
export interface SourceEntry {
  /** POSIX path relative to the source root, no leading `/`, no `.`/`..` segments. */
  readonly path: string
  readonly kind: 'file' | 'symlink'
  /** Size in bytes of the content (for symlinks: of the link target text). */
  readonly size: number
  /** True when any execute bit is set (git mode 100755). */
  readonly executable: boolean
  /** For symlinks: the link target exactly as stored. */
  readonly linkTarget?: string
}

export interface ReadOptions {
  signal?: AbortSignal
}

/**
 * One small interface in front of every source (local folder, git commit,
 * GitHub over REST), so everything above it is source-agnostic.
 */
export interface SourceReader {
  /** Human-readable description for messages, never containing secrets. */
  readonly description: string
  /**
   * The time to stamp on zip entries, in seconds since the epoch (the commit
   * time when known, `SOURCE_DATE_EPOCH` convention), or undefined.
   */
  readonly sourceDateEpoch?: number | undefined
  /** For commit sources (git, GitHub): the full SHA of the commit read, lowercase hex. */
  readonly commit?: string | undefined
  /**
   * Every file and symlink under `prefix` (a folder path without trailing
   * `/`; `''` means the whole source), recursively, sorted by path in
   * code-unit order. A missing folder, or a prefix naming a file, lists nothing.
   */
  list(prefix: string, options?: ReadOptions): Promise<SourceEntry[]>
  /** The entry at `path`, or undefined when there is no file or symlink there. */
  stat(path: string, options?: ReadOptions): Promise<SourceEntry | undefined>
  /** The content at `path` as a stream (symlinks: the target text). */
  open(path: string, options?: ReadOptions): Readable
  /** The whole content at `path`; for small files, where a stream costs more than it saves. */
  readBytes(path: string, options?: ReadOptions): Promise<Buffer>
  /**
   * For readers backed by the local filesystem: the absolute path of the
   * regular file that holds exactly the content of `path`, so a writer may
   * read it on another thread. Undefined when the reader cannot vouch for one
   * (a symlink, a path through a symlinked folder, or a non-local source).
   */
  localFilePath?(path: string): string | undefined
  /** Releases processes or handles the reader holds. Safe to call twice. */
  close(): Promise<void>
}
