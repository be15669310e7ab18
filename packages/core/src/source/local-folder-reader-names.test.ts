import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLocalFolderReader } from './local-folder-reader.js'
import { rejection } from '../../test/helpers/rejection.js'
import { canMakeDevices } from '../../test/helpers/can-make-devices.js'

let root: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'packwright-local-names-'))
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('local folder reader, names and kinds', () => {
  it('lists a UTF-8 name that holds the replacement character U+FFFD', async () => {
    await writeFile(join(root, 'a\uFFFDb.txt'), 'x')
    await writeFile(join(root, 'plain.txt'), 'x')
    const reader = await createLocalFolderReader(root)
    expect((await reader.list('')).map((entry) => entry.path)).toEqual([
      'a\uFFFDb.txt',
      'plain.txt',
    ])
  })

  it('reports the names of one folder that are not UTF-8 in byte order', async () => {
    await mkdir(join(root, 'sub'))
    // Made out of order, so neither the order of making nor its reverse is byte order.
    for (const first of ['m', 'c', 'x', 'a', 'q']) {
      await writeFile(Buffer.from(`${root}/sub/${first}\xff`, 'latin1'), 'x')
    }
    const reader = await createLocalFolderReader(root)
    const error = await rejection(reader.list(''))
    const problems = error.details['problems'] as { pathBytes: string }[]
    expect(
      problems.map((problem) => Buffer.from(problem.pathBytes, 'hex').toString('latin1')),
    ).toEqual(['sub/a\xff', 'sub/c\xff', 'sub/m\xff', 'sub/q\xff', 'sub/x\xff'])
  })

  it('refuses to read a symlink whose target is not UTF-8', async () => {
    await symlink(Buffer.from([0x61, 0xff]), join(root, 'link'))
    const reader = await createLocalFolderReader(root)
    const error = await rejection(reader.readBytes('link'))
    expect(error.code).toBe('SOURCE_PATH_INVALID')
    expect(error.message).toMatch(/^Cannot package the symlink "link" from local folder /)
  })

  it.runIf(canMakeDevices())('names a block device as a device file', async () => {
    execFileSync('mknod', [join(root, 'disk'), 'b', '7', '0'])
    const reader = await createLocalFolderReader(root)
    const error = await rejection(reader.stat('disk'))
    expect(error.code).toBe('SOURCE_READ_FAILED')
    expect(error.details).toEqual({ path: 'disk', kind: 'a device file' })
  })
})
