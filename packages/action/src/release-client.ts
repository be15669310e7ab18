import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { type Logger } from '@packwright/core'

/** The Octokit the release steps use: REST methods, pagination, retries and throttling. */
export type ReleaseClient = ReturnType<typeof getOctokit>

/** Waits longer than this (seconds) are not worth holding the job for: the request fails instead. */
const MAX_RATE_LIMIT_WAIT_SECONDS = 600

/** How often a rate-limited request is tried again before it fails. */
const RATE_LIMIT_RETRIES = 3

export interface ReleaseClientOptions {
  readonly token: string
  /** `GITHUB_API_URL`: api.github.com, or a GitHub Enterprise Server's `/api/v3`. */
  readonly apiUrl: string
  readonly logger: Logger
  /**
   * Milliseconds per unit of backoff: retry waits are 1, 4, 9 units after
   * network errors and 5xx, and `retry-after` seconds times this for rate
   * limits. @default 1000
   */
  readonly backoffUnitMs?: number
}

/**
 * An Octokit for `apiUrl` that retries network errors and 5xx with backoff
 * (never other 4xx), and waits out primary and secondary rate limits as
 * `retry-after` / `x-ratelimit-reset` say, up to 10 minutes.
 */
export function createReleaseClient(options: ReleaseClientOptions): ReleaseClient {
  const unit = options.backoffUnitMs ?? 1000
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _: unknown, count: number) => {
      const retrying = count < RATE_LIMIT_RETRIES && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS
      options.logger.warn(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}; ` +
          (retrying ? `retrying in ${retryAfter} s` : 'giving up'),
      )
      return retrying
    }
  return getOctokit(
    options.token,
    {
      baseUrl: options.apiUrl,
      retry: { retryAfterBaseValue: unit },
      throttle: {
        retryAfterBaseValue: unit,
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
      },
      log: {
        debug: (message: string) => options.logger.debug(message),
        info: (message: string) => options.logger.debug(message),
        warn: (message: string) => options.logger.warn(message),
        error: (message: string) => options.logger.warn(message),
      },
    },
    retry,
    throttling,
  )
}
