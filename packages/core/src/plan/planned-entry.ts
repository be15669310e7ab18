import type { SourceEntry } from '../source/source-reader.js'

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

/** The planned entry that packages a source entry as-is, at `zipPath` (default: its own path). */
export function plannedEntryFor(entry: SourceEntry, zipPath: string = entry.path): PlannedEntry {
  return {
    zipPath,
    sourcePath: entry.path,
    kind: entry.kind,
    size: entry.size,
    executable: entry.executable,
    ...(entry.linkTarget === undefined ? {} : { linkTarget: entry.linkTarget }),
  }
}
