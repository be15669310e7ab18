import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { createConcurrencyLimit } from './create-concurrency-limit.js'

describe('createConcurrencyLimit', () => {
  it('never runs more than the limit at once, even as slots are handed over', async () => {
    const limit = createConcurrencyLimit(3)
    let active = 0
    let peak = 0
    const task = async (i: number): Promise<number> => {
      active++
      peak = Math.max(peak, active)
      await sleep(i % 3)
      active--
      return i
    }
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => limit(() => task(i))))
    expect(results).toEqual(Array.from({ length: 40 }, (_, i) => i))
    expect(peak).toBe(3)
  })

  it('frees the slot when a task fails', async () => {
    const limit = createConcurrencyLimit(1)
    await expect(limit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await limit(() => Promise.resolve('next'))).toBe('next')
  })
})
