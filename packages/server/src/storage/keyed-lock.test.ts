import { describe, expect, it } from 'vitest'
import { createKeyedLock } from './keyed-lock.js'

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('createKeyedLock', () => {
  it('runs work for one key in turn and work for other keys alongside', async () => {
    const lock = createKeyedLock()
    const log: string[] = []
    let releaseFirst!: () => void
    const first = lock.run('zip', async () => {
      log.push('first starts')
      await new Promise<void>((resolve) => (releaseFirst = resolve))
      log.push('first ends')
      return 1
    })
    const second = lock.run('zip', () => {
      log.push('second runs')
      return Promise.resolve(2)
    })
    const other = lock.run('other zip', () => {
      log.push('other runs')
      return Promise.resolve(3)
    })
    await tick()
    expect(log).toEqual(['first starts', 'other runs'])
    releaseFirst()
    expect(await Promise.all([first, second, other])).toEqual([1, 2, 3])
    expect(log).toEqual(['first starts', 'other runs', 'first ends', 'second runs'])
  })

  it('goes on after a failure, which reaches only its caller', async () => {
    const lock = createKeyedLock()
    const failed = lock.run('zip', () => Promise.reject(new Error('boom')))
    const next = lock.run('zip', () => Promise.resolve('next'))
    await expect(failed).rejects.toThrow('boom')
    expect(await next).toBe('next')
  })
})
