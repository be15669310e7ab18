import { describe, expect, it } from 'vitest'
import { createAssemblyQueue } from './assembly-queue.js'

/** A task a test finishes by hand, recording when it started. */
function deferred(log: string[], name: string) {
  let finish!: (value: string) => void
  const work = () => {
    log.push(`start ${name}`)
    return new Promise<string>((resolve) => (finish = resolve))
  }
  return { work, finish: (value = name) => finish(value) }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('createAssemblyQueue', () => {
  it('runs at most `limit` at once, in order of arrival', async () => {
    const log: string[] = []
    const queue = createAssemblyQueue(2)
    const tasks = ['a', 'b', 'c', 'd'].map((name) => deferred(log, name))
    const results = tasks.map((task) => queue.run(task.work, () => Promise.resolve('cancelled')))
    await tick()
    expect(log).toEqual(['start a', 'start b'])
    expect(queue.size).toBe(4)
    tasks[1]!.finish()
    await tick()
    expect(log).toEqual(['start a', 'start b', 'start c'])
    tasks[0]!.finish()
    await tick()
    expect(log).toEqual(['start a', 'start b', 'start c', 'start d'])
    tasks[2]!.finish()
    tasks[3]!.finish()
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd'])
    expect(queue.size).toBe(0)
  })

  it('goes on after a failed assembly and hands the failure to its caller', async () => {
    const queue = createAssemblyQueue(1)
    const failed = queue.run(
      () => Promise.reject(new Error('boom')),
      () => Promise.resolve('cancelled'),
    )
    const next = queue.run(
      () => Promise.resolve('next'),
      () => Promise.resolve('cancelled'),
    )
    await expect(failed).rejects.toThrow('boom')
    expect(await next).toBe('next')
  })

  it('on close cancels what waits, and waits for what runs', async () => {
    const log: string[] = []
    const queue = createAssemblyQueue(1)
    const running = deferred(log, 'running')
    const first = queue.run(running.work, () => Promise.resolve('cancelled'))
    const second = queue.run(
      () => Promise.resolve('never'),
      () => Promise.resolve('cancelled'),
    )
    await tick()
    let closed = false
    const closing = queue.close().then(() => (closed = true))
    expect(await second).toBe('cancelled')
    await tick()
    expect(closed).toBe(false)
    running.finish()
    await closing
    expect(await first).toBe('running')
    expect(
      await queue.run(
        () => Promise.resolve('late'),
        () => Promise.resolve('cancelled'),
      ),
    ).toBe('cancelled')
  })
})
