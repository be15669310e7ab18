import { describe, expect, it } from 'vitest'
import { PackwrightError } from '../../errors.js'
import { assertCompressionRatio } from './assert-compression-ratio.js'
import { createContentRecord } from './create-zip-entry-record.js'

function entry(uncompressedSize: number, compressedSize: number) {
  return createContentRecord('data/zeros.bin', 'file', false, uncompressedSize, {
    method: 8,
    dataDescriptor: false,
    zip64Local: false,
    crc32: 0,
    compressedSize,
  })
}

function thrown(action: () => void): PackwrightError {
  try {
    action()
  } catch (error) {
    if (error instanceof PackwrightError) return error
    throw error
  }
  throw new Error('expected a PackwrightError')
}

const limit = { ratio: 100, minBytes: 1000 }

describe('assertCompressionRatio', () => {
  it('accepts any ratio when there is no limit', () => {
    expect(() => assertCompressionRatio(entry(1_000_000, 1), undefined)).not.toThrow()
  })

  it('accepts an entry under minBytes whatever its ratio, and checks one of exactly minBytes', () => {
    expect(() => assertCompressionRatio(entry(999, 0), limit)).not.toThrow()
    expect(() => assertCompressionRatio(entry(1000, 0), limit)).toThrow(PackwrightError)
  })

  it('accepts an entry exactly at the ratio and refuses one a byte past it', () => {
    expect(() => assertCompressionRatio(entry(10_000, 100), limit)).not.toThrow()
    expect(() => assertCompressionRatio(entry(10_001, 100), limit)).toThrow(PackwrightError)
  })

  it('names the entry, its sizes, its ratio and the limit', () => {
    const error = thrown(() => assertCompressionRatio(entry(123_456, 1000), limit))
    expect(error.code).toBe('PACKAGE_LIMIT_EXCEEDED')
    expect(error.message).toBe(
      'Package entry "data/zeros.bin" compresses 123456 bytes into 1000 (ratio 123.5), ' +
        'more than the 100 zip readers accept for entries of 1000 bytes or more; nothing was written.',
    )
    expect(error.hint).toContain('--compression-level 0')
    expect(error.details).toEqual({
      limit: 'maxCompressionRatio',
      max: 100,
      path: 'data/zeros.bin',
      uncompressedSize: 123_456,
      compressedSize: 1000,
    })
  })

  it('calls the ratio unbounded when the entry compresses to nothing', () => {
    const error = thrown(() => assertCompressionRatio(entry(5000, 0), limit))
    expect(error.message).toContain('into 0 (ratio unbounded)')
  })
})
