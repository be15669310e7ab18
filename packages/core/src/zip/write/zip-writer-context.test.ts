import { afterEach, describe, expect, it } from 'vitest'
import { createMemorySourceReader } from '../../../test/helpers/memory-source-reader.js'
import { isPackwrightError } from '../../errors.js'
import { type BufferPool } from './create-buffer-pool.js'
import {
  type ZipWriterContext,
  abortedError,
  createZipWriterContext,
} from './zip-writer-context.js'
import {
  AUTO_ZIP_WRITER_TUNING,
  DEFLATE_PIECES,
  type ZipWriterTuning,
} from './zip-writer-tuning.js'

const contexts: ZipWriterContext[] = []
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.runner.close()))
})

/** A context over an empty source, its jobs on the calling thread. */
function contextOf(
  tuning: Partial<ZipWriterTuning> = {},
  signal: AbortSignal | undefined = undefined,
): ZipWriterContext {
  const context = createZipWriterContext({
    reader: createMemorySourceReader({}),
    signal,
    level: 6,
    threads: 0,
    tuning: { ...AUTO_ZIP_WRITER_TUNING, threads: 0, ...tuning },
  })
  contexts.push(context)
  return context
}

/** Takes `count` small buffers from `pool` and gives them all back. */
function cycle(pool: BufferPool, count: number): void {
  const taken = Array.from({ length: count }, () => pool.take(1))
  for (const view of taken) pool.give(view.buffer)
}

describe('abortedError', () => {
  it('says the zip was aborted, with the ABORTED code', () => {
    const error = abortedError()
    expect(isPackwrightError(error, 'ABORTED')).toBe(true)
    expect(error.message).toBe('Writing the package zip was aborted.')
  })
})

describe('createZipWriterContext', () => {
  it('gives reads no signal when the caller gave none', () => {
    expect(contextOf().signal).toBeUndefined()
  })

  it('gives reads a signal of the run’s own, aborted by abortReads with its reason', () => {
    const caller = new AbortController()
    const context = contextOf({}, caller.signal)
    expect(context.signal).toBeDefined()
    expect(context.signal).not.toBe(caller.signal)
    const reason = new Error('stop reading')
    context.abortReads(reason)
    expect(context.signal?.aborted).toBe(true)
    expect(context.signal?.reason).toBe(reason)
    expect(caller.signal.aborted).toBe(false)
  })

  it('keeps twice as many batch buffers as jobs in flight plus two, and no more', () => {
    const { batchBuffers } = contextOf({ batchesInFlight: 1, batchBytes: 1024 })
    cycle(batchBuffers, 7)
    expect(batchBuffers.created).toBe(7)
    // Six were kept: taking seven again creates one.
    cycle(batchBuffers, 7)
    expect(batchBuffers.created).toBe(8)
  })

  it('makes batch buffers large enough for a batch up to 64 KiB over batchBytes', () => {
    const batchBytes = 512 * 1024
    const { batchBuffers } = contextOf({ batchBytes })
    const first = batchBuffers.take(1)
    batchBuffers.give(first.buffer)
    const large = batchBuffers.take(batchBytes + 64 * 1024)
    expect(batchBuffers.created).toBe(1)
    expect(large.buffer === first.buffer).toBe(true)
  })

  it('keeps twice as many piece buffers as the budget holds pieces plus two, and no more', () => {
    // A budget of one piece: 2 × (1 + 2) buffers are kept.
    const { pieceBuffers } = contextOf({ budgetBytes: DEFLATE_PIECES.chunkSize })
    cycle(pieceBuffers, 7)
    expect(pieceBuffers.created).toBe(7)
    cycle(pieceBuffers, 7)
    expect(pieceBuffers.created).toBe(8)
  })

  it('makes piece buffers large enough for a piece that deflate grew by up to 4 KiB', () => {
    const { pieceBuffers } = contextOf()
    const first = pieceBuffers.take(1)
    pieceBuffers.give(first.buffer)
    const grown = pieceBuffers.take(DEFLATE_PIECES.chunkSize + 4 * 1024)
    expect(pieceBuffers.created).toBe(1)
    expect(grown.buffer === first.buffer).toBe(true)
  })
})
