import { runZipWriter } from './run-zip-writer.js'
import { AUTO_ZIP_WRITER_TUNING } from './zip-writer-tuning.js'
import { type WriteZipOptions, type WrittenZip } from './write-zip-options.js'
export type { WriteZipOptions, WriteZipProgress, WrittenZip } from './write-zip-options.js'

/**
 * Writes a deterministic zip: the same entries and content give the same
 * bytes on every machine, whatever the time zone, entry order, file times or
 * number of cores. Streams with bounded memory, reads each file once and
 * computes CRC-32, SHA-1 and SHA-256 in the same pass that deflates it.
 *
 * @example
 * const zip = await writeDeterministicZip({ entries, reader, outFile: 'out/app.zip' })
 * console.log(zip.sha256, zip.fileCount)
 *
 * @throws PackwrightError `ZIP_PATH_INVALID` or `ZIP_DUPLICATE_ENTRY` for bad
 * entry names (nothing is written), `ZIP_SOURCE_CHANGED` when a source's
 * length differs from its planned size, `SOURCE_READ_FAILED` when the reader
 * fails, `ZIP_WRITE_FAILED` when the file cannot be written,
 * `INVALID_ARGUMENT` for a bad option, `ABORTED` when `signal` aborts.
 */
export function writeDeterministicZip(options: WriteZipOptions): Promise<WrittenZip> {
  return runZipWriter(options, AUTO_ZIP_WRITER_TUNING)
}
