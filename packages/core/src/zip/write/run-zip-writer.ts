import { createHash, randomBytes } from 'node:crypto'
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { crc32 } from 'node:zlib'
import { PackwrightError, isPackwrightError, quoteInput } from '../../errors.js'
import { noopLogger } from '../../logger.js'
import { type ResourceEntry, modeFor } from '../../manifest/resource-manifest.js'
import { type PlannedEntry } from '../../plan/planned-entry.js'
import { assertCompressionRatio } from './assert-compression-ratio.js'
import { chooseCompression } from './choose-compression.js'
import { createBufferPool } from './create-buffer-pool.js'
import { createByteBudget } from './create-byte-budget.js'
import {
  type DeflateLayout,
  type FilesJobReadFailure,
  type FilesJobResult,
} from './create-entry-job-processor.js'
import { type EntryJobRunner, createEntryJobRunner } from './create-entry-job-runner.js'
import { createOrderedQueue } from './create-ordered-queue.js'
import {
  type ContentRecordFields,
  createContentRecord,
  createDirectoryRecord,
} from './create-zip-entry-record.js'
import { dosDateTime } from './dos-date-time.js'
import { type ZipLayoutItem, planZipLayout } from './plan-zip-layout.js'
import { CentralDirectoryBuffer } from './central-directory-buffer.js'
import { DEFAULT_SOURCE_DATE_EPOCH, METHOD_DEFLATE, METHOD_STORE } from '../zip-constants.js'
import { ZipFileSink } from './zip-file-sink.js'
import { readSourcePieces } from './read-source-pieces.js'
import { sourceChangedError } from './source-changed-error.js'
import {
  type ZipEntryRecord,
  encodeDataDescriptor,
  encodeEndOfCentralDirectory,
  encodeLocalFileHeader,
} from './zip-records.js'
import { type WriteZipOptions, type WrittenZip } from './write-zip-options.js'
import {
  DEFLATE_PIECES,
  STREAMED_ENTRY_THRESHOLD,
  STREAMED_ZIP64_THRESHOLD,
  type ZipWriterTuning,
} from './zip-writer-tuning.js'

/** Below this much content to deflate, starting workers costs more than it saves. */
const WORKERS_FROM_BYTES = 2 * 1024 * 1024
const PROGRESS_INTERVAL_MS = 100

type Segment =
  | { readonly kind: 'header'; readonly record: ZipEntryRecord }
  | { readonly kind: 'data'; readonly bytes: Uint8Array; readonly record?: ZipEntryRecord }
  | { readonly kind: 'descriptor'; readonly record: ZipEntryRecord }

/** Output in archive order, produced ahead of the writer. */
interface Piece {
  readonly segments: readonly Segment[]
  readonly resources: readonly ResourceEntry[]
  /** Content bytes this piece holds against the budget. */
  readonly budgetBytes: number
  /** Holds one of the whole-entry job slots. */
  readonly batchSlot: boolean
  /** Returns pooled memory the segments point into; runs once they are on disk. */
  readonly afterWrite?: () => void
  readonly filesDone: number
  readonly bytesDone: number
}

type ContentItem = Extract<ZipLayoutItem, { kind: 'file' | 'symlink' }>

function abortedError(): PackwrightError {
  return new PackwrightError('ABORTED', 'Writing the package zip was aborted.')
}

function resourceFor(item: ContentItem, sha1: string, sha256: string): ResourceEntry {
  return {
    path: item.name,
    kind: item.kind,
    size: item.entry.size,
    mode: modeFor(item.entry),
    sha1,
    sha256,
  }
}

function newRecord(item: ContentItem, fields: ContentRecordFields): ZipEntryRecord {
  return createContentRecord(item.name, item.kind, item.entry.executable, item.entry.size, fields)
}

