import { randomBytes } from 'node:crypto'
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { PackwrightError, isPackwrightError, quoteInput } from '../../errors.js'
import { noopLogger } from '../../logger.js'
import { DEFAULT_SOURCE_DATE_EPOCH } from '../zip-constants.js'
import { dosDateTime } from './dos-date-time.js'
import { planZipLayout } from './plan-zip-layout.js'
import { produceWriterPieces } from './produce-writer-pieces.js'
import { checkWriteOptions, chooseThreads, measureLayout } from './resolve-write-options.js'
import { type WriteZipOptions, type WrittenZip } from './write-zip-options.js'
import { writePiecesInOrder } from './write-pieces-in-order.js'
import { ZipFileSink } from './zip-file-sink.js'
import { encodeEndOfCentralDirectory } from './zip-records.js'
import { abortedError, createZipWriterContext } from './zip-writer-context.js'
import { type ZipWriterTuning } from './zip-writer-tuning.js'

/**
 * Runs the writer with explicit tuning; the bytes written never depend on it.
 *
 * Plans the layout, then a producer (`produceWriterPieces`) queues pieces in
 * archive order while one consumer (`writePiecesInOrder`) writes them to a
 * temporary file beside `outFile`; the central directory follows, and the
 * file is renamed into place. On any failure or abort the temporary file is
 * removed.
 */
export async function runZipWriter(
  options: WriteZipOptions,
  tuning: ZipWriterTuning,
): Promise<WrittenZip> {
  const { reader, signal } = options
  const logger = options.logger ?? noopLogger
  const { level } = checkWriteOptions(options)
  const sourceDateEpoch =
    options.sourceDateEpoch ?? reader.sourceDateEpoch ?? DEFAULT_SOURCE_DATE_EPOCH
  const when = dosDateTime(sourceDateEpoch)
  const aborted = () => signal?.aborted === true
  if (aborted()) throw abortedError()
  const layout = planZipLayout(options.entries)
  const { filesTotal, bytesTotal, deflateBytes } = measureLayout(layout, level)
  const threads = chooseThreads(options, tuning, deflateBytes)

  const outFile = resolve(options.outFile)
  const tempFile = join(
    dirname(outFile),
    `.${basename(outFile)}.${randomBytes(6).toString('hex')}.partial`,
  )
  logger.debug(
    `Writing ${filesTotal} files (${bytesTotal} bytes, ${layout.length - filesTotal} folders) to ${outFile} at level ${level} with ${threads} worker threads.`,
  )

  const context = createZipWriterContext({ reader, signal, level, threads, tuning })
  // The one listener of the run on the caller's signal; reads wait on the run's own.
  const onAbort = () => {
    context.abortReads(signal?.reason)
    context.stop(abortedError())
  }
  signal?.addEventListener('abort', onAbort, { once: true })
  let handle: FileHandle | undefined
  let producing: Promise<void> | undefined
  try {
    try {
      await mkdir(dirname(outFile), { recursive: true })
      handle = await open(tempFile, 'wx')
    } catch (error) {
      throw new PackwrightError(
        'ZIP_WRITE_FAILED',
        `Could not create ${quoteInput(tempFile)} next to the package zip: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error, details: { path: outFile } },
      )
    }
    const sink = new ZipFileSink(handle)
    producing = produceWriterPieces(context, layout).then(
      () => context.queue.close(),
      (error: unknown) => context.stop(error),
    )
    const written = await writePiecesInOrder(
      context,
      sink,
      layout,
      when,
      { filesTotal, bytesTotal },
      options,
    )
    await producing
    context.checkStopped()

    const { centralDirectory } = written
    const centralDirectoryOffset = sink.offset
    let centralDirectorySize = 0
    for (const slice of centralDirectory.slices()) {
      // Each slice reuses the buffer of the one before: write it before taking the next.
      sink.append(slice)
      centralDirectorySize += slice.length
      await sink.flush()
    }
    sink.append(
      encodeEndOfCentralDirectory({
        entryCount: centralDirectory.entryCount,
        size: centralDirectorySize,
        offset: centralDirectoryOffset,
      }),
    )
    await sink.flush()
    const closing = handle
    handle = undefined
    await closing.close()
    context.checkStopped()
    await rename(tempFile, outFile)
    written.reportDone()
    tuning.onMemoryUse?.({
      batchBuffers: context.batchBuffers.created,
      pieceBuffers: context.pieceBuffers.created,
    })
    const zip: WrittenZip = {
      path: outFile,
      sha256: sink.digest(),
      size: sink.offset,
      entries: written.resources,
      fileCount: filesTotal,
      sourceDateEpoch,
    }
    logger.info(`Wrote ${outFile}: ${zip.size} bytes, ${filesTotal} files, sha256 ${zip.sha256}.`)
    return zip
  } catch (error) {
    context.stop(error)
    await context.runner.close()
    await producing
    await handle?.close().catch(() => undefined)
    await rm(tempFile, { force: true }).catch(() => undefined)
    if (aborted()) throw abortedError()
    if (isPackwrightError(error)) throw error
    throw new PackwrightError(
      'ZIP_WRITE_FAILED',
      `Could not write the package zip ${quoteInput(outFile)}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error, details: { path: outFile } },
    )
  } finally {
    signal?.removeEventListener('abort', onAbort)
    await context.runner.close()
  }
}
