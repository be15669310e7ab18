import { setTimeout as sleep } from 'node:timers/promises'
import { type ErrorCode, PackwrightError } from '../errors.js'
import { type Logger, noopLogger } from '../logger.js'
import { abortedError, combineSignals } from '../_internal/abort.js'

export const DEFAULT_GITHUB_API_BASE_URL = 'https://api.github.com'
export const GITHUB_API_VERSION = '2022-11-28'
export const GITHUB_JSON_MEDIA_TYPE = 'application/vnd.github+json'
/** The blobs endpoint's raw media type (the response body is the blob's bytes). */
export const GITHUB_RAW_MEDIA_TYPE = 'application/vnd.github.raw+json'

export interface GitHubRequestOptions {
  /** REST API base URL, e.g. `https://ghe.example.com/api/v3`. @default 'https://api.github.com' */
  readonly apiBaseUrl?: string | undefined
  /** Sent as `Authorization: Bearer …`; never logged or put in errors. */
  readonly token?: string | undefined
  readonly fetch?: typeof fetch | undefined
  readonly signal?: AbortSignal | undefined
  readonly logger?: Logger | undefined
  /** Retries after a 5xx answer or a network failure. @default 3 */
  readonly retries?: number | undefined
  /** First retry delay; doubled on each retry, at most 30 s. @default 1000 */
  readonly retryDelayMs?: number | undefined
}

export interface GitHubRequester {
  /** The API origin and path, for descriptions (never credentials). */
  readonly apiBaseUrl: string
  readonly tokenSent: boolean
  /**
   * GETs `path` (below the base URL, starting with `/`) and returns the 2xx
   * response, retrying 5xx answers and network failures with backoff.
   *
   * @throws PackwrightError `GITHUB_AUTH_FAILED` (401), `GITHUB_RATE_LIMITED`
   *   (403 with no remaining quota, or 429), `GITHUB_FORBIDDEN` (other 403),
   *   `GITHUB_NOT_FOUND` (404), `GITHUB_REQUEST_FAILED` (anything else, or
   *   after the last retry), `ABORTED`.
   */
  get(
    path: string,
    options: { accept: string; signal?: AbortSignal | undefined },
  ): Promise<Response>
}

const MAX_DELAY_MS = 30_000
const ECHO_LIMIT = 300

