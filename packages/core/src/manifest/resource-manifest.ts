/** Normalised permission bits as they are written into the zip and the manifest. */
export type EntryMode = '644' | '755' | '777'

/** One file or symlink of a package, with both checksums (Cloud Foundry resource semantics). */
export interface ResourceEntry {
  readonly path: string
  readonly kind: 'file' | 'symlink'
  /** Uncompressed size in bytes. */
  readonly size: number
  readonly mode: EntryMode
  readonly sha1: string
  readonly sha256: string
}

/** A package's resource manifest: every file and symlink, sorted by path (code-unit order). */
export type ResourceManifest = readonly ResourceEntry[]

/** Mode for a planned entry: 777 for symlinks, 755 for executables, 644 otherwise. */
export function modeFor(entry: { kind: 'file' | 'symlink'; executable: boolean }): EntryMode {
  if (entry.kind === 'symlink') return '777'
  return entry.executable ? '755' : '644'
}
