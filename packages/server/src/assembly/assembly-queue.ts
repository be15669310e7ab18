/**
 * Runs package assemblies a few at a time, first come first served. Twenty
 * uploads assembled at once share the CPU, so every one of them ends as late
 * as the last, and each holds its buffers all along; taken in turn, the first
 * are READY early and memory stays bounded by `limit`.
 */
export interface AssemblyQueue {
  /**
   * Runs `work` once fewer than `limit` assemblies run. When the queue closes
   * before `work` started, `cancelled` runs instead (to fail the package).
   */
  run<T>(work: () => Promise<T>, cancelled: () => Promise<T>): Promise<T>
  /** Assemblies running or waiting. */
  readonly size: number
  /** Cancels every assembly still waiting and waits for those running to end. */
  close(): Promise<void>
}

interface Waiting {
  start(): void
  cancel(): void
}

export function createAssemblyQueue(limit: number): AssemblyQueue {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`An assembly queue needs a limit of at least 1, got ${limit}.`)
  }
  const waiting: Waiting[] = []
  const running = new Set<Promise<unknown>>()
  let closed = false

  function startNext(): void {
    while (!closed && running.size < limit) {
      const next = waiting.shift()
      if (next === undefined) return
      next.start()
    }
  }

  return {
    run<T>(work: () => Promise<T>, cancelled: () => Promise<T>): Promise<T> {
      if (closed) return cancelled()
      return new Promise<T>((resolve, reject) => {
        waiting.push({
          start() {
            const task = work()
            const settled = task.then(
              () => undefined,
              () => undefined,
            )
            running.add(settled)
            void settled.then(() => {
              running.delete(settled)
              startNext()
            })
            task.then(resolve, reject)
          },
          cancel() {
            cancelled().then(resolve, reject)
          },
        })
        startNext()
      })
    },
    get size() {
      return waiting.length + running.size
    },
    async close() {
      closed = true
      for (const next of waiting.splice(0)) next.cancel()
      await Promise.all(running)
    },
  }
}
