/**
 * A gate that lets at most `limit` tasks run at once; later tasks wait in
 * order for a free slot.
 */
export function createConcurrencyLimit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0
  const waiting: Array<() => void> = []
  const release = (): void => {
    const handOver = waiting.shift()
    // A waiting task takes the slot over directly, so the count never overshoots.
    if (handOver === undefined) active--
    else handOver()
  }
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve))
    else active++
    try {
      return await task()
    } finally {
      release()
    }
  }
}
