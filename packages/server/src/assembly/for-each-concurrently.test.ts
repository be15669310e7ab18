import { describe, expect, it } from 'vitest'
import { forEachConcurrently } from './for-each-concurrently.js'

describe('forEachConcurrently', () => {
  it('visits every item with at most `limit` in flight', async () => {
    let inFlight = 0
    let most = 0
    const seen: number[] = []
    await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      inFlight += 1
      most = Math.max(most, inFlight)
      await new Promise((resolve) => setTimeout(resolve, item % 3))
      seen.push(item)
      inFlight -= 1
    })
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(most).toBe(3)
  })

  it('rejects with the first failure once the started items have ended, and starts no more', async () => {
    const started: number[] = []
    let running = 0
    const failure = await forEachConcurrently([1, 2, 3, 4, 5, 6], 2, async (item) => {
      started.push(item)
      running += 1
      await new Promise((resolve) => setTimeout(resolve, 1))
      running -= 1
      if (item === 2) throw new Error(`item ${item} failed`)
    }).catch((error: unknown) => error)
    expect((failure as Error).message).toBe('item 2 failed')
    expect(running).toBe(0)
    expect(started.length).toBeLessThan(6)
  })
})
