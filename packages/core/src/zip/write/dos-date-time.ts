import { PackwrightError } from '../../errors.js'

/** 1980-01-01T00:00:00Z, the earliest instant a DOS timestamp can express. */
export const DOS_EPOCH_MIN = 315_532_800
/** 2107-12-31T23:59:58Z, the latest instant a DOS timestamp can express. */
export const DOS_EPOCH_MAX = 4_354_819_198

/** A DOS date and time as stored in zip headers (two 16-bit fields). */
export interface DosDateTime {
  /** Bits 15–9: years since 1980, 8–5: month, 4–0: day. */
  readonly date: number
  /** Bits 15–11: hours, 10–5: minutes, 4–0: seconds / 2. */
  readonly time: number
}

/**
 * Converts seconds since the epoch to the DOS date and time fields, always in
 * UTC (never the local time zone), clamped to 1980-01-01..2107-12-31 and
 * rounded down to an even second.
 *
 * @throws PackwrightError `INVALID_ARGUMENT` when `epochSeconds` is not a finite number.
 */
export function dosDateTime(epochSeconds: number): DosDateTime {
  if (!Number.isFinite(epochSeconds)) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Invalid sourceDateEpoch ${String(epochSeconds)}: expected a finite number of seconds since 1970-01-01T00:00:00Z.`,
      { details: { field: 'sourceDateEpoch' } },
    )
  }
  const clamped = Math.min(Math.max(Math.floor(epochSeconds), DOS_EPOCH_MIN), DOS_EPOCH_MAX)
  const at = new Date(clamped * 1000)
  const date = ((at.getUTCFullYear() - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate()
  const time = (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | (at.getUTCSeconds() >> 1)
  return { date, time }
}
