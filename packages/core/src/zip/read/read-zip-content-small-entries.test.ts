import { afterEach, describe, expect, it, vi } from 'vitest'

import { type RawZipEntry, buildRawZip } from '../../../test/helpers/build-raw-zip.js'
import { rejection } from '../../../test/helpers/rejection.js'
import { useScratchZipFiles } from '../../../test/helpers/scratch-zip-files.js'
import type * as ReadSmallEntryModule from './read-small-entry.js'
import { readSmallEntry } from './read-small-entry.js'
import { readZipContent } from './read-zip-content.js'

vi.mock('./read-small-entry.js', async (importOriginal) => {
  const original = await importOriginal<typeof ReadSmallEntryModule>()
  return { ...original, readSmallEntry: vi.fn(original.readSmallEntry) }
})

const scratch = useScratchZipFiles('packwright-zip-content-small-')
const readSmall = vi.mocked(readSmallEntry)
const realReadSmall = readSmall.getMockImplementation()
afterEach(() => {
  readSmall.mockClear()
  if (realReadSmall !== undefined) readSmall.mockImplementation(realReadSmall)
})

const tinyEntries = (count: number): RawZipEntry[] =>
  Array.from({ length: count }, (_, i) => ({ name: `f${i}`, data: String(i) }))

/** Aborts `controller` as the first small entry is read. */
function abortOnFirstSmallEntry(controller: AbortController): void {
  readSmall.mockImplementationOnce((...args) => {
    controller.abort()
    return realReadSmall!(...args)
  })
}

describe('readZipContent reading small entries', () => {
  it('notices an abort at the next check, made once every 1024 small entries', async () => {
    const path = await scratch.write(buildRawZip(tinyEntries(1500)))
    const controller = new AbortController()
    abortOnFirstSmallEntry(controller)
    const error = await rejection(readZipContent(path, { signal: controller.signal }))
    expect(error.code).toBe('ABORTED')
    expect(readSmall).toHaveBeenCalledTimes(1023)
  })

  it('hands the signal to the next streamed entry', async () => {
    const large = { name: 'large.bin', data: Buffer.alloc(100 * 1024, 'z') }
    const path = await scratch.write(buildRawZip([...tinyEntries(1), large]))
    const controller = new AbortController()
    abortOnFirstSmallEntry(controller)
    const error = await rejection(readZipContent(path, { signal: controller.signal }))
    expect(error.code).toBe('ABORTED')
    expect(readSmall).toHaveBeenCalledTimes(1)
  })
})
