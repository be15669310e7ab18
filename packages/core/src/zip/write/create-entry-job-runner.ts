import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import { Worker } from 'node:worker_threads'
import * as zlib from 'node:zlib'
import { PackwrightError } from '../../errors.js'
import {
  type DeflateLayout,
  type EntryJob,
  type EntryJobResult,
  createEntryJobProcessor,
} from './create-entry-job-processor.js'

/** Runs entry jobs, on worker threads or on the calling thread. */
export interface EntryJobRunner {
  /** Worker threads in use; 0 means jobs run on the calling thread. */
  readonly threads: number
  /**
   * Runs one job. Its `data` and `output` buffers may be transferred away: do
   * not use them afterwards; the result hands both back.
   */
  run(job: EntryJob): Promise<EntryJobResult>
  /** Stops the workers; jobs still running are rejected. Safe to call twice. */
  close(): Promise<void>
}

interface Pending {
  resolve(result: EntryJobResult): void
  reject(error: unknown): void
}

interface WorkerSlot {
  readonly worker: Worker
  readonly pending: Map<number, Pending>
}

// The worker runs the very same processor function as the calling thread
// (serialised from its compiled source), so both produce identical bytes.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads')
const createEntryJobProcessor = ${createEntryJobProcessor.toString()}
const run = createEntryJobProcessor(
  {
    zlib: require('node:zlib'),
    crypto: require('node:crypto'),
    fs: require('node:fs'),
  },
  workerData,
)
parentPort.on('message', ({ id, job }) => {
  let result
  try {
    result = run(job)
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) })
    return
  }
  // The input goes back with the output, so the calling thread can reuse its buffer.
  const transfer = [result.output.buffer]
  if (result.data.buffer !== result.output.buffer) transfer.push(result.data.buffer)
  parentPort.postMessage({ id, result }, transfer)
})
`

/**
 * A job's buffers are moved to the other thread (not copied) when their views
 * start them: the job owns the whole buffers, and the result hands them back
 * the same way.
 */
function transferable(job: EntryJob): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = []
  for (const view of [job.data, job.output]) {
    const buffer = view?.buffer
    if (buffer instanceof ArrayBuffer && view?.byteOffset === 0 && !buffers.includes(buffer)) {
      buffers.push(buffer)
    }
  }
  return buffers
}

function failure(message: string, cause?: unknown): PackwrightError {
  return new PackwrightError('ZIP_WRITE_FAILED', `Compression worker failed: ${message}`, {
    cause,
  })
}

/**
 * Creates a runner with `threads` worker threads (0: run jobs on the calling
 * thread, which costs no start-up time for small archives). Jobs go to the
 * worker with the fewest jobs in hand; results never depend on which one.
 */
export function createEntryJobRunner(threads: number, layout: DeflateLayout): EntryJobRunner {
  if (threads <= 0) {
    const process_ = createEntryJobProcessor({ zlib, crypto, fs }, layout)
    return {
      threads: 0,
      run: (job) => Promise.resolve().then(() => process_(job)),
      close: () => Promise.resolve(),
    }
  }

  let nextId = 0
  let broken: PackwrightError | undefined
  const slots: WorkerSlot[] = []
  const failAll = (slot: WorkerSlot, error: PackwrightError) => {
    broken ??= error
    for (const pending of slot.pending.values()) pending.reject(error)
    slot.pending.clear()
  }
  for (let i = 0; i < threads; i++) {
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: layout,
      // Workers keep little on the heap; a small young generation keeps their memory small.
      resourceLimits: { maxYoungGenerationSizeMb: 1 },
    })
    const slot: WorkerSlot = { worker, pending: new Map() }
    worker.on('message', (message: { id: number; result?: EntryJobResult; error?: string }) => {
      const pending = slot.pending.get(message.id)
      if (pending === undefined) return
      slot.pending.delete(message.id)
      if (message.result !== undefined) pending.resolve(message.result)
      else pending.reject(failure(message.error ?? 'unknown error'))
    })
    worker.on('error', (error) => failAll(slot, failure(error.message, error)))
    worker.on('exit', (code) => failAll(slot, failure(`worker exited with code ${code}`)))
    slots.push(slot)
  }

  return {
    threads,
    run(job) {
      if (broken !== undefined) return Promise.reject(broken)
      let slot = slots[0] as WorkerSlot
      for (const candidate of slots)
        if (candidate.pending.size < slot.pending.size) slot = candidate
      const id = nextId++
      return new Promise<EntryJobResult>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject })
        slot.worker.postMessage({ id, job }, transferable(job))
      })
    },
    async close() {
      broken ??= failure('the archive writer stopped')
      await Promise.all(slots.map((slot) => slot.worker.terminate()))
    },
  }
}
