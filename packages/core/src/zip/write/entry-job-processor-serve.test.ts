import * as crypto from 'node:crypto'
import type * as WorkerThreads from 'node:worker_threads'
import { type MessagePort } from 'node:worker_threads'
import * as zlib from 'node:zlib'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { type EntryJob, type EntryJobMessage, type EntryJobReply } from './entry-job-processor.js'

/**
 * The module serves jobs when it is loaded as a worker thread with
 * `entryJobWorker` in its `workerData`. Here it is loaded on this thread as
 * if it were one, its parent port one end of a real message channel, so
 * the test holds the other end and speaks to it as the job runner does.
 */
vi.mock('node:worker_threads', async (importOriginal) => {
  const original = await importOriginal<typeof WorkerThreads>()
  const channel = new original.MessageChannel()
  return {
    ...original,
    isMainThread: false,
    parentPort: channel.port1,
    workerData: {
      entryJobWorker: { level: 6, probeSize: 1024, chunkSize: 4096, dictionarySize: 2048 },
    },
    runnerPort: channel.port2,
  }
})

const threads = (await import('node:worker_threads')) as unknown as { runnerPort: MessagePort }
const runner = threads.runnerPort
await import('./entry-job-processor.js')

afterAll(() => {
  runner.close()
})

/** Posts `job` as the runner does and waits for the reply to it. */
function serve(id: number, job: EntryJob): Promise<EntryJobReply> {
  return new Promise((resolve) => {
    const onReply = (reply: EntryJobReply) => {
      if (reply.id !== id) return
      runner.off('message', onReply)
      resolve(reply)
    }
    runner.on('message', onReply)
    const message: EntryJobMessage = { id, job }
    runner.postMessage(message)
  })
}

describe('entry-job-processor loaded as a worker thread', () => {
  const text = Buffer.from('served from the worker thread\n'.repeat(100))

  it('answers each job with its id and the result', { timeout: 5000 }, async () => {
    const reply = await serve(7, {
      kind: 'files',
      data: new Uint8Array(text),
      lengths: [text.length],
      deflate: [true],
    })
    if (!('result' in reply) || reply.result.kind !== 'files') throw new Error('expected a result')
    expect(reply.id).toBe(7)
    expect([...reply.result.crc32]).toEqual([zlib.crc32(text)])
    expect(Buffer.from(reply.result.digests.subarray(20, 52)).toString('hex')).toBe(
      crypto.createHash('sha256').update(text).digest('hex'),
    )
    expect(Buffer.from(reply.result.data).equals(text)).toBe(true)
    const length = reply.result.deflatedLengths[0] as number
    expect(zlib.inflateRawSync(reply.result.output.subarray(0, length)).equals(text)).toBe(true)
  })

  it('answers a job whose input and output space share one buffer', { timeout: 5000 }, async () => {
    // Stored entries leave the output empty: a view of the job's space, here the input's own buffer.
    const shared = new Uint8Array(2 * text.length)
    shared.set(text)
    const reply = await serve(8, {
      kind: 'files',
      data: shared.subarray(0, text.length),
      lengths: [text.length],
      deflate: [false],
      output: shared.subarray(text.length),
    })
    if (!('result' in reply) || reply.result.kind !== 'files') throw new Error('expected a result')
    expect(reply.result.deflatedLengths).toEqual([-1])
    expect(reply.result.output.buffer).toBe(reply.result.data.buffer)
    expect(Buffer.from(reply.result.data).equals(text)).toBe(true)
  })

  it('answers a job that fails with the error message', { timeout: 5000 }, async () => {
    const reply = await serve(9, {
      kind: 'chunk',
      data: new Uint8Array(text),
      dictionary: 'not a buffer' as unknown as Uint8Array,
      final: true,
    })
    expect(reply.id).toBe(9)
    expect('error' in reply && typeof reply.error === 'string' && reply.error !== '').toBe(true)
  })
})
