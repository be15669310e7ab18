import { PackwrightError } from '../errors.js'

/**
 * How long GitHub requests may take. Every value is in milliseconds and must
 * be positive; `Infinity` switches that bound off.
 */
export interface GitHubTimeouts {
  /**
   * Time to open the connection (TCP and, for https, the TLS handshake), per
   * attempt. GitHub connects in well under a second; 10 s leaves room for a
   * slow network or a distant GitHub Enterprise host, and fails fast on a host
   * that drops packets. Retried. Enforced by the built-in transport (undici,
   * which checks it on a clock of about one second, so it may fire up to a
   * second late); an injected `fetch` opens its own connections, and the
   * idle timeout still covers them. @default 10000
   */
  readonly connectTimeoutMs?: number | undefined
  /**
   * Longest silence while waiting for GitHub, per attempt: for the answer's
   * headers, then for each next piece of the body (time the consumer takes
   * is not counted). GitHub answers within seconds even for large recursive
   * trees and streams blobs steadily, so 30 s without a byte means a stalled
   * peer. Retried: a whole-body read starts again; a stream already handed
   * to its consumer fails instead. @default 30000
   */
  readonly idleTimeoutMs?: number | undefined
  /**
   * Total time one attempt may spend waiting on GitHub, headers and body
   * (time the consumer takes is not counted). Stops a peer that trickles
   * bytes just fast enough to dodge the idle timeout. 5 min moves a 100 MiB
   * blob (GitHub's largest file) at 350 KiB/s. Not retried: a peer that slow
   * would be as slow again. @default 300000
   */
  readonly requestTimeoutMs?: number | undefined
  /**
   * Deadline of the whole read, counted from the reader's creation: every
   * request, retry and backoff must be over by then. It bounds what one run
   * (e.g. one request to a package server) can cost whatever the peer does;
   * a server should lower it. Not retried. @default 1800000
   */
  readonly deadlineMs?: number | undefined
}

export type GitHubTimeoutKind = 'connect' | 'idle' | 'request' | 'deadline'

export const DEFAULT_GITHUB_TIMEOUTS: Readonly<Record<GitHubTimeoutKind, number>> = {
  connect: 10_000,
  idle: 30_000,
  request: 300_000,
  deadline: 1_800_000,
}

/** The option that sets each timeout, for messages. */
export const GITHUB_TIMEOUT_OPTION: Readonly<Record<GitHubTimeoutKind, string>> = {
  connect: 'connectTimeoutMs',
  idle: 'idleTimeoutMs',
  request: 'requestTimeoutMs',
  deadline: 'deadlineMs',
}

/** Longest delay `setTimeout` honours; anything longer counts as no bound. */
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * Fills in the defaults and checks each value.
 *
 * @throws PackwrightError `INVALID_ARGUMENT` for a value that is not a positive number.
 */
export function resolveGitHubTimeouts(
  timeouts: GitHubTimeouts = {},
): Readonly<Record<GitHubTimeoutKind, number>> {
  const given: Record<GitHubTimeoutKind, number | undefined> = {
    connect: timeouts.connectTimeoutMs,
    idle: timeouts.idleTimeoutMs,
    request: timeouts.requestTimeoutMs,
    deadline: timeouts.deadlineMs,
  }
  const resolved = { ...DEFAULT_GITHUB_TIMEOUTS }
  for (const kind of Object.keys(given) as GitHubTimeoutKind[]) {
    const value = given[kind]
    if (value === undefined) continue
    if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
      throw new PackwrightError(
        'INVALID_ARGUMENT',
        `Invalid GitHub timeout \`${GITHUB_TIMEOUT_OPTION[kind]}\`: ${String(value)}; expected a positive number of milliseconds (or Infinity for no bound).`,
        { details: { field: GITHUB_TIMEOUT_OPTION[kind] } },
      )
    }
    resolved[kind] = value
  }
  return resolved
}

/** The abort reason a timeout leaves on a request's signal. */
export class GitHubTimeoutReason extends Error {
  readonly kind: GitHubTimeoutKind
  readonly timeoutMs: number

  constructor(kind: GitHubTimeoutKind, timeoutMs: number) {
    super(`GitHub ${kind} timeout of ${timeoutMs} ms`)
    this.name = 'TimeoutError'
    this.kind = kind
    this.timeoutMs = timeoutMs
  }
}

/** Starts a timer that aborts `controller` with `reason`, unless the delay is unbounded. */
export function abortAfter(
  controller: AbortController,
  delayMs: number,
  reason: GitHubTimeoutReason,
): NodeJS.Timeout | undefined {
  if (delayMs > MAX_TIMER_MS) return undefined
  return setTimeout(() => controller.abort(reason), Math.max(0, delayMs))
}

/**
 * The clock of one request attempt: counts only the time spent waiting on
 * GitHub (between `waiting()` and `received()`), and aborts its signal when
 * a wait exceeds the idle timeout or the waits add up past the request timeout.
 */
export class AttemptClock {
  readonly #controller = new AbortController()
  readonly #idleMs: number
  readonly #requestMs: number
  #leftMs: number
  #since = 0
  #timer: NodeJS.Timeout | undefined

  constructor(idleMs: number, requestMs: number) {
    this.#idleMs = idleMs
    this.#requestMs = requestMs
    this.#leftMs = requestMs
  }

  get signal(): AbortSignal {
    return this.#controller.signal
  }

  /** Starts a wait on GitHub. */
  waiting(): void {
    clearTimeout(this.#timer)
    this.#since = performance.now()
    const requestFirst = this.#leftMs <= this.#idleMs
    this.#timer = abortAfter(
      this.#controller,
      requestFirst ? this.#leftMs : this.#idleMs,
      requestFirst
        ? new GitHubTimeoutReason('request', this.#requestMs)
        : new GitHubTimeoutReason('idle', this.#idleMs),
    )
  }

  /** Ends the current wait (bytes or headers arrived, or the wait failed). */
  received(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#leftMs -= performance.now() - this.#since
  }

  /** Stops the clock for good. */
  dispose(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
