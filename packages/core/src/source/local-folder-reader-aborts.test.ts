import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buffer } from 'node:stream/consumers'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLocalFolderReader } from './local-folder-reader.js'
import { rejection } from '../../test/helpers/rejection.js'

// Each call below is made, then the signal fires before the call's first wait
// is over: the abort lands while the listing or read is under way.

let root: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'packwright-aborts-'))
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('local folder reader, aborted while at work', () => {
  it('stops listing between two folder levels', async () => {
    await mkdir(join(root, 'sub'))
    await writeFile(join(root, 'sub', 'a.txt'), 'a')
    const reader = await createLocalFolderReader(root)
    const controller = new AbortController()
    const listing = reader.list('', { signal: controller.signal })
    controller.abort()
    const error = await rejection(listing)
    expect(error.code).toBe('ABORTED')
    expect(error.message).toBe('Listing the local folder was aborted.')
  })

  it('stops a listing of one level before returning it', async () => {
    await writeFile(join(root, 'a.txt'), 'a')
    const reader = await createLocalFolderReader(root)
    const controller = new AbortController()
    const listing = reader.list('', { signal: controller.signal })
    controller.abort()
    const error = await rejection(listing)
    expect(error.code).toBe('ABORTED')
    expect(error.message).toBe('Listing the local folder was aborted.')
  })

  it('stops reading a file whole, keeping the reason', async () => {
    await writeFile(join(root, 'data.bin'), Buffer.alloc(1024 * 1024, 7))
    const reader = await createLocalFolderReader(root)
    const controller = new AbortController()
    const reading = reader.readBytes('data.bin', { signal: controller.signal })
    controller.abort()
    const error = await rejection(reading)
    expect(error.code).toBe('ABORTED')
    expect(error.message).toBe('Reading "data.bin" was aborted.')
    expect(error.cause).toBe(controller.signal.reason)
  })

  it('stops a stream between two chunks', async () => {
    await writeFile(join(root, 'data.bin'), Buffer.alloc(1024 * 1024, 7))
    const reader = await createLocalFolderReader(root)
    const controller = new AbortController()
    const stream = reader.open('data.bin', { signal: controller.signal })
    const chunks = stream[Symbol.asyncIterator]()
    expect(((await chunks.next()).value as Buffer).length).toBe(64 * 1024)
    controller.abort()
    const error = await rejection(buffer(stream))
    expect(error.code).toBe('ABORTED')
    expect(error.message).toBe('Reading "data.bin" was aborted.')
  })
})
