/** A first-in, first-out queue of promises, read by one consumer in the order they were pushed. */
export interface OrderedQueue<T> {
  /** Adds a value that may still be pending; its rejection surfaces when the consumer reaches it. */
  push(value: Promise<T>): void
  /** No more values will come. */
  close(): void
  /** Stops the queue: the consumer's next `shift` rejects with `reason`. */
  fail(reason: Error): void
  /** The next value once settled, or undefined after `close` when the queue is empty. */
  shift(): Promise<T | undefined>
}

/** Creates an ordered queue: producers push in output order, the consumer awaits each in turn. */
export function createOrderedQueue<T>(): OrderedQueue<T> {
  const items: Promise<T>[] = []
  let closed = false
  let failed: { reason: Error } | undefined
  let wakeConsumer: (() => void) | undefined
  const wake = () => {
    const resume = wakeConsumer
    wakeConsumer = undefined
    resume?.()
  }
  return {
    push(value) {
      // Settled later by the consumer; until then a rejection must not count as unhandled.
      value.catch(() => undefined)
      items.push(value)
      wake()
    },
    close() {
      closed = true
      wake()
    },
    fail(reason) {
      failed ??= { reason }
      wake()
    },
    async shift() {
      for (;;) {
        if (failed !== undefined) throw failed.reason
        const next = items.shift()
        if (next !== undefined) return next
        if (closed) return undefined
        await new Promise<void>((resolve) => (wakeConsumer = resolve))
      }
    },
  }
}
