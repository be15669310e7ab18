import { setTimeout as sleep } from 'node:timers/promises'
import type { Agent } from 'undici'
import { type ErrorCode, PackwrightError } from '../errors.js'
import { type Logger, noopLogger } from '../logger.js'
import { abortedError, combineSignals } from '../_internal/abort.js'
import {
  type GitHubBodyContext,
  type GitHubBodySize,
  checkedBodyChunks,
  readBodyPrefix,
} from './github-response-body.js'
import {
  AttemptClock,
  GITHUB_TIMEOUT_OPTION,
  type GitHubTimeouts,
  GitHubTimeoutReason,
  abortAfter,
  resolveGitHubTimeouts,
} from './github-timeouts.js'

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
  /** Connect, idle, per-request and whole-read timeouts; see `GitHubTimeouts` for the defaults. */
  readonly timeouts?: GitHubTimeouts | undefined
}

export interface GitHubGetOptions {
  readonly accept: string
  /** What the request reads, for messages: a quoted file path, `the tree`… Never secret. */
  readonly subject: string
  /** The file path, for error details, when a file is read. */
  readonly path?: string | undefined
  /** The size the body must have; checked while it arrives. */
  readonly size: GitHubBodySize
  readonly signal?: AbortSignal | undefined
}

export interface GitHubRequester {
  /** The API origin and path, for descriptions (never credentials). */
  readonly apiBaseUrl: string
  readonly tokenSent: boolean
  /**
   * GETs `path` (below the base URL, starting with `/`) and returns the whole
   * body, checked against `size` while it arrives. Retries 5xx answers,
   * network failures and connect and idle timeouts (in the body too) with
   * backoff, within the deadline.
   *
   * @throws PackwrightError `GITHUB_AUTH_FAILED` (401), `GITHUB_RATE_LIMITED`
   *   (403 with no remaining quota, or 429), `GITHUB_FORBIDDEN` (other 403),
   *   `GITHUB_NOT_FOUND` (404), `GITHUB_REQUEST_FAILED` (anything else, or
   *   after the last retry), `GITHUB_TIMEOUT`, `GITHUB_SIZE_MISMATCH`,
   *   `GITHUB_RESPONSE_TOO_LARGE`, `ABORTED`.
   */
  read(path: string, options: GitHubGetOptions): Promise<Buffer>
  /**
   * GETs `path`, retrying as `read` does until the answer's headers arrive,
   * and returns its body as chunks checked against `size` while they arrive.
   * A failure inside the body ends the iteration with a coded error and is
   * not retried (earlier chunks are already out). Ending the iteration early
   * cancels the download.
   *
   * @throws PackwrightError as `read`.
   */
  stream(path: string, options: GitHubGetOptions): Promise<AsyncGenerator<Buffer, void, undefined>>
  /** Stops the deadline timer and closes the built-in transport's connections. Safe to call twice. */
  close(): Promise<void>
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

/** The one kind of fetch call the requester makes. */
type GitHubFetch = (
  url: string,
  init: {
    method: 'GET'
    headers: Record<string, string>
    redirect: 'follow'
    signal: AbortSignal
  },
) => Promise<Response>

/** A request attempt: its clock, its signal, and how far it got. */
interface Attempt {
  readonly clock: AttemptClock
  readonly signal: AbortSignal
  phase: 'connect' | 'body'
}

/** A non-2xx answer, mapped; retried when GitHub's side failed (5xx). */
class StatusFailure extends Error {
  readonly error: PackwrightError
  readonly status: number

