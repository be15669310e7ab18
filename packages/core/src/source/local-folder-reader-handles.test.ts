import { readdirSync, readlinkSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buffer } from 'node:stream/consumers'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLocalFolderReader } from './local-folder-reader.js'
import { rejection } from '../../test/helpers/rejection.js'

let root: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'packwright-handles-'))
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

/** What this process's open file descriptors point at (Linux `/proc`). */
function openPaths(): string[] {
  const paths: string[] = []
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      paths.push(readlinkSync(`/proc/self/fd/${fd}`))
    } catch {
      // Closed while listed (the listing's own descriptor).
    }
  }
  return paths
}

describe.runIf(process.platform === 'linux')('local folder reader, file handles', () => {
  it('closes each file once it is read whole, streamed, or refused', async () => {
    await writeFile(join(root, 'whole.txt'), 'whole')
    await writeFile(join(root, 'streamed.bin'), Buffer.alloc(200_000, 1))
    await mkdir(join(root, 'folder'))
    const reader = await createLocalFolderReader(root)
    expect((await reader.readBytes('whole.txt')).toString()).toBe('whole')
    expect((await buffer(reader.open('streamed.bin'))).length).toBe(200_000)
    expect((await rejection(reader.readBytes('folder'))).code).toBe('SOURCE_READ_FAILED')
    expect(openPaths().filter((path) => path.startsWith(root))).toEqual([])
  })
})
