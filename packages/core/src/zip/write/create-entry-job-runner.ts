import { Worker } from 'node:worker_threads'
import { PackwrightError } from '../../errors.js'
import {
  type DeflateLayout,
  type EntryJob,
  type EntryJobMessage,
  type EntryJobReply,
  type EntryJobResult,
  type EntryJobWorkerData,
  createEntryJobProcessor,
} from './entry-job-processor.js'

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

/**
 * The module worker threads run: the processor's own file, which serves jobs
 * when started as a worker. Written as `new URL(…, import.meta.url)` so that
 * bundlers (ncc) copy the file next to the bundle.
 */
const ENTRY_JOB_WORKER_FILE = new URL('./entry-job-processor.js', import.meta.url)

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
    const process_ = createEntryJobProcessor(layout)
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
    const workerData: EntryJobWorkerData = { entryJobWorker: layout }
    const worker = new Worker(ENTRY_JOB_WORKER_FILE, {
      workerData,
      // Workers keep little on the heap; a small young generation keeps their memory small.
      resourceLimits: { maxYoungGenerationSizeMb: 1 },
    })
    const slot: WorkerSlot = { worker, pending: new Map() }
    worker.on('message', (reply: EntryJobReply) => {
      const pending = slot.pending.get(reply.id)
      if (pending === undefined) return
      slot.pending.delete(reply.id)
      if ('result' in reply) pending.resolve(reply.result)
      else pending.reject(failure(reply.error))
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
        const message: EntryJobMessage = { id, job }
        slot.worker.postMessage(message, transferable(job))
      })
    },
    async close() {
      broken ??= failure('the archive writer stopped')
      await Promise.all(slots.map((slot) => slot.worker.terminate()))
    },
  }
}
