import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLocalFolderReader } from './local-folder-reader.js'

let base: string
let link: string
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'packwright-local-linked-root-'))
  await mkdir(join(base, 'real', 'sub'), { recursive: true })
  await writeFile(join(base, 'real', 'top.txt'), 'top')
  await writeFile(join(base, 'real', 'sub', 'deep.txt'), 'deep')
  link = join(base, 'link')
  await symlink(join(base, 'real'), link)
})
afterEach(async () => {
  await rm(base, { recursive: true, force: true })
})

describe('local folder reader rooted at a symlink to a folder', () => {
  it('lists the whole folder the symlink names', async () => {
    const reader = await createLocalFolderReader(link)
    expect((await reader.list('')).map((entry) => entry.path)).toEqual(['sub/deep.txt', 'top.txt'])
  })

  it('lists a sub-folder through the symlinked root', async () => {
    const reader = await createLocalFolderReader(link)
    expect((await reader.list('sub')).map((entry) => entry.path)).toEqual(['sub/deep.txt'])
  })

  it('reads files at the top and in sub-folders', async () => {
    const reader = await createLocalFolderReader(link)
    expect((await reader.readBytes('top.txt')).toString()).toBe('top')
    expect((await reader.readBytes('sub/deep.txt')).toString()).toBe('deep')
    expect((await reader.stat('sub/deep.txt'))?.size).toBe(4)
  })

  it('names local files below the symlinked root', async () => {
    const reader = await createLocalFolderReader(link)
    expect(reader.localFilePath?.('sub/deep.txt')).toBe(join(link, 'sub', 'deep.txt'))
    expect(reader.localFilePath?.('top.txt')).toBe(join(link, 'top.txt'))
  })
})

describe('local folder reader streams', () => {
  it('gives a byte stream: read(n) answers n bytes, not a whole chunk', async () => {
    await writeFile(join(base, 'real', 'bytes.bin'), 'abcdefghij')
    const reader = await createLocalFolderReader(link)
    const stream = reader.open('bytes.bin')
    expect(stream.readableObjectMode).toBe(false)
    const first = await new Promise<Buffer>((resolve, reject) => {
      stream.once('error', reject)
      const take = (): void => {
        const bytes = stream.read(3) as Buffer | null
        if (bytes === null) stream.once('readable', take)
        else resolve(bytes)
      }
      take()
    })
    expect(first.toString()).toBe('abc')
    stream.destroy()
  })
})
