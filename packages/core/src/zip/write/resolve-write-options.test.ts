import { availableParallelism } from 'node:os'
import { describe, expect, it } from 'vitest'
import { PackwrightError } from '../../errors.js'
import { type PlannedEntry } from '../../plan/planned-entry.js'
import { type SourceReader } from '../../source/source-reader.js'
import { type ZipLayoutItem } from './plan-zip-layout.js'
import { checkWriteOptions, chooseThreads, measureLayout } from './resolve-write-options.js'
import { type WriteZipOptions } from './write-zip-options.js'
import { AUTO_ZIP_WRITER_TUNING } from './zip-writer-tuning.js'

const MIB = 1024 * 1024

function options(overrides: Partial<WriteZipOptions> = {}): WriteZipOptions {
  return { entries: [], reader: {} as SourceReader, outFile: '/tmp/out.zip', ...overrides }
}

function codeAndField(action: () => unknown): [string, unknown] {
  try {
    action()
  } catch (error) {
    if (error instanceof PackwrightError) return [error.code, error.details?.field]
    throw error
  }
  return ['none', undefined]
}

describe('checkWriteOptions', () => {
  it('takes level 6 by default, and any whole level from 0 to 9', () => {
    expect(checkWriteOptions(options())).toEqual({ level: 6 })
    expect(checkWriteOptions(options({ compressionLevel: 0 }))).toEqual({ level: 0 })
    expect(checkWriteOptions(options({ compressionLevel: 9 }))).toEqual({ level: 9 })
  })

  it('refuses a level outside 0..9 or not whole', () => {
    for (const compressionLevel of [-1, 10, 2.5, Number.NaN]) {
      expect(codeAndField(() => checkWriteOptions(options({ compressionLevel })))).toEqual([
        'INVALID_ARGUMENT',
        'compressionLevel',
      ])
    }
    expect(() => checkWriteOptions(options({ compressionLevel: 10 }))).toThrow(
      'Invalid compressionLevel "10": expected a whole number from 0 (store) to 9.',
    )
  })

  it('refuses an outFile that is not a string or is blank', () => {
    for (const outFile of ['', '   ', undefined as unknown as string]) {
      expect(codeAndField(() => checkWriteOptions(options({ outFile })))).toEqual([
        'INVALID_ARGUMENT',
        'outFile',
      ])
    }
    expect(() => checkWriteOptions(options({ outFile: ' ' }))).toThrow(
      'Invalid outFile: expected a file path.',
    )
  })
})

describe('measureLayout', () => {
  it('counts files and symlinks, their bytes, and the bytes of files that deflate', () => {
    const entry = (
      zipPath: string,
      size: number,
      kind: 'file' | 'symlink' = 'file',
    ): PlannedEntry => ({
      zipPath,
      sourcePath: zipPath,
      kind,
      size,
      executable: false,
    })
    const layout: ZipLayoutItem[] = [
      { kind: 'directory', zipPath: 'a/' },
      entry('a/notes.txt', 100),
      entry('a/photo.jpg', 40),
      entry('a/link', 7, 'symlink'),
      entry('a/empty.txt', 0),
      entry('b.txt', 3),
    ]
    expect(measureLayout(layout, 6)).toEqual({ filesTotal: 5, bytesTotal: 150, deflateBytes: 103 })
    expect(measureLayout(layout, 0)).toEqual({ filesTotal: 5, bytesTotal: 150, deflateBytes: 0 })
  })
})

describe('chooseThreads', () => {
  const auto = AUTO_ZIP_WRITER_TUNING

  it('uses no worker below 2 MiB to deflate, and from 2 MiB one per core up to maxThreads and 8', () => {
    const cores = Math.min(availableParallelism(), 8)
    expect(chooseThreads(options(), auto, 2 * MIB - 1)).toBe(0)
    expect(chooseThreads(options(), auto, 2 * MIB)).toBe(cores)
    expect(chooseThreads(options({ maxThreads: 1 }), auto, 100 * MIB)).toBe(1)
    expect(chooseThreads(options({ maxThreads: 0 }), auto, 100 * MIB)).toBe(0)
    expect(chooseThreads(options({ maxThreads: 64 }), auto, 100 * MIB)).toBe(cores)
  })

  it('takes the tuning’s own thread count over the automatic choice', () => {
    expect(chooseThreads(options(), { ...auto, threads: 3 }, 0)).toBe(3)
    expect(chooseThreads(options({ maxThreads: 1 }), { ...auto, threads: 0 }, 100 * MIB)).toBe(0)
  })

  it('refuses a maxThreads that is negative or not a whole number', () => {
    for (const maxThreads of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(codeAndField(() => chooseThreads(options({ maxThreads }), auto, 0))).toEqual([
        'INVALID_ARGUMENT',
        'maxThreads',
      ])
    }
    expect(() => chooseThreads(options({ maxThreads: -1 }), { ...auto, threads: 2 }, 0)).toThrow(
      'Invalid maxThreads "-1": expected a whole number of 0 or more.',
    )
  })
})
