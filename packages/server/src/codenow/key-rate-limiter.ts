/** What the limiter says of one request. */
export type RateDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number }

/**
 * Limits requests per key with a token bucket: each key may burst up to its
 * per-minute rate, and gets its tokens back evenly over the minute. The
 * clock is passed in, so the limiter is exact under test.
 */
export function createKeyRateLimiter(now: () => number): {
  take(key: string, requestsPerMinute: number): RateDecision
} {
  const buckets = new Map<string, { tokens: number; at: number }>()
  return {
    take(key, requestsPerMinute) {
      const time = now()
      const perMs = requestsPerMinute / 60_000
      const bucket = buckets.get(key) ?? { tokens: requestsPerMinute, at: time }
      const tokens = Math.min(
        requestsPerMinute,
        bucket.tokens + Math.max(0, time - bucket.at) * perMs,
      )
      if (tokens >= 1) {
        buckets.set(key, { tokens: tokens - 1, at: time })
        return { allowed: true }
      }
      buckets.set(key, { tokens, at: time })
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)),
      }
    },
  }
}
