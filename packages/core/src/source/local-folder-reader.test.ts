import { execFileSync } from 'node:child_process'
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buffer } from 'node:stream/consumers'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PackwrightError, isPackwrightError } from '../errors.js'
import { createLocalFolderReader } from './local-folder-reader.js'
import { rejection } from '../../test/helpers/rejection.js'

let root: string

async function put(path: string, content: string | Buffer, mode?: number): Promise<void> {
  const full = join(root, path)
  await mkdir(join(full, '..'), { recursive: true })
  await writeFile(full, content)
  if (mode !== undefined) await chmod(full, mode)
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'packwright-local-'))
})

afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('createLocalFolderReader', () => {
  it('lists every file recursively, dotfiles included, sorted in code-unit order', async () => {
    for (const path of [
      'a0',
      'a/b',
      'a-b',
      'B',
      '.env',
      'deep/er/still/x.txt',
      'é.txt',
      'Z/.hidden',
    ]) {
      await put(path, path)
    }
    await mkdir(join(root, 'empty-folder'))
    const reader = await createLocalFolderReader(root)
    const listed = await reader.list('')
    expect(listed.map((entry) => entry.path)).toEqual([
      '.env',
      'B',
      'Z/.hidden',
      'a-b',
      'a/b',
      'a0',
      'deep/er/still/x.txt',
      'é.txt',
    ])
    expect(listed.find((entry) => entry.path === 'a/b')).toEqual({
      path: 'a/b',
      kind: 'file',
      size: 3,
      executable: false,
    })
    expect(reader.sourceDateEpoch).toBeUndefined()
    await reader.close()
    await reader.close()
  })

  it('lists under a prefix; a missing folder or a prefix naming a file lists nothing', async () => {
    await put('pods/one/spicepod.yaml', 'x')
    await put('pods/one/data/a.csv', 'x')
    await put('pods-other/b', 'x')
    await put('file.txt', 'x')
    const reader = await createLocalFolderReader(root)
    expect((await reader.list('pods')).map((entry) => entry.path)).toEqual([
      'pods/one/data/a.csv',
      'pods/one/spicepod.yaml',
    ])
    expect((await reader.list('pods/one/data/')).map((entry) => entry.path)).toEqual([
      'pods/one/data/a.csv',
    ])
    expect(await reader.list('missing')).toEqual([])
    expect(await reader.list('file.txt')).toEqual([])
    expect(await reader.list('file.txt/below')).toEqual([])
  })

  it('marks any execute bit as executable', async () => {
    await put('run.sh', '#!/bin/sh\n', 0o755)
    await put('group-only', 'x', 0o650)
    await put('plain', 'x', 0o644)
    const reader = await createLocalFolderReader(root)
    const byPath = Object.fromEntries((await reader.list('')).map((e) => [e.path, e.executable]))
    expect(byPath).toEqual({ 'group-only': true, plain: false, 'run.sh': true })
  })

  it('reports symlinks with their target and never follows them', async () => {
    await put('data/trips.csv', 'a,b\n')
    await symlink('data/trips.csv', join(root, 'latest.csv'))
    await symlink('data', join(root, 'data-link'))
    await symlink('../../outside', join(root, 'escape'))
    await symlink('missing-target', join(root, 'dangling'))
    const reader = await createLocalFolderReader(root)
    const listed = await reader.list('')
    expect(listed.map((entry) => entry.path)).toEqual([
      'dangling',
      'data-link',
      'data/trips.csv',
      'escape',
      'latest.csv',
    ])
    expect(listed.find((entry) => entry.path === 'latest.csv')).toEqual({
      path: 'latest.csv',
      kind: 'symlink',
      size: Buffer.byteLength('data/trips.csv'),
      executable: false,
      linkTarget: 'data/trips.csv',
    })
    expect((await reader.readBytes('latest.csv')).toString()).toBe('data/trips.csv')
    expect((await buffer(reader.open('escape'))).toString()).toBe('../../outside')
    expect(await reader.stat('data-link')).toMatchObject({ kind: 'symlink', linkTarget: 'data' })
    // Nothing is read through a symlinked folder.
    expect(await reader.list('data-link')).toEqual([])
    expect(await reader.stat('data-link/trips.csv')).toBeUndefined()
    expect((await rejection(reader.readBytes('data-link/trips.csv'))).code).toBe('SOURCE_NOT_FOUND')
  })

  it('reads content as bytes and as a stream', async () => {
    const big = Buffer.alloc(300_000)
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff
    await put('big.bin', big)
    await put('small.txt', 'hello')
    const reader = await createLocalFolderReader(root)
    expect(await reader.readBytes('small.txt')).toEqual(Buffer.from('hello'))
    expect((await buffer(reader.open('big.bin'))).equals(big)).toBe(true)
    expect(await reader.stat('big.bin')).toEqual({
      path: 'big.bin',
      kind: 'file',
      size: big.length,
      executable: false,
    })
  })

  it('answers stat with undefined for folders and missing paths', async () => {
    await put('dir/file', 'x')
    const reader = await createLocalFolderReader(root)
    expect(await reader.stat('dir')).toBeUndefined()
    expect(await reader.stat('nope')).toBeUndefined()
    expect(await reader.stat('dir/file/below')).toBeUndefined()
  })

  it('fails to read missing paths and folders with clear codes', async () => {
    await put('dir/file', 'x')
    const reader = await createLocalFolderReader(root)
    const missing = await rejection(reader.readBytes('nope.txt'))
    expect(missing.code).toBe('SOURCE_NOT_FOUND')
    expect(missing.message).toContain('nope.txt')
    const folder = await rejection(reader.readBytes('dir'))
    expect(folder.code).toBe('SOURCE_READ_FAILED')
    expect(folder.message).toMatch(/folder/)
    const streamed = await rejection(buffer(reader.open('nope.txt')))
    expect(streamed.code).toBe('SOURCE_NOT_FOUND')
  })

  it.each(['../outside', '/etc/passwd', 'a//b', './a', 'a/../b', ''])(
    'refuses the path %j',
    async (path) => {
      const reader = await createLocalFolderReader(root)
      expect((await rejection(reader.readBytes(path))).code).toBe('SOURCE_PATH_INVALID')
      expect((await rejection(reader.stat(path))).code).toBe('SOURCE_PATH_INVALID')
    },
  )

  it('refuses list prefixes that leave the root', async () => {
    const reader = await createLocalFolderReader(root)
    expect((await rejection(reader.list('..'))).code).toBe('SOURCE_PATH_INVALID')
    expect((await rejection(reader.list('/etc'))).code).toBe('SOURCE_PATH_INVALID')
  })

  it('fails on a FIFO, naming its path, instead of skipping it', async () => {
    await put('ok.txt', 'x')
    await mkdir(join(root, 'pipes'))
    execFileSync('mkfifo', [join(root, 'pipes', 'queue')])
    const reader = await createLocalFolderReader(root)
    const error = await rejection(reader.list(''))
    expect(error.code).toBe('SOURCE_READ_FAILED')
    expect(error.message).toContain('pipes/queue')
    expect(error.message).toMatch(/FIFO/)
    expect((await rejection(reader.stat('pipes/queue'))).code).toBe('SOURCE_READ_FAILED')
    // Opening must not block waiting for a writer.
    expect((await rejection(reader.readBytes('pipes/queue'))).code).toBe('SOURCE_READ_FAILED')
  })

  it('fails on a socket, naming its path', async () => {
    const server = createServer()
    const socketPath = join(root, 'control.sock')
    await new Promise<void>((done) => server.listen(socketPath, done))
    try {
      const reader = await createLocalFolderReader(root)
      const error = await rejection(reader.list(''))
      expect(error.code).toBe('SOURCE_READ_FAILED')
      expect(error.message).toContain('control.sock')
      expect(error.message).toMatch(/socket/)
    } finally {
      await new Promise((done) => server.close(done))
    }
  })

  it('fails with SOURCE_NOT_FOUND for a missing root or a file root', async () => {
    const missing = await rejection(createLocalFolderReader(join(root, 'missing')))
    expect(missing.code).toBe('SOURCE_NOT_FOUND')
    await put('file.txt', 'x')
    const file = await rejection(createLocalFolderReader(join(root, 'file.txt')))
    expect(file.code).toBe('SOURCE_NOT_FOUND')
    expect(file.message).toMatch(/not a folder/)
  })

  it('names the local file behind a path only when no folder on the way is a symlink', async () => {
    await mkdir(join(root, 'real'), { recursive: true })
    await writeFile(join(root, 'real/file.txt'), 'x')
    await symlink('real', join(root, 'linked'))
    const reader = await createLocalFolderReader(root)
    expect(reader.localFilePath?.('real/file.txt')).toBe(join(root, 'real/file.txt'))
    expect(reader.localFilePath?.('linked/file.txt')).toBeUndefined()
    expect(() => reader.localFilePath?.('../outside.txt')).toThrow(PackwrightError)
  })

  it('stops with ABORTED when the signal is aborted', async () => {
    await put('a.txt', 'x')
    const controller = new AbortController()
    const reader = await createLocalFolderReader(root, { signal: controller.signal })
    expect(await reader.list('')).toHaveLength(1)
    controller.abort()
    const error = await rejection(reader.list(''))
    expect(isPackwrightError(error, 'ABORTED')).toBe(true)
    const perCall = new AbortController()
    perCall.abort()
    const other = await createLocalFolderReader(root)
    expect((await rejection(other.readBytes('a.txt', { signal: perCall.signal }))).code).toBe(
      'ABORTED',
    )
  })
})

