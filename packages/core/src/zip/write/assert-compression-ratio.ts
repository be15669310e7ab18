import { PackwrightError, quoteInput } from '../../errors.js'
import { type WriteZipOptions } from './write-zip-options.js'
import { type ZipEntryRecord } from './zip-records.js'

/**
 * Throws when a finished entry would make zip readers refuse the package as a
 * bomb: at least `limit.minBytes` uncompressed, shrunk by more than
 * `limit.ratio` times. The writer then removes its temp file, so nothing is
 * put in place.
 *
 * @throws PackwrightError `PACKAGE_LIMIT_EXCEEDED` naming the entry, its sizes and the limit.
 */
export function assertCompressionRatio(
  record: ZipEntryRecord,
  limit: WriteZipOptions['compressionRatioLimit'],
): void {
  if (limit === undefined || record.uncompressedSize < limit.minBytes) return
  if (record.uncompressedSize <= record.compressedSize * limit.ratio) return
  const name = record.name.toString('utf8')
  const ratio =
    record.compressedSize === 0
      ? 'unbounded'
      : (record.uncompressedSize / record.compressedSize).toFixed(1)
  throw new PackwrightError(
    'PACKAGE_LIMIT_EXCEEDED',
    `Package entry ${quoteInput(name)} compresses ${record.uncompressedSize} bytes into ${record.compressedSize} (ratio ${ratio}), ` +
      `more than the ${limit.ratio} zip readers accept for entries of ${limit.minBytes} bytes or more; nothing was written.`,
    {
      hint: 'Store the package uncompressed (`--compression-level 0`), leave the file out, or raise limits.maxCompressionRatio (`--max-compression-ratio`) if whoever reads the package accepts it.',
      details: {
        limit: 'maxCompressionRatio',
        max: limit.ratio,
        path: name,
        uncompressedSize: record.uncompressedSize,
        compressedSize: record.compressedSize,
      },
    },
  )
}
