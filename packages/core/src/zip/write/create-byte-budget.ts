/** Bounds how much work is in flight: callers take units before starting and give them back when done. */
export interface ByteBudget {
  /**
   * Waits until `amount` more fits under the limit, then takes it. One
   * request larger than the limit is let through when nothing else is held,
   * so progress never stalls.
   */
  acquire(amount: number): Promise<void>
  release(amount: number): void
  /** Rejects every waiter, now and later, with `reason`. */
  fail(reason: Error): void
}

/** Creates a budget of `limit` units (bytes, or pieces when each takes 1). */
export function createByteBudget(limit: number): ByteBudget {
  let held = 0
  let failed: { reason: Error } | undefined
  const waiters: { amount: number; resolve(): void; reject(reason: Error): void }[] = []
  const fits = (amount: number) => held === 0 || held + amount <= limit
  const wake = () => {
    while (waiters.length > 0 && fits((waiters[0] as (typeof waiters)[number]).amount)) {
      const waiter = waiters.shift() as (typeof waiters)[number]
      held += waiter.amount
      waiter.resolve()
    }
  }
  return {
    acquire(amount) {
      if (failed !== undefined) return Promise.reject(failed.reason)
      if (waiters.length === 0 && fits(amount)) {
        held += amount
        return Promise.resolve()
      }
      return new Promise((resolve, reject) => waiters.push({ amount, resolve, reject }))
    },
    release(amount) {
      held = Math.max(0, held - amount)
      wake()
    },
    fail(reason) {
      failed ??= { reason }
      for (const waiter of waiters.splice(0)) waiter.reject(reason)
    },
  }
}