describe('createLocalFolderReader messages and edges', () => {
  it('says which root is missing or not a folder, and where it was looked for', async () => {
    const missing = await rejection(createLocalFolderReader(join(root, 'missing')))
    expect(missing.message).toBe(
      `The local folder ${JSON.stringify(join(root, 'missing'))} does not exist.`,
    )
    expect(missing.details).toEqual({ path: join(root, 'missing') })
    await put('file.txt', 'x')
    const file = await rejection(createLocalFolderReader(join(root, 'file.txt')))
    expect(file.message).toBe(`${JSON.stringify(join(root, 'file.txt'))} is not a folder.`)
    expect(file.hint).toBe('Name the folder that holds the files to package.')
    expect(file.details).toEqual({ path: join(root, 'file.txt') })
    const below = await rejection(createLocalFolderReader(join(root, 'file.txt', 'below')))
    expect(below.code).toBe('SOURCE_NOT_FOUND')
    expect(below.message).toMatch(/does not exist\.$/)
  })

  it('refuses to open once the signal has fired', async () => {
    const controller = new AbortController()
    controller.abort()
    const error = await rejection(createLocalFolderReader(root, { signal: controller.signal }))
    expect(error.code).toBe('ABORTED')
    expect(error.message).toBe('Opening the local folder was aborted.')
  })

  it('describes itself by its absolute folder, and names missing files and folders read as files', async () => {
    await put('dir/file', 'x')
    const reader = await createLocalFolderReader(root)
    expect(reader.description).toBe(`local folder ${root}`)
    const missing = await rejection(reader.readBytes('dir/nope.txt'))
    expect(missing.message).toBe(
      `No file at "dir/nope.txt" in the local folder ${JSON.stringify(root)}.`,
    )
    expect(missing.details).toEqual({ path: 'dir/nope.txt' })
    const below = await rejection(reader.readBytes('dir/file/below'))
    expect(below.code).toBe('SOURCE_NOT_FOUND')
    const folder = await rejection(reader.readBytes('dir'))
    expect(folder.message).toBe('Cannot read "dir": it is a folder, not a file.')
    expect(folder.details).toEqual({ path: 'dir' })
  })

  it('names device files as such, in the listing and when read', async () => {
    const reader = await createLocalFolderReader('/dev')
    const error = await rejection(reader.stat('null'))
    expect(error.code).toBe('SOURCE_READ_FAILED')
    expect(error.message).toBe(
      'Cannot package "null": it is a device file; only regular files, folders and symlinks can be packaged.',
    )
    expect(error.hint).toBe('Remove it from the folder or exclude it from the selection.')
    expect(error.details).toEqual({ path: 'null', kind: 'a device file' })
    const read = await rejection(reader.readBytes('zero'))
    expect(read.code).toBe('SOURCE_READ_FAILED')
    expect(read.message).toMatch(/^Cannot package "zero": it is a device file;/)
  })

  it('names a FIFO as a named pipe in the listing', async () => {
    execFileSync('mkfifo', [join(root, 'queue')])
    const reader = await createLocalFolderReader(root)
    const error = await rejection(reader.list(''))
    expect(error.message).toBe(
      'Cannot package "queue": it is a named pipe (FIFO); only regular files, folders and symlinks can be packaged.',
    )
    expect(error.details).toEqual({ path: 'queue', kind: 'a named pipe (FIFO)' })
  })

  it('keeps the exact size of files of 1 GiB and more (sparse files)', async () => {
    for (const size of [2 ** 30 - 1, 2 ** 30, 2 ** 31 + 5]) {
      execFileSync('truncate', ['-s', String(size), join(root, `sparse-${size}`)])
    }
    const reader = await createLocalFolderReader(root)
    expect((await reader.list('')).map((entry) => entry.size)).toEqual([
      2 ** 30 - 1,
      2 ** 30,
      2 ** 31 + 5,
    ])
    expect((await reader.stat(`sparse-${2 ** 31 + 5}`))?.size).toBe(2 ** 31 + 5)
  })

  it('streams a file in chunks of at most 64 KiB, and an empty file as nothing', async () => {
    await put('big.bin', Buffer.alloc(64 * 1024 * 2 + 1, 1))
    await put('empty', '')
    const reader = await createLocalFolderReader(root)
    const sizes: number[] = []
    for await (const chunk of reader.open('big.bin')) sizes.push((chunk as Buffer).length)
    expect(sizes).toEqual([65536, 65536, 1])
    expect((await buffer(reader.open('empty'))).length).toBe(0)
    expect((await reader.readBytes('empty')).length).toBe(0)
  })

  it('lists nothing under a symlinked folder or below one, however deep the prefix', async () => {
    await put('real/sub/x.txt', 'x')
    await symlink('real', join(root, 'linked'))
    const reader = await createLocalFolderReader(root)
    expect(await reader.list('linked/sub')).toEqual([])
    expect(await reader.stat('linked/sub/x.txt')).toBeUndefined()
    expect((await reader.list('real/sub')).map((entry) => entry.path)).toEqual(['real/sub/x.txt'])
    expect(reader.localFilePath?.('real/sub/x.txt')).toBe(join(root, 'real/sub/x.txt'))
    expect(reader.localFilePath?.('linked/sub/x.txt')).toBeUndefined()
    expect(reader.localFilePath?.('x.txt')).toBe(join(root, 'x.txt'))
  })

  it('stops listing, stat and reading when the per-call signal has fired', async () => {
    await put('a/b.txt', 'x')
    const controller = new AbortController()
    const reader = await createLocalFolderReader(root)
    controller.abort()
    const error = await rejection(reader.list('', { signal: controller.signal }))
    expect(error.code).toBe('ABORTED')
    expect(error.message).toBe('Listing the local folder was aborted.')
    const stat = await rejection(reader.stat('a/b.txt', { signal: controller.signal }))
    expect(stat.message).toBe('Reading attributes was aborted.')
    const streamed = await rejection(buffer(reader.open('a/b.txt', { signal: controller.signal })))
    expect(streamed.message).toBe('Reading "a/b.txt" was aborted.')
  })
})
