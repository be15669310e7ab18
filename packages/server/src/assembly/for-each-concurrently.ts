/**
 * Calls `action` for every item, at most `limit` at a time, and resolves once
 * all have ended; the first failure rejects (after those started have ended,
 * so no work is left running behind the caller's back).
 */
export async function forEachConcurrently<T>(
  items: Iterable<T>,
  limit: number,
  action: (item: T) => Promise<void>,
): Promise<void> {
  const iterator = items[Symbol.iterator]()
  let failure: { error: unknown } | undefined
  async function lane(): Promise<void> {
    for (let next = iterator.next(); !next.done && failure === undefined; next = iterator.next()) {
      try {
        await action(next.value)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, limit) }, lane))
  if (failure !== undefined) throw failure.error
}
