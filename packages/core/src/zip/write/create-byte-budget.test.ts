import { describe, expect, it } from 'vitest'
import { createByteBudget } from './create-byte-budget.js'

/** Lets every pending promise callback run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** Starts `acquire(amount)` and records, in `log`, when it resolves or rejects. */
function track(
  budget: ReturnType<typeof createByteBudget>,
  amount: number,
  log: string[],
  label: string,
): Promise<void> {
  return budget.acquire(amount).then(
    () => {
      log.push(label)
    },
    (error: Error) => {
      log.push(`${label}: ${error.message}`)
    },
  )
}

describe('createByteBudget', () => {
  it('grants requests up to exactly the limit at once, and holds back the next one', async () => {
    const budget = createByteBudget(10)
    const log: string[] = []
    void track(budget, 6, log, 'six')
    void track(budget, 4, log, 'four')
    void track(budget, 1, log, 'one')
    await settle()
    expect(log).toEqual(['six', 'four'])
    budget.release(1)
    await settle()
    expect(log).toEqual(['six', 'four', 'one'])
  })

  it('lets one request larger than the limit through when nothing is held, and only then', async () => {
    const budget = createByteBudget(10)
    const log: string[] = []
    void track(budget, 25, log, 'large')
    await settle()
    expect(log).toEqual(['large'])
    void track(budget, 25, log, 'second large')
    await settle()
    expect(log).toEqual(['large'])
    budget.release(25)
    await settle()
    expect(log).toEqual(['large', 'second large'])
  })

  it('serves waiters in order: a small request does not pass a large one waiting before it', async () => {
    const budget = createByteBudget(10)
    const log: string[] = []
    void track(budget, 8, log, 'eight')
    void track(budget, 5, log, 'five')
    void track(budget, 2, log, 'two')
    await settle()
    expect(log).toEqual(['eight'])
    budget.release(8)
    await settle()
    // Both fit once the eight are back: one release wakes every waiter that fits.
    expect(log).toEqual(['eight', 'five', 'two'])
  })

  it('wakes waiters only while they fit', async () => {
    const budget = createByteBudget(10)
    const log: string[] = []
    void track(budget, 10, log, 'all')
    void track(budget, 6, log, 'six')
    void track(budget, 6, log, 'another six')
    await settle()
    budget.release(10)
    await settle()
    expect(log).toEqual(['all', 'six'])
    budget.release(6)
    await settle()
    expect(log).toEqual(['all', 'six', 'another six'])
  })

  it('never counts less than nothing held when more is given back than taken', async () => {
    const budget = createByteBudget(10)
    const log: string[] = []
    await budget.acquire(10)
    budget.release(20)
    void track(budget, 10, log, 'ten')
    void track(budget, 5, log, 'five')
    await settle()
    // Ten are held again, so five more must wait.
    expect(log).toEqual(['ten'])
  })

  it('rejects the waiters and every later request with the first failure', async () => {
    const budget = createByteBudget(10)
    const log: string[] = []
    void track(budget, 10, log, 'held')
    void track(budget, 5, log, 'waiting')
    await settle()
    budget.fail(new Error('first'))
    budget.fail(new Error('second'))
    await settle()
    expect(log).toEqual(['held', 'waiting: first'])
    await expect(budget.acquire(1)).rejects.toThrow('first')
    budget.release(10)
    await expect(budget.acquire(1)).rejects.toThrow('first')
  })
})
