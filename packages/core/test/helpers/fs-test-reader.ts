import { createReadStream } from 'node:fs'
import { lstat, readFile, readdir, readlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { SourceEntry, SourceReader } from '../../src/source/source-reader.js'
import { type PlannedEntry } from '../../src/plan/planned-entry.js'

/**
 * A minimal SourceReader over a folder on disk, for tests that need real
 * files (real mtimes, real readdir order). Symlinks are reported as links.
 */
export function createFsTestReader(
  root: string,
  options: { sourceDateEpoch?: number } = {},
): SourceReader {
  const statEntry = async (path: string): Promise<SourceEntry | undefined> => {
    const full = join(root, path)
    const stats = await lstat(full).catch(() => undefined)
    if (stats === undefined) return undefined
    if (stats.isSymbolicLink()) {
      const target = await readlink(full)
      return {
        path,
        kind: 'symlink',
        size: Buffer.byteLength(target),
        executable: false,
        linkTarget: target,
      }
    }
    if (!stats.isFile()) return undefined
    return { path, kind: 'file', size: stats.size, executable: (stats.mode & 0o111) !== 0 }
  }
  return {
    description: `test folder ${root}`,
    sourceDateEpoch: options.sourceDateEpoch,
    async list(prefix) {
      const base = prefix === '' ? root : join(root, prefix)
      const names = await readdir(base, { recursive: true }).catch(() => [] as string[])
      const entries: SourceEntry[] = []
      for (const name of names) {
        const path = prefix === '' ? name : `${prefix}/${name}`
        const entry = await statEntry(path)
        if (entry !== undefined) entries.push(entry)
      }
      return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    },
    stat: statEntry,
    open: (path) => createReadStream(join(root, path)),
    async readBytes(path) {
      const full = join(root, path)
      const stats = await lstat(full)
      return stats.isSymbolicLink() ? Buffer.from(await readlink(full)) : readFile(full)
    },
    close: () => Promise.resolve(),
  }
}

/** Plans every file and symlink of a reader, in the order `list` gives them. */
export async function planAll(reader: SourceReader): Promise<PlannedEntry[]> {
  const listed = await reader.list('')
  return listed.map((entry) => ({
    zipPath: entry.path,
    sourcePath: entry.path,
    kind: entry.kind,
    size: entry.size,
    executable: entry.executable,
    ...(entry.linkTarget === undefined ? {} : { linkTarget: entry.linkTarget }),
  }))
}