/** Parses and checks the API base URL; keeps its path (GitHub Enterprise `/api/v3`). */
function normaliseBaseUrl(text: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch (error) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Invalid GitHub API base URL: ${JSON.stringify(text.slice(0, 200))} is not a URL; expected e.g. https://api.github.com or https://ghe.example.com/api/v3.`,
      { cause: error },
    )
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Invalid GitHub API base URL: the scheme ${JSON.stringify(url.protocol)} is not http: or https:.`,
    )
  }
  if (url.username !== '' || url.password !== '') {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      'Invalid GitHub API base URL: it contains credentials; pass the token as the `token` option instead.',
    )
  }
  if (url.search !== '' || url.hash !== '') {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      'Invalid GitHub API base URL: it must not have a query or a fragment.',
    )
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

/**
 * Trims the token (a trailing newline from a file is common) and refuses one
 * that cannot be an HTTP header value, before fetch would echo it in its error.
 */
function checkToken(raw: string | undefined): string | undefined {
  const token = raw?.trim()
  if (token === undefined || token === '') return undefined
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      'An invalid GitHub token was provided: it contains whitespace, control or non-ASCII characters, so it cannot be sent in an HTTP header.',
      {
        hint: 'Pass the token exactly as GitHub issued it (e.g. ghp_… or github_pat_…), without quotes or line breaks inside it.',
        details: { field: 'token', length: token.length },
      },
    )
  }
  return token
}

function isAbort(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name
  return name === 'AbortError' || name === 'TimeoutError'
}

/** The HTTP date or seconds of `x-ratelimit-reset` / `retry-after`, for messages. */
function rateLimitReset(
  headers: Headers,
  now: number,
): { resetAt?: string; retryAfterSeconds?: number } {
  const reset = Number(headers.get('x-ratelimit-reset'))
  const retryAfter = Number(headers.get('retry-after'))
  const result: { resetAt?: string; retryAfterSeconds?: number } = {}
  if (headers.get('x-ratelimit-reset') !== null && Number.isFinite(reset) && reset > 0) {
    result.resetAt = new Date(reset * 1000).toISOString()
    result.retryAfterSeconds = Math.max(0, Math.ceil(reset - now / 1000))
  }
  if (headers.get('retry-after') !== null && Number.isFinite(retryAfter) && retryAfter >= 0) {
    result.retryAfterSeconds = retryAfter
    result.resetAt ??= new Date(now + retryAfter * 1000).toISOString()
  }
  return result
}

/**
 * A small GitHub REST client for GET requests: fixed headers, bounded
 * retries, and errors mapped to packwright codes without ever echoing the token.
 *
 * @throws PackwrightError `INVALID_ARGUMENT` for an unusable base URL.
 */
export function createGitHubRequester(options: GitHubRequestOptions = {}): GitHubRequester {
  const apiBaseUrl = normaliseBaseUrl(options.apiBaseUrl ?? DEFAULT_GITHUB_API_BASE_URL)
  const token = checkToken(options.token)
  const doFetch = options.fetch ?? globalThis.fetch
  const logger = options.logger ?? noopLogger
  const retries = Math.max(0, options.retries ?? 3)
  const retryDelayMs = Math.max(0, options.retryDelayMs ?? 1000)
  const redact = (text: string): string =>
    token === undefined ? text : text.split(token).join('[redacted]')
  const tokenHint = token === undefined ? 'No token was sent.' : 'A token was sent.'

  const failure = (
    code: ErrorCode,
    message: string,
    hint: string,
    details: Record<string, unknown>,
  ): PackwrightError =>
    new PackwrightError(code, redact(message), {
      hint: redact(hint),
      details: JSON.parse(redact(JSON.stringify(details))) as Record<string, unknown>,
    })

  const errorFor = async (response: Response, what: string): Promise<PackwrightError> => {
    let body = ''
    try {
      body = (await response.text()).slice(0, 4000)
    } catch {
      // The body is only used to enrich the message.
    }
    let githubMessage: string | undefined
    let documentationUrl: string | undefined
    try {
      const parsed = JSON.parse(body) as { message?: unknown; documentation_url?: unknown }
      if (typeof parsed.message === 'string') githubMessage = parsed.message
      if (typeof parsed.documentation_url === 'string') documentationUrl = parsed.documentation_url
    } catch {
      if (body.trim() !== '' && !body.trimStart().startsWith('<')) githubMessage = body.trim()
    }
    const quoted =
      githubMessage === undefined
        ? ''
        : `: ${JSON.stringify(githubMessage.length > ECHO_LIMIT ? `${githubMessage.slice(0, ECHO_LIMIT)}…` : githubMessage)}`
    const status = response.status
    const requestId = response.headers.get('x-github-request-id') ?? undefined
    const details = {
      request: what,
      status,
      ...(githubMessage === undefined ? {} : { githubMessage: githubMessage.slice(0, ECHO_LIMIT) }),
      ...(documentationUrl === undefined ? {} : { documentationUrl }),
      ...(requestId === undefined ? {} : { requestId }),
      tokenSent: token !== undefined,
    }
    if (status === 401) {
      return failure(
        'GITHUB_AUTH_FAILED',
        `GitHub rejected the credentials (401) for ${what}${quoted}.`,
        token === undefined
          ? 'No token was sent, and this request needs one: pass a GitHub token.'
          : 'A token was sent but GitHub did not accept it: check that it is valid, not expired, and meant for this GitHub host.',
        details,
      )
    }
    const remaining = response.headers.get('x-ratelimit-remaining')
    if (
      status === 429 ||
      (status === 403 && (remaining === '0' || response.headers.has('retry-after')))
    ) {
      const reset = rateLimitReset(response.headers, Date.now())
      const when =
        reset.resetAt === undefined
          ? 'GitHub did not say when it resets'
          : `it resets at ${reset.resetAt} (in about ${reset.retryAfterSeconds ?? 0} s)`
      return failure(
        'GITHUB_RATE_LIMITED',
        `GitHub's API rate limit was exceeded (${status}) for ${what}; ${when}.`,
        token === undefined
          ? 'Unauthenticated requests are limited to 60 per hour: pass a token, or retry after the reset time.'
          : 'Retry after the reset time, or use a token with a higher limit.',
        { ...details, ...reset },
      )
    }
    if (status === 403) {
      return failure(
        'GITHUB_FORBIDDEN',
        `GitHub refused access (403) for ${what}${quoted}.`,
        `${tokenHint} The token needs read access to the repository's contents (contents:read), and organisation policies (SSO, IP allow lists) may apply.`,
        details,
      )
    }
    if (status === 404) {
      return failure(
        'GITHUB_NOT_FOUND',
        `GitHub found nothing (404) for ${what}${quoted}.`,
        `${tokenHint} Check the owner, repository and commit; private repositories need a token with contents:read access.`,
        details,
      )
    }
    return failure(
      'GITHUB_REQUEST_FAILED',
      `GitHub answered ${status} for ${what}${quoted}.`,
      'Check the request, or retry later.',
      details,
    )
  }

  return {
    apiBaseUrl,
    tokenSent: token !== undefined,
    async get(path, requestOptions) {
      const url = `${apiBaseUrl}${path}`
      const what = `GET ${url}`
      const signal = combineSignals(options.signal, requestOptions.signal)
      const headers: Record<string, string> = {
        Accept: requestOptions.accept,
        'X-GitHub-Api-Version': GITHUB_API_VERSION,
        'User-Agent': 'packwright',
      }
      if (token !== undefined) headers.Authorization = `Bearer ${token}`
      // A function, so the check is not narrowed away across awaits.
      const aborted = (): boolean => signal?.aborted === true
      for (let attempt = 0; ; attempt++) {
        if (aborted()) throw abortedError(signal, what)
        let response: Response | undefined
        let networkError: unknown
        try {
          response = await doFetch(url, {
            method: 'GET',
            headers,
            redirect: 'follow',
            ...(signal === undefined ? {} : { signal }),
          })
        } catch (error) {
          if (aborted() || isAbort(error)) throw abortedError(signal, what)
          networkError = error
        }
        if (response !== undefined) {
          logger.debug(`${what} -> ${response.status}`)
          if (response.ok) return response
          if (response.status < 500 || attempt >= retries) {
            const error = await errorFor(response, what)
            if (response.status >= 500 && attempt > 0) {
              throw failure(
                'GITHUB_REQUEST_FAILED',
                `${error.message} (after ${attempt + 1} attempts)`,
                error.hint ?? '',
                { ...error.details, attempts: attempt + 1 },
              )
            }
            throw error
          }
          await response.body?.cancel().catch(() => undefined)
        } else if (attempt >= retries) {
          const reason =
            networkError instanceof Error ? describeNetworkError(networkError) : 'failed'
          throw failure(
            'GITHUB_REQUEST_FAILED',
            `Could not reach GitHub for ${what} after ${attempt + 1} attempts: ${reason}.`,
            'Check the network and the API base URL (GitHub Enterprise: https://HOST/api/v3).',
            { request: what, attempts: attempt + 1, tokenSent: token !== undefined },
          )
        }
        const delay = Math.min(retryDelayMs * 2 ** attempt, MAX_DELAY_MS)
        logger.warn(
          redact(
            `${what} ${response === undefined ? 'failed to connect' : `answered ${response.status}`}; retrying in ${delay} ms (attempt ${attempt + 2} of ${retries + 1})`,
          ),
        )
        try {
          await sleep(delay, undefined, signal === undefined ? {} : { signal })
        } catch {
          throw abortedError(signal, what)
        }
      }
    },
  }
}

function describeNetworkError(error: Error): string {
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined
  if (typeof cause?.code === 'string') return `${error.message} (${cause.code})`
  if (typeof cause?.message === 'string') return `${error.message} (${cause.message})`
  return error.message
}
