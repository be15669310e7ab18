import { describe, expect, it } from 'vitest'

import { PackwrightError } from '../../errors.js'
import { DEFAULT_ZIP_LIMITS, type ZipLimits, resolveZipLimits } from './zip-limits.js'

function thrownBy(run: () => unknown): PackwrightError {
  try {
    run()
  } catch (error) {
    if (error instanceof PackwrightError) return error
    throw error
  }
  throw new Error('expected a throw')
}

describe('resolveZipLimits', () => {
  it('keeps the default of a field given as undefined', () => {
    const limits: Partial<ZipLimits> = { maxEntries: undefined, maxCompressionRatio: 3 }
    expect(resolveZipLimits(limits)).toEqual({ ...DEFAULT_ZIP_LIMITS, maxCompressionRatio: 3 })
  })

  it('asks for a positive integer, naming the field and the value', () => {
    const error = thrownBy(() => resolveZipLimits({ maxEntries: 0 }))
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toBe('Invalid zip limit maxEntries: expected a positive integer, got 0.')
    expect(error.details).toEqual({ field: 'maxEntries', value: 0 })
  })

  it('asks for a positive number for the compression ratio', () => {
    const error = thrownBy(() => resolveZipLimits({ maxCompressionRatio: -1.5 }))
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toBe(
      'Invalid zip limit maxCompressionRatio: expected a positive number, got -1.5.',
    )
    expect(error.details).toEqual({ field: 'maxCompressionRatio', value: -1.5 })
  })

  it.each([0, Number.POSITIVE_INFINITY, Number.NaN])(
    'refuses %s as the compression ratio',
    (ratio) => {
      const error = thrownBy(() => resolveZipLimits({ maxCompressionRatio: ratio }))
      expect(error.code).toBe('INVALID_ARGUMENT')
      expect(error.message).toBe(
        `Invalid zip limit maxCompressionRatio: expected a positive number, got ${String(ratio)}.`,
      )
    },
  )

  it('takes a compression ratio below one', () => {
    expect(resolveZipLimits({ maxCompressionRatio: 0.5 }).maxCompressionRatio).toBe(0.5)
  })
})
