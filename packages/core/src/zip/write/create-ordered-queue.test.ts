import { describe, expect, it } from 'vitest'
import { createOrderedQueue } from './create-ordered-queue.js'

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** A promise with its resolve and reject at hand. */
function deferred<T>(): {
  promise: Promise<T>
  resolve(value: T): void
  reject(reason: Error): void
} {
  let resolve!: (value: T) => void
  let reject!: (reason: Error) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('createOrderedQueue', () => {
  it('gives values in the order they were pushed, whatever order they settle in', async () => {
    const queue = createOrderedQueue<string>()
    const first = deferred<string>()
    const second = deferred<string>()
    queue.push(first.promise)
    queue.push(second.promise)
    queue.close()
    second.resolve('b')
    const got: (string | undefined)[] = []
    const reading = (async () => {
      for (;;) {
        const value = await queue.shift()
        got.push(value)
        if (value === undefined) return
      }
    })()
    await settle()
    expect(got).toEqual([])
    first.resolve('a')
    await reading
    expect(got).toEqual(['a', 'b', undefined])
  })

  it('wakes a consumer waiting on an empty queue when a value is pushed', async () => {
    const queue = createOrderedQueue<number>()
    const log: (number | undefined)[] = []
    const reading = queue.shift().then((value) => log.push(value))
    await settle()
    expect(log).toEqual([])
    queue.push(Promise.resolve(7))
    await reading
    expect(log).toEqual([7])
  })

  it('wakes a waiting consumer with undefined when closed, and keeps answering undefined', async () => {
    const queue = createOrderedQueue<number>()
    const reading = queue.shift()
    await settle()
    queue.close()
    await expect(reading).resolves.toBeUndefined()
    await expect(queue.shift()).resolves.toBeUndefined()
  })

  it('surfaces a rejected value only when the consumer reaches it', async () => {
    const queue = createOrderedQueue<number>()
    const rejected = deferred<number>()
    queue.push(Promise.resolve(1))
    queue.push(rejected.promise)
    rejected.reject(new Error('job failed'))
    // Settled long before it is read: it must not be taken for an unhandled rejection.
    await settle()
    await expect(queue.shift()).resolves.toBe(1)
    await expect(queue.shift()).rejects.toThrow('job failed')
  })

  it('rejects the next shift with the first failure, even with values left', async () => {
    const queue = createOrderedQueue<number>()
    queue.push(Promise.resolve(1))
    queue.fail(new Error('stopped'))
    queue.fail(new Error('later'))
    await expect(queue.shift()).rejects.toThrow('stopped')
    await expect(queue.shift()).rejects.toThrow('stopped')
  })

  it('rejects a consumer already waiting when the queue fails', async () => {
    const queue = createOrderedQueue<number>()
    const reading = queue.shift()
    const outcome = reading.then(
      () => 'resolved',
      (error: Error) => error.message,
    )
    await settle()
    queue.fail(new Error('stopped'))
    await expect(outcome).resolves.toBe('stopped')
  })
})
