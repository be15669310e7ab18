/**
 * One file or symlink planned into a package: where it comes from in the
 * source and where it goes in the zip.
 */
export interface PlannedEntry {
  /** Normalised POSIX path inside the zip. */
  readonly zipPath: string
  /** Path in the source reader. */
  readonly sourcePath: string
  readonly kind: 'file' | 'symlink'
  /** Expected size; a source that changes size while being read is an error. */
  readonly size: number
  readonly executable: boolean
  readonly linkTarget?: string
}
