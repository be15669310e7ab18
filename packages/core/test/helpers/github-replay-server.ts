import { readFile } from 'node:fs/promises'
import {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
  createServer,
} from 'node:http'
import { type AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'

/** One recorded answer: a JSON body, or raw bytes in base64. */
export interface RecordedResponse {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: unknown
  readonly bodyBase64?: string
}

export interface RecordedExchange {
  readonly request: {
    readonly method: string
    /** Path and query below the API base URL. */
    readonly path: string
    /** Request headers the recording was made with (lower-case names); asserted on replay. */
    readonly headers?: Readonly<Record<string, string>>
  }
  readonly response: RecordedResponse
}

export interface GitHubRecording {
  readonly scenario: string
  readonly description: string
  readonly owner: string
  readonly repo: string
  readonly commit: string
  readonly tree: string
  readonly exchanges: readonly RecordedExchange[]
}

export interface GitHubErrorResponses {
  readonly responses: Readonly<Record<string, RecordedResponse>>
}

export interface ReplayServerOptions {
  readonly exchanges: readonly RecordedExchange[]
  /** Path the API lives under (GitHub Enterprise: `/api/v3`). @default '' */
  readonly basePath?: string
  /** The token every request must carry as `Bearer`; when undefined, no Authorization header is allowed. */
  readonly token?: string
  /**
   * Answers served before the recording for a request path (matched on the
   * path without the base path), one per request, in order.
   */
  readonly overrides?: Readonly<Record<string, readonly RecordedResponse[]>>
  /** Answers every request for these paths by closing the connection without a response, this many times. */
  readonly dropConnections?: Readonly<Record<string, number>>
  /**
   * Raw handlers that answer requests for these paths (after the header
   * checks, before overrides and the recording), to play a hostile or broken
   * peer: one that never answers, trickles, stalls or sends too much.
   */
  readonly handlers?: Readonly<Record<string, (req: IncomingMessage, res: ServerResponse) => void>>
}

export interface ReceivedRequest {
  readonly method: string
  readonly path: string
  readonly headers: IncomingHttpHeaders
}

export interface ReplayServer {
  /** The API base URL to give the client (`http://127.0.0.1:port[basePath]`). */
  readonly url: string
  readonly requests: ReceivedRequest[]
  /** Requests that broke the recording's expectations (headers, unknown paths). Empty when all is well. */
  readonly problems: string[]
  /** Most requests answered at once since the last reset. */
  readonly maxInFlight: number
  /** Resets `maxInFlight` and holds every later answer back `delayMs`, so overlap is observable. */
  resetMaxInFlight(delayMs: number): void
  close(): Promise<void>
}

const fixtures = fileURLToPath(new URL('../fixtures/github/', import.meta.url))

/** Loads `test/fixtures/github/<name>.json`. */
export async function loadGitHubRecording(name: string): Promise<GitHubRecording> {
  return JSON.parse(await readFile(`${fixtures}${name}.json`, 'utf8')) as GitHubRecording
}

/** Loads the named error answers of `test/fixtures/github/errors.json`. */
export async function loadGitHubErrors(): Promise<Readonly<Record<string, RecordedResponse>>> {
  const parsed = JSON.parse(
    await readFile(`${fixtures}errors.json`, 'utf8'),
  ) as GitHubErrorResponses
  return parsed.responses
}

function send(res: ServerResponse, response: RecordedResponse): void {
  const body =
    response.bodyBase64 !== undefined
      ? Buffer.from(response.bodyBase64, 'base64')
      : Buffer.from(response.body === undefined ? '' : JSON.stringify(response.body))
  res.writeHead(response.status, { ...response.headers, 'content-length': String(body.length) })
  res.end(body)
}

/**
 * A GitHub REST stand-in on 127.0.0.1 that replays recorded exchanges,
 * checks the headers every request must carry, and can answer with errors
 * first (per path) to play a scenario.
 */
export async function startGitHubReplayServer(options: ReplayServerOptions): Promise<ReplayServer> {
  const basePath = options.basePath ?? ''
  const requests: ReceivedRequest[] = []
  const problems: string[] = []
  const overrides = new Map(
    Object.entries(options.overrides ?? {}).map(([path, list]) => [path, [...list]]),
  )
  const drops = new Map(Object.entries(options.dropConnections ?? {}))
  const byPath = new Map(options.exchanges.map((exchange) => [exchange.request.path, exchange]))

  let inFlight = 0
  let maxInFlight = 0
  let delayMs = 0
  const server = createServer((req, res) => {
    inFlight += 1
    maxInFlight = Math.max(maxInFlight, inFlight)
    res.on('close', () => {
      inFlight -= 1
    })
    if (delayMs > 0) setTimeout(() => answer(req, res), delayMs)
    else answer(req, res)
  })
  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    const rawPath = req.url ?? ''
    requests.push({ method: req.method ?? '', path: rawPath, headers: req.headers })
    const fail = (problem: string): void => {
      problems.push(problem)
      send(res, { status: 400, body: { message: `replay server: ${problem}` } })
    }
    if (!rawPath.startsWith(`${basePath}/`)) {
      fail(`${req.method} ${rawPath} is outside the base path ${JSON.stringify(basePath)}`)
      return
    }
    const path = rawPath.slice(basePath.length)
    const expectedAuth = options.token === undefined ? undefined : `Bearer ${options.token}`
    if (req.headers.authorization !== expectedAuth) {
      fail(
        `${path}: authorization header ${req.headers.authorization === undefined ? 'missing' : 'unexpected'}`,
      )
      return
    }
    if (req.headers['x-github-api-version'] !== '2022-11-28') {
      fail(`${path}: X-GitHub-Api-Version is ${String(req.headers['x-github-api-version'])}`)
      return
    }
    if (req.headers['user-agent'] !== 'packwright') {
      fail(`${path}: User-Agent is ${String(req.headers['user-agent'])}`)
      return
    }
    const dropsLeft = drops.get(path) ?? 0
    if (dropsLeft > 0) {
      drops.set(path, dropsLeft - 1)
      req.socket.destroy()
      return
    }
    const handler = options.handlers?.[path]
    if (handler !== undefined) {
      handler(req, res)
      return
    }
    const exchange = byPath.get(path)
    if (exchange !== undefined && req.method !== exchange.request.method) {
      fail(`${path}: method ${req.method} instead of ${exchange.request.method}`)
      return
    }
    const expectedAccept = exchange?.request.headers?.accept
    if (expectedAccept !== undefined && req.headers.accept !== expectedAccept) {
      fail(`${path}: Accept is ${String(req.headers.accept)} instead of ${expectedAccept}`)
      return
    }
    const queued = overrides.get(path)
    const override = queued?.shift()
    if (override !== undefined) {
      send(res, override)
      return
    }
    if (exchange === undefined) {
      fail(`no recording for ${req.method} ${path}`)
      return
    }
    send(res, exchange.response)
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    requests,
    problems,
    get maxInFlight() {
      return maxInFlight
    },
    resetMaxInFlight(delay: number) {
      maxInFlight = 0
      delayMs = delay
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error === undefined ? resolve() : reject(error)))
      }),
  }
}
