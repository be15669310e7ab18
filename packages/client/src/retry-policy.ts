/** How a request that failed in a way worth retrying is tried again. */
export interface RetryOptions {
  /** Attempts after the first. @default 4 */
  readonly retries?: number
  /** Delay before the first retry; each later one doubles it. @default 250 */
  readonly baseDelayMs?: number
  /** Longest delay between attempts, `Retry-After` included. @default 30000 */
  readonly maxDelayMs?: number
  /** Source of jitter in [0, 1). @default Math.random */
  readonly random?: () => number
}

export interface ResolvedRetryPolicy {
  readonly retries: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  readonly random: () => number
}

export const DEFAULT_RETRY_OPTIONS = {
  retries: 4,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
} as const

export function resolveRetryPolicy(options: RetryOptions = {}): ResolvedRetryPolicy {
  return {
    retries: options.retries ?? DEFAULT_RETRY_OPTIONS.retries,
    baseDelayMs: options.baseDelayMs ?? DEFAULT_RETRY_OPTIONS.baseDelayMs,
    maxDelayMs: options.maxDelayMs ?? DEFAULT_RETRY_OPTIONS.maxDelayMs,
    random: options.random ?? Math.random,
  }
}

/** 429 and every 5xx are worth another try; any other status is the answer. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599)
}

/**
 * A `Retry-After` header in milliseconds: delay-seconds or an HTTP date.
 * Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/**
 * The wait before retry number `attempt` (1-based): exponential backoff with
 * full jitter, `base * 2^(attempt-1) * random`, but never shorter than what
 * the server asked for in `Retry-After`, and never longer than `maxDelayMs`.
 */
export function retryDelayMs(
  policy: ResolvedRetryPolicy,
  attempt: number,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  const jittered = Math.floor(ceiling * policy.random())
  return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0))
}
