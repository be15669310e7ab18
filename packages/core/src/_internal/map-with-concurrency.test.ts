import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { mapWithConcurrency } from './map-with-concurrency.js'

describe('mapWithConcurrency', () => {
  it('keeps input order and bounds the work in flight', async () => {
    let active = 0
    let peak = 0
    const out = await mapWithConcurrency([5, 1, 4, 2, 3, 0], 2, async (n) => {
      active++
      peak = Math.max(peak, active)
      await sleep(n)
      active--
      return n * 10
    })
    expect(out).toEqual([50, 10, 40, 20, 30, 0])
    expect(peak).toBe(2)
  })

  it('rejects with the first failure and starts nothing after it', async () => {
    const started: number[] = []
    await expect(
      mapWithConcurrency([1, 2, 3, 4], 1, (n) => {
        started.push(n)
        return n === 2 ? Promise.reject(new Error('two')) : Promise.resolve(n)
      }),
    ).rejects.toThrow('two')
    expect(started).toEqual([1, 2])
  })
})
