import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isPackwrightError } from '../errors.js'
import {
  AttemptClock,
  DEFAULT_GITHUB_TIMEOUTS,
  GitHubTimeoutReason,
  abortAfter,
  resolveGitHubTimeouts,
} from './github-timeouts.js'

describe('resolveGitHubTimeouts', () => {
  it('fills in the defaults', () => {
    expect(resolveGitHubTimeouts()).toEqual({
      connect: 10_000,
      idle: 30_000,
      request: 300_000,
      deadline: 1_800_000,
    })
    expect(DEFAULT_GITHUB_TIMEOUTS.connect).toBe(10_000)
  })

  it('takes each value given, Infinity included', () => {
    expect(
      resolveGitHubTimeouts({
        connectTimeoutMs: 1,
        idleTimeoutMs: 2,
        requestTimeoutMs: 3,
        deadlineMs: Number.POSITIVE_INFINITY,
      }),
    ).toEqual({ connect: 1, idle: 2, request: 3, deadline: Number.POSITIVE_INFINITY })
  })

  it.each([
    ['connectTimeoutMs', 0],
    ['idleTimeoutMs', -1],
    ['requestTimeoutMs', Number.NaN],
    ['deadlineMs', '5'],
  ] as const)('refuses %s = %j, naming the option', (field, value) => {
    let caught: unknown
    try {
      resolveGitHubTimeouts({ [field]: value as number })
    } catch (error) {
      caught = error
    }
    expect(isPackwrightError(caught, 'INVALID_ARGUMENT')).toBe(true)
    const error = caught as Error & { details?: unknown }
    expect(error.message).toBe(
      `Invalid GitHub timeout \`${field}\`: ${String(value)}; expected a positive number of milliseconds (or Infinity for no bound).`,
    )
    expect(error.details).toEqual({ field })
  })
})

describe('GitHubTimeoutReason', () => {
  it('is a TimeoutError naming its kind and delay', () => {
    const reason = new GitHubTimeoutReason('idle', 50)
    expect(reason).toMatchObject({ name: 'TimeoutError', kind: 'idle', timeoutMs: 50 })
    expect(reason.message).toBe('GitHub idle timeout of 50 ms')
  })
})

describe('timers on a fake clock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('abortAfter aborts at the delay, and sets no timer past the longest one', () => {
    const controller = new AbortController()
    const reason = new GitHubTimeoutReason('deadline', 100)
    expect(abortAfter(controller, 100, reason)).toBeDefined()
    vi.advanceTimersByTime(99)
    expect(controller.signal.aborted).toBe(false)
    vi.advanceTimersByTime(1)
    expect(controller.signal.reason).toBe(reason)

    expect(abortAfter(new AbortController(), 2 ** 31 - 1, reason)).toBeDefined()
    expect(abortAfter(new AbortController(), 2 ** 31, reason)).toBeUndefined()
  })

  it('abortAfter aborts at once for a negative delay', () => {
    const controller = new AbortController()
    abortAfter(controller, -5, new GitHubTimeoutReason('request', 1))
    vi.advanceTimersByTime(0)
    expect(controller.signal.aborted).toBe(true)
  })

  it('the attempt clock aborts a wait longer than the idle timeout', () => {
    const clock = new AttemptClock(100, 1000)
    clock.waiting()
    vi.advanceTimersByTime(99)
    expect(clock.signal.aborted).toBe(false)
    vi.advanceTimersByTime(1)
    expect(clock.signal.reason).toMatchObject({ kind: 'idle', timeoutMs: 100 })
  })

  it('the attempt clock counts only the waits against the request timeout', () => {
    const clock = new AttemptClock(100, 250)
    for (let wait = 0; wait < 3; wait++) {
      clock.waiting()
      vi.advanceTimersByTime(80)
      clock.received()
      // Time the consumer takes is not counted.
      vi.advanceTimersByTime(1000)
    }
    expect(clock.signal.aborted).toBe(false)
    clock.waiting()
    vi.advanceTimersByTime(9)
    expect(clock.signal.aborted).toBe(false)
    vi.advanceTimersByTime(1)
    expect(clock.signal.reason).toMatchObject({ kind: 'request', timeoutMs: 250 })
  })

  it('the attempt clock uses the request timeout when it comes first, even when equal', () => {
    const clock = new AttemptClock(100, 100)
    clock.waiting()
    vi.advanceTimersByTime(100)
    expect(clock.signal.reason).toMatchObject({ kind: 'request', timeoutMs: 100 })
  })

  it('a disposed clock never aborts', () => {
    const clock = new AttemptClock(100, 1000)
    clock.waiting()
    clock.dispose()
    vi.advanceTimersByTime(5000)
    expect(clock.signal.aborted).toBe(false)
  })

  it('a received clock stops its idle timer', () => {
    const clock = new AttemptClock(100, 1000)
    clock.waiting()
    vi.advanceTimersByTime(50)
    clock.received()
    vi.advanceTimersByTime(5000)
    expect(clock.signal.aborted).toBe(false)
  })
})