  constructor(error: PackwrightError, status: number) {
    super(error.message)
    this.error = error
    this.status = status
  }
}

/** What went wrong with one attempt, and whether another attempt may help. */
interface AttemptFailure {
  /** The error to throw when no attempt is left (`attempts` filled in later). */
  readonly final: (attempts: number) => PackwrightError
  readonly retryable: boolean
  /** For the retry log line: `answered 502`, `hit the idle timeout`… */
  readonly summary: string
}

const TIMEOUT_TEXT: Readonly<Record<GitHubTimeoutReason['kind'], (ms: number) => string>> = {
  connect: (ms) => `the connection was not established within ${ms} ms (connect timeout)`,
  idle: (ms) => `no byte arrived for ${ms} ms (idle timeout)`,
  request: (ms) => `the answer took more than ${ms} ms in all (request timeout, not retried)`,
  deadline: (ms) => `the whole read passed its deadline of ${ms} ms (not retried)`,
}

/** The undici connect timeout anywhere in a fetch failure's causes. */
function isConnectTimeout(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    if ((current as { code?: unknown }).code === 'UND_ERR_CONNECT_TIMEOUT') return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

/**
 * A small GitHub REST client for GET requests: fixed headers, bounded
 * retries, timeouts on every request and on the whole read, bodies checked
 * against their size while they stream, and errors mapped to packwright
 * codes without ever echoing the token.
 *
 * @throws PackwrightError `INVALID_ARGUMENT` for an unusable base URL or timeout.
 */
export function createGitHubRequester(options: GitHubRequestOptions = {}): GitHubRequester {
  const apiBaseUrl = normaliseBaseUrl(options.apiBaseUrl ?? DEFAULT_GITHUB_API_BASE_URL)
  const token = checkToken(options.token)
  const timeouts = resolveGitHubTimeouts(options.timeouts)
  const logger = options.logger ?? noopLogger
  const retries = Math.max(0, options.retries ?? 3)
  const retryDelayMs = Math.max(0, options.retryDelayMs ?? 1000)
  const redact = (text: string): string =>
    token === undefined ? text : text.split(token).join('[redacted]')
  // Each value on its own: escaped (in JSON, say), a token with `"` or `\` would slip through.
  const redactDetails = (details: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(details).map(([key, value]) => [
        key,
        typeof value === 'string' ? redact(value) : value,
      ]),
    )
  const tokenHint = token === undefined ? 'No token was sent.' : 'A token was sent.'

  // The built-in transport: undici (the fetch Node ships) with a connect
  // timeout; idle and request timeouts are ours, so undici's are off. Loaded
  // here, not when the module is: a run that never reads GitHub (a local
  // folder, a git commit) does not pay for loading it.
  const transport: Promise<{ agent?: Agent; fetch: GitHubFetch }> =
    options.fetch === undefined
      ? import('undici').then(({ Agent: UndiciAgent, fetch: undiciFetch }) => {
          const agent = new UndiciAgent({
            connect: { timeout: Number.isFinite(timeouts.connect) ? timeouts.connect : 0 },
            headersTimeout: 0,
            bodyTimeout: 0,
          })
          return { agent, fetch: (url, init) => undiciFetch(url, { ...init, dispatcher: agent }) }
        })
      : Promise.resolve({ fetch: options.fetch })
  // Surfaces at the first request instead, as that request's failure.
  transport.catch(() => undefined)

  const deadline = new AbortController()
  const deadlineTimer = abortAfter(
    deadline,
    timeouts.deadline,
    new GitHubTimeoutReason('deadline', timeouts.deadline),
  )
  deadlineTimer?.unref()
  let closed = false

  const failure = (
    code: ErrorCode,
    message: string,
    hint: string,
    details: Record<string, unknown>,
  ): PackwrightError =>
    new PackwrightError(code, redact(message), {
      hint: redact(hint),
      details: redactDetails(details),
    })

  const timeoutError = (
    reason: GitHubTimeoutReason,
    context: GitHubBodyContext,
    attempts: number,
  ): PackwrightError =>
    failure(
      'GITHUB_TIMEOUT',
      `GitHub did not answer in time for ${context.subject} (${context.what}): ${TIMEOUT_TEXT[reason.kind](reason.timeoutMs)}${attempts > 1 ? `, after ${attempts} attempts` : ''}.`,
      `If GitHub is only slow, raise the \`${GITHUB_TIMEOUT_OPTION[reason.kind]}\` timeout; otherwise check the network and the API base URL.`,
      {
        request: context.what,
        ...(context.path === undefined ? {} : { path: context.path }),
        timeout: reason.kind,
        timeoutMs: reason.timeoutMs,
        attempts,
      },
    )

  const errorFor = async (
    response: Response,
    what: string,
    clock: AttemptClock,
  ): Promise<PackwrightError> => {
    let body = ''
    try {
      body = await readBodyPrefix(response, clock, 4000)
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
    // Before it is cut or quoted, either of which would hide the token from `redact`.
    if (githubMessage !== undefined) githubMessage = redact(githubMessage)
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
      ...(requestId === undefined ? {} : { requestId: requestId.slice(0, ECHO_LIMIT) }),
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

  /** Decides what one failed attempt means. */
  const classify = (
    error: unknown,
    attempt: Attempt,
    context: GitHubBodyContext,
    callSignal: AbortSignal | undefined,
  ): AttemptFailure => {
    const { what } = context
    if (error instanceof StatusFailure) {
      const { status } = error
      return {
        retryable: status >= 500,
        summary: `answered ${status}`,
        final: (attempts) =>
          status >= 500 && attempts > 1
            ? failure(
                'GITHUB_REQUEST_FAILED',
                `${error.error.message} (after ${attempts} attempts)`,
                error.error.hint ?? '',
                { ...error.error.details, attempts },
              )
            : error.error,
      }
    }
    if (error instanceof PackwrightError) {
      return { retryable: false, summary: error.code, final: () => error }
    }
    if (callSignal?.aborted === true) {
      return { retryable: false, summary: 'aborted', final: () => abortedError(callSignal, what) }
    }
    const reason: unknown = deadline.signal.aborted
      ? deadline.signal.reason
      : attempt.clock.signal.aborted
        ? attempt.clock.signal.reason
        : isConnectTimeout(error)
          ? new GitHubTimeoutReason('connect', timeouts.connect)
          : undefined
    if (reason instanceof GitHubTimeoutReason) {
      return {
        retryable: reason.kind === 'connect' || reason.kind === 'idle',
        summary: `hit the ${reason.kind} timeout (${reason.timeoutMs} ms)`,
        final: (attempts) => timeoutError(reason, context, attempts),
      }
    }
    const cause = error instanceof Error ? describeNetworkError(error) : 'failed'
    if (attempt.phase === 'body') {
      return {
        retryable: true,
        summary: 'broke off',
        final: (attempts) =>
          failure(
            'GITHUB_REQUEST_FAILED',
            `The download of ${context.subject} from GitHub broke off (${what})${attempts > 1 ? ` after ${attempts} attempts` : ''}: ${cause}.`,
            'Check the network, or retry later.',
            {
              request: what,
              ...(context.path === undefined ? {} : { path: context.path }),
              attempts,
            },
          ),
      }
    }
    return {
      retryable: true,
      summary: 'failed to connect',
      final: (attempts) =>
        failure(
          'GITHUB_REQUEST_FAILED',
          `Could not reach GitHub for ${what} after ${attempts} attempts: ${cause}.`,
          'Check the network and the API base URL (GitHub Enterprise: https://HOST/api/v3).',
          { request: what, attempts, tokenSent: token !== undefined },
        ),
    }
  }

  /**
   * Sends the request until an attempt gets a 2xx answer and `use` succeeds
   * with it, or a failure is final. `use` owns the attempt's clock.
   */
  const attemptUntil = async <T>(
    path: string,
    request: GitHubGetOptions,
    use: (response: Response, attempt: Attempt, context: GitHubBodyContext) => Promise<T>,
  ): Promise<T> => {
    const url = `${apiBaseUrl}${path}`
    const context: GitHubBodyContext = {
      // Redacted once here: the URL goes into log lines and into every error, some made elsewhere.
      what: redact(`GET ${url}`),
      subject: request.subject,
      path: request.path,
      size: request.size,
    }
    const { what } = context
    const callSignal = combineSignals(options.signal, request.signal)
    // A function, so the check is not narrowed away across awaits.
    const callerAborted = (): boolean => callSignal?.aborted === true
    const headers: Record<string, string> = {
      Accept: request.accept,
      'X-GitHub-Api-Version': GITHUB_API_VERSION,
      'User-Agent': 'packwright',
    }
    if (token !== undefined) headers.Authorization = `Bearer ${token}`
    // Before any attempt's clock starts: loading the transport is no network time.
    const doFetch = (await transport).fetch
    for (let attempts = 1; ; attempts++) {
      if (callerAborted()) throw abortedError(callSignal, what)
      if (closed) {
        throw new PackwrightError(
          'INVALID_ARGUMENT',
          `${what} was requested after the reader was closed.`,
        )
      }
      if (deadline.signal.aborted) {
        throw timeoutError(deadline.signal.reason as GitHubTimeoutReason, context, attempts - 1)
      }
      const clock = new AttemptClock(timeouts.idle, timeouts.request)
      const attempt: Attempt = {
        clock,
        signal: combineSignals(callSignal, deadline.signal, clock.signal) as AbortSignal,
        phase: 'connect',
      }
      let failed: AttemptFailure
      try {
        clock.waiting()
        let response: Response
        try {
          response = await doFetch(url, {
            method: 'GET',
            headers,
            redirect: 'follow',
            signal: attempt.signal,
          })
        } finally {
          clock.received()
        }
        logger.debug(`${what} -> ${response.status}`)
        if (!response.ok) {
          throw new StatusFailure(await errorFor(response, what, clock), response.status)
        }
        attempt.phase = 'body'
        return await use(response, attempt, context)
      } catch (error) {
        clock.dispose()
        failed = classify(error, attempt, context, callSignal)
      }
      if (!failed.retryable || attempts > retries) throw failed.final(attempts)
      const delay = Math.min(retryDelayMs * 2 ** (attempts - 1), MAX_DELAY_MS)
      logger.warn(
        redact(
          `${what} ${failed.summary}; retrying in ${delay} ms (attempt ${attempts + 1} of ${retries + 1})`,
        ),
      )
      try {
        await sleep(delay, undefined, { signal: combineSignals(callSignal, deadline.signal) })
      } catch {
        if (callerAborted()) throw abortedError(callSignal, what)
        throw timeoutError(deadline.signal.reason as GitHubTimeoutReason, context, attempts)
      }
    }
  }

  return {
    apiBaseUrl,
    tokenSent: token !== undefined,

    read(path, request) {
      return attemptUntil(path, request, async (response, attempt, context) => {
        try {
          const exact = 'exactBytes' in request.size ? request.size.exactBytes : undefined
          const chunks: Buffer[] = []
          let received = 0
          for await (const chunk of checkedBodyChunks(response, attempt.clock, context)) {
            chunks.push(chunk)
            received += chunk.length
          }
          return Buffer.concat(chunks, exact ?? received)
        } finally {
          attempt.clock.dispose()
        }
      })
    },

    stream(path, request) {
      const callSignal = combineSignals(options.signal, request.signal)
      return attemptUntil(path, request, (response, attempt, context) => {
        const classifyBody = (error: unknown): PackwrightError =>
          classify(error, attempt, context, callSignal).final(1)
        async function* chunks(): AsyncGenerator<Buffer, void, undefined> {
          try {
            yield* checkedBodyChunks(response, attempt.clock, context)
          } catch (error) {
            throw classifyBody(error)
          } finally {
            attempt.clock.dispose()
          }
        }
        return Promise.resolve(chunks())
      })
    },

    async close() {
      if (closed) return
      closed = true
      clearTimeout(deadlineTimer)
      await transport.then(({ agent }) => agent?.destroy()).catch(() => undefined)
    },
  }
}

function describeNetworkError(error: Error): string {
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined
  if (typeof cause?.code === 'string') return `${error.message} (${cause.code})`
  if (typeof cause?.message === 'string') return `${error.message} (${cause.message})`
  return error.message
}
