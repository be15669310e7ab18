import type { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { PackwrightError, quoteInput } from '@packwright/core'
import { Agent, type Dispatcher } from 'undici'
import { pushError } from './push-errors.js'
import {
  type ResolvedRetryPolicy,
  isRetryableStatus,
  parseRetryAfter,
  retryDelayMs,
} from './retry-policy.js'

/** A request body made afresh for every attempt, so a retry never resends half a stream. */
export interface RequestBody {
  readonly stream: Readable
  readonly length: number
  readonly contentType: string
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'DELETE'
  /** A path on the server (`/v3/apps`), with its query. */
  readonly path: string
  /** Sent as `application/json`. */
  readonly json?: unknown
  /** Called once per attempt. */
  readonly body?: () => RequestBody
  /** What the request does, for messages: `create app "web"`. */
  readonly action: string
}

export interface HttpResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly body: Dispatcher.ResponseData['body']
}

export interface HttpTimeouts {
  /** Establishing a connection. @default 10000 */
  readonly connectMs?: number
  /** Waiting for response headers once the request is sent. @default 300000 */
  readonly headersMs?: number
  /** Silence while a response body streams. @default 300000 */
  readonly bodyMs?: number
}

export interface HttpTransportOptions {
  readonly baseUrl: URL
  readonly token: string | undefined
  readonly retry: ResolvedRetryPolicy
  readonly timeouts?: HttpTimeouts
  readonly dispatcher?: Dispatcher
  readonly userAgent: string
  /** Called before each retry, e.g. to log it. */
  readonly onRetry?: (event: RetryEvent) => void
}

export interface RetryEvent {
  readonly action: string
  /** 1 for the first retry. */
  readonly attempt: number
  readonly delayMs: number
  /** `HTTP 503`, `ECONNRESET`, … */
  readonly reason: string
}

export interface HttpTransport {
  /** Sends with retries; answers a 2xx response, or throws a coded error. */
  send(request: HttpRequest, signal?: AbortSignal): Promise<HttpResponse>
  close(): Promise<void>
}

const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
])

function errorCodeOf(error: unknown): string | undefined {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code
    if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return code
  }
  return undefined
}

function isTimeout(code: string | undefined): boolean {
  return code !== undefined && /TIMEOUT|ETIMEDOUT/.test(code)
}

/** The first `detail` of a Cloud Foundry error envelope, else the body's start. */
function describeErrorBody(text: string): string {
  try {
    const parsed = JSON.parse(text) as { errors?: { detail?: unknown; title?: unknown }[] }
    const first = parsed.errors?.[0]
    if (first !== undefined && typeof first.detail === 'string') {
      return typeof first.title === 'string' ? `${first.title}: ${first.detail}` : first.detail
    }
  } catch {
    // not JSON: quote the text as it came
  }
  const trimmed = text.trim()
  return trimmed === '' ? 'no details' : quoteInput(trimmed, 200)
}

/** Read through a call: the flag changes while a request is awaited. */
function isAborted(signal: AbortSignal | undefined): signal is AbortSignal {
  return signal?.aborted === true
}

function abortedError(action: string, signal: AbortSignal): PackwrightError {
  const reason: unknown = signal.reason
  if (reason instanceof PackwrightError) return reason
  return new PackwrightError('ABORTED', `Stopped while trying to ${action}.`)
}

