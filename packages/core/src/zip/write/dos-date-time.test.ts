import { describe, expect, it } from 'vitest'
import { isPackwrightError } from '../../errors.js'
import { DOS_EPOCH_MAX, DOS_EPOCH_MIN, dosDateTime } from './dos-date-time.js'

/** Decodes the two DOS fields back into an ISO string (UTC), independently of the encoder. */
function decode({ date, time }: { date: number; time: number }): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  const year = (date >> 9) + 1980
  return `${year}-${pad((date >> 5) & 15)}-${pad(date & 31)}T${pad(time >> 11)}:${pad((time >> 5) & 63)}:${pad((time & 31) * 2)}Z`
}

describe('dosDateTime', () => {
  it('encodes 1980-01-01T00:00:00Z as date 0x21, time 0', () => {
    expect(dosDateTime(DOS_EPOCH_MIN)).toEqual({ date: 0x21, time: 0 })
  })

  it('encodes a commit time in UTC, rounding odd seconds down', () => {
    // 2024-02-29T23:59:59Z
    expect(decode(dosDateTime(1_709_251_199))).toBe('2024-02-29T23:59:58Z')
    // 2021-06-15T08:30:42Z
    expect(decode(dosDateTime(1_623_745_842))).toBe('2021-06-15T08:30:42Z')
  })

  it('agrees with Date.UTC on many instants', () => {
    for (let seconds = DOS_EPOCH_MIN; seconds < DOS_EPOCH_MAX; seconds += 86_399 * 97 + 13) {
      const iso = new Date(Math.floor(seconds / 2) * 2000).toISOString().replace('.000', '')
      expect(decode(dosDateTime(seconds))).toBe(iso)
    }
  })

  it('clamps instants before 1980 and after 2107 to the DOS range', () => {
    expect(dosDateTime(0)).toEqual(dosDateTime(DOS_EPOCH_MIN))
    expect(dosDateTime(-1e12)).toEqual(dosDateTime(DOS_EPOCH_MIN))
    expect(decode(dosDateTime(1e12))).toBe('2107-12-31T23:59:58Z')
  })

  it('ignores fractions of a second', () => {
    expect(dosDateTime(1_623_745_842.999)).toEqual(dosDateTime(1_623_745_842))
  })

  it('rejects non-finite values with INVALID_ARGUMENT', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      let caught: unknown
      try {
        dosDateTime(bad)
      } catch (error) {
        caught = error
      }
      expect(isPackwrightError(caught, 'INVALID_ARGUMENT')).toBe(true)
    }
  })
})
