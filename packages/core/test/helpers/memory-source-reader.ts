import { Readable } from 'node:stream'
import type { PlannedEntry } from '../../src/plan/planned-entry.js'
import type { SourceEntry, SourceReader } from '../../src/source/source-reader.js'

/** One file of an in-memory tree: text or bytes, or a symlink / executable marker. */
export type MemoryFile =
  | string
  | Uint8Array
  | { readonly content: string | Uint8Array; readonly executable?: boolean }
  | { readonly symlink: string }

/**
 * A SourceReader over a literal tree, for tests of everything above the
 * readers: `{ 'a/b.txt': 'text', 'run.sh': { content: '#!/bin/sh', executable: true } }`.
 */
export function createMemorySourceReader(
  files: Readonly<Record<string, MemoryFile>>,
  options: { sourceDateEpoch?: number } = {},
): SourceReader {
  const entries = new Map<string, { entry: SourceEntry; bytes: Buffer }>()
  for (const [path, file] of Object.entries(files)) {
    if (typeof file === 'object' && 'symlink' in file) {
      const bytes = Buffer.from(file.symlink)
      entries.set(path, {
        entry: {
          path,
          kind: 'symlink',
          size: bytes.length,
          executable: false,
          linkTarget: file.symlink,
        },
        bytes,
      })
      continue
    }
    const content = typeof file === 'string' || file instanceof Uint8Array ? file : file.content
    const executable = typeof file === 'object' && 'content' in file && file.executable === true
    const bytes = Buffer.from(content)
    entries.set(path, { entry: { path, kind: 'file', size: bytes.length, executable }, bytes })
  }
  const get = (path: string) => {
    const found = entries.get(path)
    if (found === undefined) throw new Error(`no such file in the memory source: ${path}`)
    return found
  }
  return {
    description: 'memory source',
    sourceDateEpoch: options.sourceDateEpoch,
    list: (prefix) => {
      const start = prefix === '' ? '' : `${prefix}/`
      const listed = [...entries.values()]
        .map(({ entry }) => entry)
        .filter((entry) => entry.path.startsWith(start))
        .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      return Promise.resolve(listed)
    },
    stat: (path) => Promise.resolve(entries.get(path)?.entry),
    open: (path) => Readable.from([get(path).bytes]),
    readBytes: (path) => Promise.resolve(get(path).bytes),
    close: () => Promise.resolve(),
  }
}

/** Plans every entry of a memory tree at its own path, the way a planner would. */
export function planMemoryFiles(files: Readonly<Record<string, MemoryFile>>): PlannedEntry[] {
  return Object.entries(files).map(([path, file]) => {
    if (typeof file === 'object' && 'symlink' in file) {
      return {
        zipPath: path,
        sourcePath: path,
        kind: 'symlink',
        size: Buffer.byteLength(file.symlink),
        executable: false,
        linkTarget: file.symlink,
      }
    }
    const content = typeof file === 'string' || file instanceof Uint8Array ? file : file.content
    const executable = typeof file === 'object' && 'content' in file && file.executable === true
    return {
      zipPath: path,
      sourcePath: path,
      kind: 'file',
      size: Buffer.from(content).length,
      executable,
    }
  })
}
