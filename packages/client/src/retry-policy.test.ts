import { describe, expect, it } from 'vitest'
import {
  isRetryableStatus,
  parseRetryAfter,
  resolveRetryPolicy,
  retryDelayMs,
} from './retry-policy.js'

describe('retryDelayMs', () => {
  it('doubles the ceiling with each attempt and scales it by the jitter', () => {
    const policy = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 10_000, random: () => 0.5 })
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(policy, attempt))).toEqual([
      50, 100, 200, 400,
    ])
  })

  it('never waits longer than maxDelayMs', () => {
    const policy = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 })
    expect(retryDelayMs(policy, 20)).toBe(999)
    expect(retryDelayMs(policy, 1, 60_000)).toBe(1000)
  })

  it('waits at least as long as Retry-After asks', () => {
    const policy = resolveRetryPolicy({ baseDelayMs: 100, random: () => 0 })
    expect(retryDelayMs(policy, 1, 3000)).toBe(3000)
  })
})

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000)
    const now = Date.parse('2026-03-01T12:00:00Z')
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:05 GMT', now)).toBe(5000)
  })

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined()
    expect(parseRetryAfter('soon')).toBeUndefined()
  })
})

describe('isRetryableStatus', () => {
  it('retries 429 and 5xx only', () => {
    expect([400, 401, 403, 404, 409, 422, 429, 500, 502, 503].filter(isRetryableStatus)).toEqual([
      429, 500, 502, 503,
    ])
  })
})
