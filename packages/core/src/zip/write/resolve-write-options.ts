import { availableParallelism } from 'node:os'
import { PackwrightError, quoteInput } from '../../errors.js'
import { chooseCompression } from './choose-compression.js'
import { type ZipLayoutItem } from './plan-zip-layout.js'
import { type WriteZipOptions } from './write-zip-options.js'
import { type ZipWriterTuning } from './zip-writer-tuning.js'

/** Below this much content to deflate, starting workers costs more than it saves. */
const WORKERS_FROM_BYTES = 2 * 1024 * 1024
/** Worker threads at most, whatever the machine. */
const MAX_THREADS = 8

/**
 * Checks the options that do not depend on the entries: the compression
 * level and the output path.
 * @throws PackwrightError `INVALID_ARGUMENT`
 */
export function checkWriteOptions(options: WriteZipOptions): { level: number } {
  const level = options.compressionLevel ?? 6
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Invalid compressionLevel ${quoteInput(String(level))}: expected a whole number from 0 (store) to 9.`,
      { details: { field: 'compressionLevel' } },
    )
  }
  if (typeof options.outFile !== 'string' || options.outFile.trim() === '') {
    throw new PackwrightError('INVALID_ARGUMENT', 'Invalid outFile: expected a file path.', {
      details: { field: 'outFile' },
    })
  }
  return { level }
}

/** Files, bytes and bytes to deflate of a layout: what progress counts and threads depend on. */
export function measureLayout(
  layout: readonly ZipLayoutItem[],
  level: number,
): { filesTotal: number; bytesTotal: number; deflateBytes: number } {
  let filesTotal = 0
  let bytesTotal = 0
  let deflateBytes = 0
  for (const item of layout) {
    if (item.kind === 'directory') continue
    filesTotal++
    bytesTotal += item.size
    if (item.kind === 'file' && chooseCompression(item.zipPath, item.size, level) === 'deflate') {
      deflateBytes += item.size
    }
  }
  return { filesTotal, bytesTotal, deflateBytes }
}

/**
 * How many worker threads deflate: the tuning's number, or with 'auto' none
 * for little content and else one per core, at most `maxThreads` and 8.
 * @throws PackwrightError `INVALID_ARGUMENT` for a bad `maxThreads`
 */
export function chooseThreads(
  options: WriteZipOptions,
  tuning: ZipWriterTuning,
  deflateBytes: number,
): number {
  const maxThreads = options.maxThreads ?? MAX_THREADS
  if (!Number.isSafeInteger(maxThreads) || maxThreads < 0) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Invalid maxThreads ${quoteInput(String(maxThreads))}: expected a whole number of 0 or more.`,
      { details: { field: 'maxThreads' } },
    )
  }
  if (tuning.threads !== 'auto') return tuning.threads
  if (deflateBytes < WORKERS_FROM_BYTES) return 0
  return Math.min(Math.max(availableParallelism(), 1), MAX_THREADS, maxThreads)
}
