import { describe, expect, it } from 'vitest'
import { PackwrightError } from '../errors.js'
import { type SourceReader } from '../source/source-reader.js'
import { createMemorySourceReader } from '../../test/helpers/memory-source-reader.js'
import { spiceMessageOf } from './spicepod-error.js'
import { SpicepodSource } from './spicepod-source.js'

const files = {
  'pods/app/spicepod.yaml': 'x',
  'pods/app/data/a.csv': 'a',
  'pods/app/data/b.csv': 'b',
  'data/a.csv': 'outside the package root',
}

describe('SpicepodSource', () => {
  it('maps package paths to reader paths under the package root and back', async () => {
    const source = new SpicepodSource(createMemorySourceReader(files), 'pods/app', undefined)
    expect(source.readerPath('data/a.csv')).toBe('pods/app/data/a.csv')
    expect(source.packagePath('pods/app/data/a.csv')).toBe('data/a.csv')
    expect((await source.stat('data/a.csv', {}))?.path).toBe('pods/app/data/a.csv')
    expect((await source.list('data', {})).map((entry) => entry.path)).toEqual([
      'pods/app/data/a.csv',
      'pods/app/data/b.csv',
    ])
    expect(await source.stat('spicepod.yml', {})).toBeUndefined()
  })

  it('uses package paths as reader paths when the root is the reader root', async () => {
    const source = new SpicepodSource(createMemorySourceReader(files), '', undefined)
    expect(source.readerPath('data/a.csv')).toBe('data/a.csv')
    const entry = await source.stat('data/a.csv', {})
    expect(entry).toBeDefined()
    expect((await source.readBytes(entry!, {})).toString()).toBe('outside the package root')
  })

  it('turns a foreign reader failure into SPICEPOD_READ_FAILED naming the reader path', async () => {
    const reader: SourceReader = {
      ...createMemorySourceReader(files),
      list: () => Promise.reject(new Error('socket hang up')),
    }
    const source = new SpicepodSource(reader, 'pods/app', undefined)
    const failure = await source
      .list('data', { field: 'datasets[0].from' })
      .catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(PackwrightError)
    const error = failure as PackwrightError
    expect(error.code).toBe('SPICEPOD_READ_FAILED')
    expect(error.message).toMatch(/^Could not read /)
    expect(spiceMessageOf(error)).toMatch(/^Failed to read object from object store\. Could not/)
    expect(error.message).toContain('"pods/app/data"')
    expect(error.message).toContain('socket hang up')
    expect(error.details).toEqual({
      field: 'datasets[0].from',
      spiceFirstSentence: 'Failed to read object from object store.',
    })
    expect((error.cause as Error).message).toBe('socket hang up')
  })

  it('checks the abort signal before every read', async () => {
    const controller = new AbortController()
    const source = new SpicepodSource(createMemorySourceReader(files), '', controller.signal)
    controller.abort()
    await expect(source.stat('data/a.csv', {})).rejects.toMatchObject({ code: 'ABORTED' })
  })
})
