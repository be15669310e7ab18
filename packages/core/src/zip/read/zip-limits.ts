import { PackwrightError } from '../../errors.js'

/** Resource bounds a zip must stay within before and while it is read. */
export interface ZipLimits {
  /** Most entries an archive may hold (declared count and actual records). */
  readonly maxEntries: number
  /** Most bytes all entries may inflate to, declared and actual (Cloud Foundry's package limit). */
  readonly maxTotalUncompressedBytes: number
  /** Highest uncompressed-to-compressed ratio allowed for an entry of at least `ratioCheckMinBytes`. */
  readonly maxCompressionRatio: number
  /** Entries smaller than this (uncompressed) are not ratio-checked: a few MiB of zeros is a real file. */
  readonly ratioCheckMinBytes: number
  /** Largest central directory read into memory; bounds metadata memory and the time spent parsing it. */
  readonly maxCentralDirectoryBytes: number
}

/** Defaults: 100,000 entries, 1 GiB in total, ratio 200 checked from 64 MiB, 128 MiB of central directory. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = Object.freeze({
  maxEntries: 100_000,
  maxTotalUncompressedBytes: 1024 ** 3,
  maxCompressionRatio: 200,
  ratioCheckMinBytes: 64 * 1024 ** 2,
  maxCentralDirectoryBytes: 128 * 1024 ** 2,
})

/**
 * Fills unset fields of `limits` from {@link DEFAULT_ZIP_LIMITS}.
 *
 * @throws PackwrightError `INVALID_ARGUMENT` when a limit is not a positive safe integer
 *   (`maxCompressionRatio` may be any positive number).
 */
export function resolveZipLimits(limits: Partial<ZipLimits> = {}): ZipLimits {
  const resolved: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...stripUndefined(limits) }
  for (const [field, value] of Object.entries(resolved) as [keyof ZipLimits, number][]) {
    const valid =
      field === 'maxCompressionRatio'
        ? typeof value === 'number' && Number.isFinite(value) && value > 0
        : Number.isSafeInteger(value) && value > 0
    if (!valid) {
      throw new PackwrightError(
        'INVALID_ARGUMENT',
        `Invalid zip limit ${field}: expected a positive ${field === 'maxCompressionRatio' ? 'number' : 'integer'}, got ${String(value)}.`,
        { details: { field, value } },
      )
    }
  }
  return resolved
}

function stripUndefined(limits: Partial<ZipLimits>): Partial<ZipLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined))
}
