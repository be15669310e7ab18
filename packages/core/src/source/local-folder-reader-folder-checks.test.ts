import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import * as fs from 'node:fs'
import * as fsPromises from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createLocalFolderReader } from './local-folder-reader.js'

// Counts the attribute reads the reader makes, to see that it checks each
// folder on the way to a path once, not once per path.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof fsPromises>()
  return { ...actual, lstat: vi.fn(actual.lstat) }
})
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof fs>()
  return { ...actual, lstatSync: vi.fn(actual.lstatSync) }
})

let root: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'packwright-folder-checks-'))
  await mkdir(join(root, 'dir'))
  for (const name of ['a.txt', 'b.txt', 'c.txt']) await writeFile(join(root, 'dir', name), name)
  vi.mocked(fsPromises.lstat).mockClear()
  vi.mocked(fs.lstatSync).mockClear()
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

/** How many times `read` looked at the attributes of `path` (absolute). */
function checksOf(calls: readonly (readonly unknown[])[], path: string): number {
  return calls.filter(([called]) => called === path).length
}

describe('local folder reader, folder checks', () => {
  it('checks a folder on the way to the files it reads once', async () => {
    const reader = await createLocalFolderReader(root)
    for (const name of ['a.txt', 'b.txt', 'c.txt']) {
      expect((await reader.readBytes(`dir/${name}`)).toString()).toBe(name)
    }
    expect(checksOf(vi.mocked(fsPromises.lstat).mock.calls, join(root, 'dir'))).toBe(1)
  })

  it('checks a folder on the way to the local files it names once', async () => {
    const reader = await createLocalFolderReader(root)
    for (const name of ['a.txt', 'b.txt', 'c.txt']) {
      expect(reader.localFilePath?.(`dir/${name}`)).toBe(join(root, 'dir', name))
    }
    expect(checksOf(vi.mocked(fs.lstatSync).mock.calls, join(root, 'dir'))).toBe(1)
  })
})
