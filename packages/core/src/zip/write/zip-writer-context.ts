import { setMaxListeners } from 'node:events'
import { PackwrightError, isPackwrightError, quoteInput } from '../../errors.js'
import { type PlannedEntry } from '../../plan/planned-entry.js'
import { type SourceReader } from '../../source/source-reader.js'
import { type BufferPool, createBufferPool } from './create-buffer-pool.js'
import { type ByteBudget, createByteBudget } from './create-byte-budget.js'
import { type EntryJobRunner, createEntryJobRunner } from './create-entry-job-runner.js'
import { type OrderedQueue, createOrderedQueue } from './create-ordered-queue.js'
import { type DeflateLayout } from './entry-job-processor.js'
import { type WriterPiece } from './writer-piece.js'
import { DEFLATE_PIECES, type ZipWriterTuning } from './zip-writer-tuning.js'

/**
 * What the parts of one zip writer run share: where content comes from, the
 * job runner, the memory budget and pools, the queue of pieces in archive
 * order, and the one reason the run stopped.
 */
export interface ZipWriterContext {
  readonly reader: SourceReader
  /**
   * The signal every read of the run is given: the run's own, aborted by
   * {@link ZipWriterContext.abortReads}, never the caller's. Many reads wait
   * on it at once (a job reads its entries together), so the caller's signal
   * gets one listener per run, not one per entry.
   */
  readonly signal: AbortSignal | undefined
  /** zlib level 0..9 (0 stores every entry). */
  readonly level: number
  readonly tuning: ZipWriterTuning
  readonly runner: EntryJobRunner
  /** Content bytes read but not yet written. */
  readonly budget: ByteBudget
  /** Jobs of whole entries in flight. */
  readonly batchSlots: ByteBudget
  /** Buffers of jobs of whole entries. */
  readonly batchBuffers: BufferPool
  /** Buffers of one piece of a streamed entry. */
  readonly pieceBuffers: BufferPool
  readonly queue: OrderedQueue<WriterPiece>
  /** Aborts the reads in flight and those to come, with the caller's abort `reason`. */
  abortReads(reason: unknown): void
  /** Stops the run (first reason wins): waiting producers and the consumer fail with it. */
  stop(reason: unknown): void
  /** Throws the reason the run stopped, if it did. */
  checkStopped(): void
  /** The coded error for an entry the reader could not read. */
  readFailed(entry: PlannedEntry, error: unknown): unknown
}

/** The error of a run aborted through its signal. */
export function abortedError(): PackwrightError {
  return new PackwrightError('ABORTED', 'Writing the package zip was aborted.')
}

export interface ZipWriterContextOptions {
  readonly reader: SourceReader
  /** The caller's signal; reads get the run's own signal when there is one. */
  readonly signal: AbortSignal | undefined
  readonly level: number
  readonly threads: number
  readonly tuning: ZipWriterTuning
}

/** Creates the shared state of one run; `runner.close()` must be called once it ends. */
export function createZipWriterContext(options: ZipWriterContextOptions): ZipWriterContext {
  const { reader, level, tuning } = options
  const reads = new AbortController()
  // Reads in flight at once: every entry of the jobs in flight, and a streamed entry.
  setMaxListeners(tuning.batchEntries * tuning.batchesInFlight + 2, reads.signal)
  const signal = options.signal === undefined ? undefined : reads.signal
  const deflateLayout: DeflateLayout = { level: Math.max(level, 1), ...DEFLATE_PIECES }
  const budget = createByteBudget(tuning.budgetBytes)
  const batchSlots = createByteBudget(tuning.batchesInFlight)
  const queue = createOrderedQueue<WriterPiece>()
  let stopReason: Error | undefined
  return {
    reader,
    signal,
    level,
    tuning,
    runner: createEntryJobRunner(options.threads, deflateLayout),
    budget,
    batchSlots,
    // Content and output of the jobs in flight plus those written but not yet
    // flushed; a batch rarely passes batchBytes by much.
    batchBuffers: createBufferPool(2 * (tuning.batchesInFlight + 2), tuning.batchBytes + 64 * 1024),
    // Content and output of the pieces of streamed entries: as many as the budget
    // lets through, plus the one being read and one being flushed. A deflated
    // piece is rarely larger than its content, and never by much.
    pieceBuffers: createBufferPool(
      2 * (Math.ceil(tuning.budgetBytes / DEFLATE_PIECES.chunkSize) + 2),
      DEFLATE_PIECES.chunkSize + 4 * 1024,
    ),
    queue,
    abortReads(reason) {
      reads.abort(reason)
    },
    stop(reason) {
      stopReason ??= reason instanceof Error ? reason : new Error(String(reason))
      budget.fail(stopReason)
      batchSlots.fail(stopReason)
      queue.fail(stopReason)
    },
    checkStopped() {
      if (stopReason !== undefined) throw stopReason
    },
    readFailed(entry, error) {
      if (isPackwrightError(error) || signal?.aborted === true) return error
      const message = error instanceof Error ? error.message : String(error)
      return new PackwrightError(
        'SOURCE_READ_FAILED',
        `Could not read ${quoteInput(entry.sourcePath)} from ${reader.description}: ${message}`,
        { cause: error, details: { path: entry.zipPath, sourcePath: entry.sourcePath } },
      )
    },
  }
}
