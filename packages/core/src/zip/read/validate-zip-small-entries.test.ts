import { afterEach, describe, expect, it, vi } from 'vitest'

import { type RawZipEntry, buildRawZip } from '../../../test/helpers/build-raw-zip.js'
import { rejection } from '../../../test/helpers/rejection.js'
import { useScratchZipFiles } from '../../../test/helpers/scratch-zip-files.js'
import { PackwrightError } from '../../errors.js'
import type * as ReadSmallEntryModule from './read-small-entry.js'
import { readSmallEntry } from './read-small-entry.js'
import { validateZip } from './validate-zip.js'

vi.mock('./read-small-entry.js', async (importOriginal) => {
  const original = await importOriginal<typeof ReadSmallEntryModule>()
  return { ...original, readSmallEntry: vi.fn(original.readSmallEntry) }
})

const scratch = useScratchZipFiles('packwright-validate-zip-small-')
const readSmall = vi.mocked(readSmallEntry)
const realReadSmall = readSmall.getMockImplementation()
afterEach(() => {
  readSmall.mockClear()
  if (realReadSmall !== undefined) readSmall.mockImplementation(realReadSmall)
})

const tinyEntries = (count: number): RawZipEntry[] =>
  Array.from({ length: count }, (_, i) => ({ name: `f${i}`, data: String(i) }))

describe('validateZip reading small entries', () => {
  it('notices an abort at the next check, made once every 1024 small entries', async () => {
    const path = await scratch.write(buildRawZip(tinyEntries(1500)))
    const controller = new AbortController()
    readSmall.mockImplementationOnce((...args) => {
      controller.abort()
      return realReadSmall!(...args)
    })
    const error = await rejection(validateZip(path, { signal: controller.signal }))
    expect(error.code).toBe('ABORTED')
    expect(readSmall).toHaveBeenCalledTimes(1023)
  })

  it('throws a failed read instead of reporting it', async () => {
    const path = await scratch.write(buildRawZip(tinyEntries(2)))
    readSmall.mockRejectedValueOnce(
      new PackwrightError('ZIP_READ_FAILED', 'Cannot read zip (EIO).'),
    )
    expect((await rejection(validateZip(path))).code).toBe('ZIP_READ_FAILED')
  })

  it('names the entry being read in a problem whose error does not', async () => {
    const path = await scratch.write(buildRawZip(tinyEntries(2)))
    readSmall.mockRejectedValueOnce(new PackwrightError('ZIP_ENTRY_CORRUPT', 'Bad bytes.'))
    const report = await validateZip(path)
    expect(report.problems).toEqual([
      { code: 'ZIP_ENTRY_CORRUPT', message: 'Bad bytes.', entry: 'f0' },
    ])
  })
})
