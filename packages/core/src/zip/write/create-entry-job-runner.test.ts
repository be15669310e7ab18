import { inflateRawSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { PackwrightError } from '../../errors.js'
import { type EntryJobRunner, createEntryJobRunner } from './create-entry-job-runner.js'
import { type ChunkJob, type DeflateLayout, type EntryJobResult } from './entry-job-processor.js'
import { DEFLATE_PIECES } from './zip-writer-tuning.js'

const LAYOUT: DeflateLayout = { level: 6, ...DEFLATE_PIECES }

const TEXT = Buffer.from('text that deflate shrinks, text that deflate shrinks\n'.repeat(64))

const runners: EntryJobRunner[] = []
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.close()))
})

/** A runner closed after the test. */
function runnerOf(threads: number, layout: DeflateLayout = LAYOUT): EntryJobRunner {
  const runner = createEntryJobRunner(threads, layout)
  runners.push(runner)
  return runner
}

/** The last piece of an entry, its content a fresh copy of `TEXT` (in memory of its own). */
function chunkJob(output?: Uint8Array): ChunkJob {
  return {
    kind: 'chunk',
    data: new Uint8Array(TEXT),
    dictionary: undefined,
    final: true,
    ...(output === undefined ? {} : { output }),
  }
}

/**
 * A job that kills its worker: content in shared memory cannot be moved back,
 * so the worker's answer throws outside the job and the worker fails.
 */
function fatalJob(): ChunkJob {
  const data = new Uint8Array(new SharedArrayBuffer(TEXT.length))
  data.set(TEXT)
  return { kind: 'chunk', data, dictionary: undefined, final: true }
}

/** The content a chunk result deflated. */
function inflated(result: EntryJobResult): string {
  return inflateRawSync(result.output).toString('utf8')
}

type Settled = { readonly value: EntryJobResult } | { readonly error: unknown } | 'pending'

/** How `promise` has settled by the time the event loop came round once, or 'pending'. */
function settled(promise: Promise<EntryJobResult>): Promise<Settled> {
  return Promise.race([
    promise.then(
      (value): Settled => ({ value }),
      (error: unknown): Settled => ({ error }),
    ),
    new Promise<Settled>((resolve) => setImmediate(() => resolve('pending'))),
  ])
}

/** The error a settled job failed with; anything else fails the test. */
function failureOf(outcome: Settled): PackwrightError {
  if (outcome === 'pending') throw new Error('the job is still pending')
  if (!('error' in outcome)) throw new Error('the job did not fail')
  if (!(outcome.error instanceof PackwrightError)) throw outcome.error
  return outcome.error
}

async function rejection(promise: Promise<EntryJobResult>): Promise<PackwrightError> {
  const error = await promise.then(
    () => new Error('the job did not fail'),
    (reason: unknown) => reason,
  )
  if (!(error instanceof PackwrightError)) throw error
  return error
}

describe('createEntryJobRunner', () => {
  it('runs jobs on the calling thread with no threads, leaving their buffers in place', async () => {
    const runner = runnerOf(0)
    expect(runner.threads).toBe(0)
    const job = chunkJob(new Uint8Array(TEXT.length))
    const result = await runner.run(job)
    expect(inflated(result)).toBe(TEXT.toString('utf8'))
    expect(job.data.byteLength).toBe(TEXT.length)
    expect(result.data).toBe(job.data)
  })

  it('moves a job’s content and output to a worker thread, and gets them back with the result', async () => {
    const runner = runnerOf(2)
    expect(runner.threads).toBe(2)
    const job = chunkJob(new Uint8Array(TEXT.length))
    const running = runner.run(job)
    // Moved, not copied: the caller's views are detached at once.
    expect(job.data.byteLength).toBe(0)
    expect(job.output?.byteLength).toBe(0)
    const result = await running
    expect(inflated(result)).toBe(TEXT.toString('utf8'))
    expect(Buffer.from(result.data)).toEqual(TEXT)
    expect(result.output.buffer.byteLength).toBe(TEXT.length)
  })

  it('copies content whose view does not start its memory, leaving that memory usable', async () => {
    const runner = runnerOf(1)
    const memory = new ArrayBuffer(TEXT.length + 16)
    const data = new Uint8Array(memory, 16, TEXT.length)
    data.set(TEXT)
    const result = await runner.run({ kind: 'chunk', data, dictionary: undefined, final: true })
    expect(memory.byteLength).toBe(TEXT.length + 16)
    expect(Buffer.from(data)).toEqual(TEXT)
    expect(inflated(result)).toBe(TEXT.toString('utf8'))
  })

  it('rejects a job the worker could not do with its reason, and runs the next one', async () => {
    const runner = runnerOf(1)
    // A dictionary that is text, not bytes: zlib refuses the job.
    const refused: ChunkJob = { ...chunkJob(), dictionary: 'text' as unknown as Uint8Array }
    const error = await rejection(runner.run(refused))
    expect(error.code).toBe('ZIP_WRITE_FAILED')
    expect(error.message).toMatch(/^Compression worker failed: .*dictionary/)
    expect(inflated(await runner.run(chunkJob()))).toBe(TEXT.toString('utf8'))
  })

  it('fails every job in hand of a worker that fails, and every later job, with its error', async () => {
    const runner = runnerOf(1)
    const fatal = runner.run(fatalJob())
    const queued = runner.run(chunkJob())
    const error = await rejection(fatal)
    expect(error.code).toBe('ZIP_WRITE_FAILED')
    expect(error.cause).toBeInstanceOf(Error)
    expect(error.message).toBe(`Compression worker failed: ${(error.cause as Error).message}`)
    expect(await rejection(queued)).toBe(error)
    // The worker's exit afterwards does not replace the first reason.
    expect(await settled(runner.run(chunkJob()))).toEqual({ error })
  })

  it('gives a job to a worker with no job in hand, so one worker’s failure leaves it alone', async () => {
    const runner = runnerOf(2)
    const fatal = runner.run(fatalJob())
    const other = runner.run(chunkJob())
    const error = await rejection(fatal)
    expect(inflated(await other)).toBe(TEXT.toString('utf8'))
    expect(await settled(runner.run(chunkJob()))).toEqual({ error })
  })

  it('close stops the workers: jobs in hand and later jobs are rejected, and a second close is fine', async () => {
    const runner = runnerOf(1)
    const running = runner.run(chunkJob())
    await runner.close()
    const inHand = failureOf(await settled(running))
    expect(inHand.code).toBe('ZIP_WRITE_FAILED')
    expect(inHand.message).toMatch(/^Compression worker failed: worker exited with code \d+$/)

    const later = failureOf(await settled(runner.run(chunkJob())))
    expect(later.message).toBe('Compression worker failed: the archive writer stopped')
    await expect(runner.close()).resolves.toBeUndefined()
  })
})
