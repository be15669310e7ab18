import { describe, expect, it } from 'vitest'
import { PackwrightError } from '../../errors.js'
import { dosDateTime } from './dos-date-time.js'

describe('dosDateTime on a timestamp that is not a number of seconds', () => {
  it('throws INVALID_ARGUMENT naming the value and the field', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY]) {
      let caught: unknown
      try {
        dosDateTime(value)
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(PackwrightError)
      const error = caught as PackwrightError
      expect(error.code).toBe('INVALID_ARGUMENT')
      expect(error.message).toBe(
        `Invalid sourceDateEpoch ${String(value)}: expected a finite number of seconds since 1970-01-01T00:00:00Z.`,
      )
      expect(error.details).toEqual({ field: 'sourceDateEpoch' })
    }
  })
})