/**
 * Sends requests to one server with the bearer token, retrying network
 * errors, 429 and 5xx with exponential backoff and jitter (honouring
 * `Retry-After`), never other statuses. Every failure is one coded
 * `PackwrightError` whose message names the request and never the token.
 */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const { baseUrl, token, retry } = options
  const ownDispatcher =
    options.dispatcher === undefined
      ? new Agent({
          connectTimeout: options.timeouts?.connectMs ?? 10_000,
          headersTimeout: options.timeouts?.headersMs ?? 300_000,
          bodyTimeout: options.timeouts?.bodyMs ?? 300_000,
        })
      : undefined
  const dispatcher: Dispatcher = options.dispatcher ?? (ownDispatcher as Agent)
  const redact = (text: string): string =>
    token === undefined || token === '' ? text : text.split(token).join('***')

  async function attempt(request: HttpRequest, signal: AbortSignal | undefined) {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': options.userAgent,
    }
    if (token !== undefined && token !== '') headers.authorization = `bearer ${token}`
    let body: string | Readable | undefined
    if (request.json !== undefined) {
      body = JSON.stringify(request.json)
      headers['content-type'] = 'application/json'
    } else if (request.body !== undefined) {
      const made = request.body()
      body = made.stream
      headers['content-type'] = made.contentType
      headers['content-length'] = String(made.length)
    }
    const url = new URL(request.path, baseUrl)
    try {
      return await dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers,
        body: body ?? null,
        signal: signal ?? null,
      })
    } catch (error) {
      if (typeof body === 'object') body.destroy()
      throw error
    }
  }

  async function send(request: HttpRequest, signal?: AbortSignal): Promise<HttpResponse> {
    const where = `${request.method} ${new URL(request.path, baseUrl).pathname}`
    for (let retryNumber = 0; ; retryNumber++) {
      if (signal?.aborted === true) throw abortedError(request.action, signal)
      let reason: string
      let retryAfterMs: number | undefined
      let final: () => PackwrightError
      try {
        const response = await attempt(request, signal)
        const status = response.statusCode
        if (status >= 200 && status < 300) {
          return { status, headers: response.headers, body: response.body }
        }
        const text = redact(await response.body.text().catch(() => ''))
        const detail = describeErrorBody(text)
        const message = `Could not ${request.action}: the server answered ${status} to ${where} (${detail}).`
        if (!isRetryableStatus(status)) throw statusError(status, message)
        reason = `HTTP ${status}`
        const header = response.headers['retry-after']
        retryAfterMs = parseRetryAfter(Array.isArray(header) ? header[0] : header)
        final = () =>
          status === 429
            ? pushError('PUSH_RATE_LIMITED', message, {
                hint: 'The server is busy: try again later.',
                details: { status },
              })
            : pushError('PUSH_SERVER_ERROR', message, {
                hint: 'The server failed; its log says why. Try again once it is fixed.',
                details: { status },
              })
      } catch (error) {
        if (error instanceof PackwrightError) throw error
        if (isAborted(signal)) throw abortedError(request.action, signal)
        const code = errorCodeOf(error)
        if (code === undefined) {
          const text = error instanceof Error ? error.message : String(error)
          throw pushError(
            'PUSH_NETWORK_FAILED',
            redact(`Could not ${request.action}: ${where} failed (${text}).`),
            { cause: error },
          )
        }
        reason = code
        final = () =>
          pushError(
            isTimeout(code) ? 'PUSH_TIMEOUT' : 'PUSH_NETWORK_FAILED',
            `Could not ${request.action}: ${where} to ${baseUrl.origin} failed (${code}) ${retryNumber + 1} time${retryNumber === 0 ? '' : 's'}.`,
            {
              hint: 'Check that the server is running and reachable at --server.',
              cause: error,
              details: { errorCode: code },
            },
          )
      }
      if (retryNumber >= retry.retries) throw final()
      const delayMs = retryDelayMs(retry, retryNumber + 1, retryAfterMs)
      options.onRetry?.({ action: request.action, attempt: retryNumber + 1, delayMs, reason })
      try {
        await sleep(delayMs, undefined, signal === undefined ? undefined : { signal })
      } catch {
        throw abortedError(request.action, signal as AbortSignal)
      }
    }
  }

  return {
    send,
    async close() {
      await ownDispatcher?.close()
    },
  }
}

function statusError(status: number, message: string): PackwrightError {
  if (status === 401) {
    return pushError('PUSH_AUTH_FAILED', message, {
      hint: 'Pass a valid token with --token or PACKWRIGHT_TOKEN.',
      details: { status },
    })
  }
  if (status === 403) {
    return pushError('PUSH_FORBIDDEN', message, {
      hint: 'The token lacks the scope this needs (pushing needs write).',
      details: { status },
    })
  }
  if (status === 404) return pushError('PUSH_NOT_FOUND', message, { details: { status } })
  return pushError('PUSH_REQUEST_REJECTED', message, { details: { status } })
}