/** Runs the writer with explicit tuning; the bytes written never depend on it. */
export async function runZipWriter(
  options: WriteZipOptions,
  tuning: ZipWriterTuning,
): Promise<WrittenZip> {
  const { reader, signal } = options
  const logger = options.logger ?? noopLogger
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
  const sourceDateEpoch =
    options.sourceDateEpoch ?? reader.sourceDateEpoch ?? DEFAULT_SOURCE_DATE_EPOCH
  const when = dosDateTime(sourceDateEpoch)
  const aborted = () => signal?.aborted === true
  if (aborted()) throw abortedError()
  const layout = planZipLayout(options.entries)

  const contentItems = layout.filter((item): item is ContentItem => item.kind !== 'directory')
  const filesTotal = contentItems.length
  const bytesTotal = contentItems.reduce((sum, item) => sum + item.entry.size, 0)
  const deflateBytes = contentItems.reduce(
    (sum, item) =>
      item.kind === 'file' && chooseCompression(item.name, item.entry.size, level) === 'deflate'
        ? sum + item.entry.size
        : sum,
    0,
  )
  const maxThreads = options.maxThreads ?? 8
  if (!Number.isSafeInteger(maxThreads) || maxThreads < 0) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Invalid maxThreads ${quoteInput(String(maxThreads))}: expected a whole number of 0 or more.`,
      { details: { field: 'maxThreads' } },
    )
  }
  const threads =
    tuning.threads === 'auto'
      ? deflateBytes < WORKERS_FROM_BYTES
        ? 0
        : Math.min(Math.max(availableParallelism(), 1), 8, maxThreads)
      : tuning.threads
  const deflateLayout: DeflateLayout = { level: Math.max(level, 1), ...DEFLATE_PIECES }

  const outFile = resolve(options.outFile)
  const tempFile = join(
    dirname(outFile),
    `.${basename(outFile)}.${randomBytes(6).toString('hex')}.partial`,
  )
  logger.debug(
    `Writing ${filesTotal} files (${bytesTotal} bytes, ${layout.length - filesTotal} folders) to ${outFile} at level ${level} with ${threads} worker threads.`,
  )

  const budget = createByteBudget(tuning.budgetBytes)
  const batchSlots = createByteBudget(tuning.batchesInFlight)
  // Content and output of the jobs in flight plus those written but not yet
  // flushed; a batch rarely passes batchBytes by much.
  const batchBuffers = createBufferPool(
    2 * (tuning.batchesInFlight + 2),
    tuning.batchBytes + 64 * 1024,
  )
  // Content and output of the pieces of streamed entries: as many as the budget
  // lets through, plus the one being read and one being flushed. A deflated
  // piece is rarely larger than its content, and never by much.
  const pieceBuffers = createBufferPool(
    2 * (Math.ceil(tuning.budgetBytes / DEFLATE_PIECES.chunkSize) + 2),
    DEFLATE_PIECES.chunkSize + 4 * 1024,
  )
  const queue = createOrderedQueue<Piece>()
  let stopReason: Error | undefined
  const stop = (reason: unknown) => {
    stopReason ??= reason instanceof Error ? reason : new Error(String(reason))
    budget.fail(stopReason)
    batchSlots.fail(stopReason)
    queue.fail(stopReason)
  }
  const onAbort = () => stop(abortedError())
  signal?.addEventListener('abort', onAbort, { once: true })
  const checkStopped = () => {
    if (stopReason !== undefined) throw stopReason
  }

  const readFailed = (entry: PlannedEntry, error: unknown): unknown => {
    if (isPackwrightError(error) || aborted()) return error
    const message = error instanceof Error ? error.message : String(error)
    return new PackwrightError(
      'SOURCE_READ_FAILED',
      `Could not read ${quoteInput(entry.sourcePath)} from ${reader.description}: ${message}`,
      { cause: error, details: { path: entry.zipPath, sourcePath: entry.sourcePath } },
    )
  }

  /** The whole content of an entry, or the local file a worker will read it from. */
  const readWhole = async (item: ContentItem): Promise<Uint8Array | { localFile: string }> => {
    const { entry } = item
    if (item.kind === 'symlink' && entry.linkTarget !== undefined) {
      const target = Buffer.from(entry.linkTarget, 'utf8')
      if (target.length !== entry.size) throw sourceChangedError(entry, `${target.length}`)
      return target
    }
    let bytes: Uint8Array
    try {
      const localFile = item.kind === 'file' ? reader.localFilePath?.(entry.sourcePath) : undefined
      if (localFile !== undefined) return { localFile }
      bytes = await reader.readBytes(entry.sourcePath, signal === undefined ? {} : { signal })
    } catch (error) {
      throw readFailed(entry, error)
    }
    if (bytes.length !== entry.size) throw sourceChangedError(entry, `${bytes.length}`)
    return bytes
  }

  /** The error for an entry a worker could not read from its local file. */
  const localReadFailed = (entry: PlannedEntry, failure: FilesJobReadFailure): unknown =>
    failure.actualSize === undefined
      ? readFailed(entry, new Error(failure.message ?? 'unknown error'))
      : sourceChangedError(entry, `${failure.actualSize}`)

  const runner: EntryJobRunner = createEntryJobRunner(threads, deflateLayout)

  /** Reads a group of whole entries, hashes and compresses them in one job. */
  const prepareBatch = async (items: readonly ZipLayoutItem[], size: number): Promise<Piece> => {
    const contents = await Promise.all(
      items.map((item) =>
        item.kind === 'directory' ? Promise.resolve(undefined) : readWhole(item),
      ),
    )
    checkStopped()
    const lengths: number[] = []
    const deflate: boolean[] = []
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as ZipLayoutItem
      if (item.kind === 'directory') continue
      lengths.push(item.entry.size)
      deflate.push(
        item.kind === 'file' && chooseCompression(item.name, item.entry.size, level) === 'deflate',
      )
    }
    let result: FilesJobResult | undefined
    if (lengths.length > 0) {
      const data = batchBuffers.take(size)
      const readFrom: (string | null)[] = []
      const readItems: ContentItem[] = []
      let at = 0
      contents.forEach((content, index) => {
        if (content === undefined) return
        const item = items[index] as ContentItem
        readItems.push(item)
        if (content instanceof Uint8Array) {
          data.set(content, at)
          readFrom.push(null)
        } else {
          readFrom.push(content.localFile)
        }
        at += item.entry.size
      })
      const local = readFrom.some((path) => path !== null)
      const done = await runner.run({
        kind: 'files',
        data,
        lengths,
        deflate,
        ...(local ? { readFrom } : {}),
        ...(deflate.includes(true) ? { output: batchBuffers.take(size) } : {}),
      })
      if (done.kind !== 'files') throw new Error('unexpected job result')
      const [failure] = done.readFailures
      if (failure !== undefined) {
        throw localReadFailed((readItems[failure.index] as ContentItem).entry, failure)
      }
      result = done
    }
    const segments: Segment[] = []
    const resources: ResourceEntry[] = []
    let index = 0
    let dataAt = 0
    let outputAt = 0
    for (const item of items) {
      if (item.kind === 'directory') {
        segments.push({ kind: 'header', record: createDirectoryRecord(item.name) })
        continue
      }
      const done = result as FilesJobResult
      const length = item.entry.size
      const deflatedLength = done.deflatedLengths[index] as number
      const bytes =
        deflatedLength < 0
          ? done.data.subarray(dataAt, dataAt + length)
          : done.output.subarray(outputAt, outputAt + deflatedLength)
      dataAt += length
      if (deflatedLength >= 0) outputAt += deflatedLength
      const record = newRecord(item, {
        method: deflatedLength < 0 ? METHOD_STORE : METHOD_DEFLATE,
        dataDescriptor: false,
        zip64Local: false,
        crc32: done.crc32[index] as number,
        compressedSize: bytes.length,
      })
      segments.push({ kind: 'header', record }, { kind: 'data', bytes })
      resources.push(resourceFor(item, done.sha1[index] as string, done.sha256[index] as string))
      index++
    }
    return {
      segments,
      resources,
      budgetBytes: size,
      batchSlot: true,
      ...(result === undefined
        ? {}
        : {
            afterWrite: () => {
              const { data, output } = result
              batchBuffers.give(data.buffer)
              if (output.buffer !== data.buffer) batchBuffers.give(output.buffer)
            },
          }),
      filesDone: lengths.length,
      bytesDone: size,
    }
  }

  /** Streams one large entry in fixed pieces: hashes here, deflates on the workers. */
  const streamEntry = async (item: ContentItem): Promise<void> => {
    const { entry } = item
    const { probeSize, chunkSize, dictionarySize } = DEFLATE_PIECES
    const tryDeflate =
      item.kind === 'file' && chooseCompression(item.name, entry.size, level) === 'deflate'
    const sha1 = createHash('sha1')
    const sha256 = createHash('sha256')
    let crc = 0
    let position = 0
    let record: ZipEntryRecord | undefined
    let dictionary: Uint8Array | undefined

    /** A piece written as it was read: its buffer goes back to the pool once it is on disk. */
    const storedPiece = (
      segments: readonly Segment[],
      piece: Uint8Array,
      budgetBytes: number,
    ): Piece => ({
      segments,
      resources: [],
      budgetBytes,
      batchSlot: false,
      afterWrite: () => pieceBuffers.give(piece.buffer),
      filesDone: 0,
      bytesDone: budgetBytes,
    })

    const take = async (chunk: Uint8Array): Promise<void> => {
      crc = crc32(chunk, crc)
      sha1.update(chunk)
      sha256.update(chunk)
      position += chunk.length
      const final = position === entry.size
      const tail = chunk.slice(Math.max(0, chunk.length - dictionarySize))
      const length = chunk.length
      await budget.acquire(length)
      if (record === undefined) {
        let method: typeof METHOD_STORE | typeof METHOD_DEFLATE = METHOD_STORE
        let content = chunk
        let deflated: Uint8Array | undefined
        if (tryDeflate) {
          // The probe: the job hands the content back, to be stored if it does not shrink.
          const probe = await runner.run({
            kind: 'chunk',
            data: chunk,
            dictionary: undefined,
            final,
            output: pieceBuffers.take(length),
          })
          if (probe.kind !== 'chunk') throw new Error('unexpected job result')
          content = probe.data
          if (probe.output.length < length) {
            method = METHOD_DEFLATE
            deflated = probe.output
          } else {
            pieceBuffers.give(probe.output.buffer)
          }
        }
        const created = newRecord(item, {
          method,
          dataDescriptor: true,
          zip64Local: entry.size >= STREAMED_ZIP64_THRESHOLD,
          crc32: 0,
          compressedSize: 0,
        })
        record = created
        const header: Segment = { kind: 'header', record: created }
        if (deflated === undefined) {
          const segments: Segment[] = [header, { kind: 'data', bytes: content, record: created }]
          queue.push(Promise.resolve(storedPiece(segments, content, length)))
        } else {
          pieceBuffers.give(content.buffer)
          const output = deflated
          queue.push(
            Promise.resolve({
              segments: [header, { kind: 'data', bytes: output, record: created }],
              resources: [],
              budgetBytes: length,
              batchSlot: false,
              afterWrite: () => pieceBuffers.give(output.buffer),
              filesDone: 0,
              bytesDone: length,
            }),
          )
        }
      } else if (record.method === METHOD_STORE) {
        const segments: Segment[] = [{ kind: 'data', bytes: chunk, record }]
        queue.push(Promise.resolve(storedPiece(segments, chunk, length)))
      } else {
        const owner = record
        queue.push(
          runner
            .run({
              kind: 'chunk',
              data: chunk,
              dictionary,
              final,
              output: pieceBuffers.take(length),
            })
            .then((done) => {
              if (done.kind !== 'chunk') throw new Error('unexpected job result')
              pieceBuffers.give(done.data.buffer)
              return {
                segments: [{ kind: 'data', bytes: done.output, record: owner }],
                resources: [],
                budgetBytes: length,
                batchSlot: false,
                afterWrite: () => pieceBuffers.give(done.output.buffer),
                filesDone: 0,
                bytesDone: length,
              }
            }),
        )
      }
      dictionary = tail
      checkStopped()
    }

    try {
      const localFile = item.kind === 'file' ? reader.localFilePath?.(entry.sourcePath) : undefined
      await readSourcePieces(
        { reader, entry, localFile, ...(signal === undefined ? {} : { signal }) },
        { firstSize: probeSize, pieceSize: chunkSize },
        pieceBuffers,
        take,
      )
    } catch (error) {
      throw readFailed(entry, error)
    }
    if (position !== entry.size || record === undefined) {
      throw sourceChangedError(entry, `${position}`)
    }
    const finished = record
    finished.crc32 = crc >>> 0
    queue.push(
      Promise.resolve({
        segments: [{ kind: 'descriptor', record: finished }],
        resources: [resourceFor(item, sha1.digest('hex'), sha256.digest('hex'))],
        budgetBytes: 0,
        batchSlot: false,
        filesDone: 1,
        bytesDone: 0,
      }),
    )
  }

  /** Walks the layout in order and queues its pieces, ahead of the writer within the budget. */
  const produce = async (): Promise<void> => {
    let batch: ZipLayoutItem[] = []
    let batchSize = 0
    const flushBatch = async () => {
      if (batch.length === 0) return
      const items = batch
      const size = batchSize
      batch = []
      batchSize = 0
      await batchSlots.acquire(1)
      await budget.acquire(size)
      queue.push(prepareBatch(items, size))
    }
    for (const item of layout) {
      checkStopped()
      if (item.kind !== 'directory' && item.entry.size > STREAMED_ENTRY_THRESHOLD) {
        await flushBatch()
        await streamEntry(item)
        continue
      }
      batch.push(item)
      if (item.kind !== 'directory') batchSize += item.entry.size
      if (batch.length >= tuning.batchEntries || batchSize >= tuning.batchBytes) await flushBatch()
    }
    await flushBatch()
  }

  const centralDirectory = new CentralDirectoryBuffer(when)
  const resources: ResourceEntry[] = []
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
    producing = produce().then(
      () => queue.close(),
      (error: unknown) => stop(error),
    )

    let filesDone = 0
    let bytesDone = 0
    let reportedAt = 0
    const report = (force: boolean) => {
      if (options.onProgress === undefined) return
      const now = performance.now()
      if (!force && now - reportedAt < PROGRESS_INTERVAL_MS) return
      reportedAt = now
      options.onProgress({ filesDone, filesTotal, bytesDone, bytesTotal })
    }
    for (;;) {
      const piece = await queue.shift()
      if (piece === undefined) break
      checkStopped()
      for (const segment of piece.segments) {
        let bytes: Uint8Array
        if (segment.kind === 'header') {
          segment.record.localHeaderOffset = sink.offset
          bytes = encodeLocalFileHeader(segment.record, when)
          if (!segment.record.dataDescriptor) {
            assertCompressionRatio(segment.record, options.compressionRatioLimit)
            centralDirectory.add(segment.record)
          }
        } else if (segment.kind === 'data') {
          bytes = segment.bytes
          if (segment.record !== undefined) segment.record.compressedSize += bytes.length
        } else {
          assertCompressionRatio(segment.record, options.compressionRatioLimit)
          bytes = encodeDataDescriptor(segment.record)
          centralDirectory.add(segment.record)
        }
        if (sink.append(bytes)) await sink.flush()
      }
      if (piece.afterWrite !== undefined) sink.afterFlush(piece.afterWrite)
      resources.push(...piece.resources)
      budget.release(piece.budgetBytes)
      if (piece.batchSlot) batchSlots.release(1)
      filesDone += piece.filesDone
      bytesDone += piece.bytesDone
      report(false)
    }
    await producing
    checkStopped()

    const centralDirectoryOffset = sink.offset
    for (const slice of centralDirectory.slices()) {
      if (sink.append(slice)) await sink.flush()
    }
    sink.append(
      encodeEndOfCentralDirectory({
        entryCount: centralDirectory.entryCount,
        size: sink.offset - centralDirectoryOffset,
        offset: centralDirectoryOffset,
      }),
    )
    await sink.flush()
    const closing = handle
    handle = undefined
    await closing.close()
    checkStopped()
    await rename(tempFile, outFile)
    report(true)
    tuning.onMemoryUse?.({
      batchBuffers: batchBuffers.created,
      pieceBuffers: pieceBuffers.created,
    })
    const written: WrittenZip = {
      path: outFile,
      sha256: sink.digest(),
      size: sink.offset,
      entries: resources,
      fileCount: filesTotal,
      sourceDateEpoch,
    }
    logger.info(
      `Wrote ${outFile}: ${written.size} bytes, ${filesTotal} files, sha256 ${written.sha256}.`,
    )
    return written
  } catch (error) {
    stop(error)
    await runner.close()
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
    await runner.close()
  }
}
