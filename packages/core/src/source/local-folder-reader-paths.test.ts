import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLocalFolderReader } from './local-folder-reader.js'
import { rejection } from '../../test/helpers/rejection.js'

let root: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'packwright-local-paths-'))
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('local folder reader, paths', () => {
  it('names the local folder when it refuses a path', async () => {
    const reader = await createLocalFolderReader(root)
    const error = await rejection(reader.readBytes('../outside.txt'))
    expect(error.code).toBe('SOURCE_PATH_INVALID')
    expect(error.message).toContain(`for the local folder ${root}: it has a \`..\` segment`)
  })

  it('names files under the file system root without a doubled slash', async () => {
    const reader = await createLocalFolderReader('/')
    expect(reader.localFilePath?.('tmp')).toBe('/tmp')
  })

  it('names no local file below a folder that does not exist', async () => {
    const reader = await createLocalFolderReader(root)
    expect(reader.localFilePath?.('missing/file.txt')).toBeUndefined()
  })

  it('names the local file below folders met while listing', async () => {
    await mkdir(join(root, 'real', 'sub'), { recursive: true })
    await writeFile(join(root, 'real', 'sub', 'x.txt'), 'x')
    const reader = await createLocalFolderReader(root)
    expect((await reader.list('')).map((entry) => entry.path)).toEqual(['real/sub/x.txt'])
    expect(reader.localFilePath?.('real/sub/x.txt')).toBe(join(root, 'real', 'sub', 'x.txt'))
  })
})
