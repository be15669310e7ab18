import { type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { rejection } from '../../test/helpers/rejection.js'
import {
  type GitHubGetOptions,
  type GitHubRequestOptions,
  createGitHubRequester,
} from './github-request.js'
import { type HttpPeer, type HttpPeerHandler, startHttpPeer } from '../../test/helpers/http-peer.js'
import { recordingLogger } from '../../test/helpers/recording-logger.js'

const ENTERPRISE = 'https://ghe.example.com/api/v3'

const peers: HttpPeer[] = []
afterEach(async () => {
  await Promise.all(peers.splice(0).map((peer) => peer.close()))
})

/** A peer on 127.0.0.1, closed after the test. */
async function peer(handler: HttpPeerHandler): Promise<HttpPeer> {
  const started = await startHttpPeer(handler)
  peers.push(started)
  return started
}

const get: GitHubGetOptions = {
  accept: 'application/json',
  subject: 'the tree',
  size: { maxBytes: 10_000 },
}

async function readFailure(options: GitHubRequestOptions, request = get) {
  const requester = createGitHubRequester({ retries: 0, retryDelayMs: 1, ...options })
  try {
    return await rejection(requester.read('/x', request))
  } finally {
    await requester.close()
  }
}

/** An injected fetch that fails at once with `reason`, as fetch does when it cannot connect. */
function failingFetch(reason: unknown): typeof fetch {
  return async () => {
    await Promise.resolve()
    throw reason
  }
}

/** `fetch failed` whose `depth`-th cause (1 for its own cause) is undici's connect timeout. */
function connectTimeoutAt(depth: number): TypeError {
  let cause: Error = Object.assign(new Error('Connect Timeout Error'), {
    code: 'UND_ERR_CONNECT_TIMEOUT',
  })
  for (let level = depth - 1; level > 0; level--) cause = new Error(`level ${level}`, { cause })
  return new TypeError('fetch failed', { cause })
}

describe('createGitHubRequester base URL', () => {
  it('keeps the URL parser error as the cause of a base URL that is not a URL', () => {
    let caught: unknown
    try {
      createGitHubRequester({ apiBaseUrl: 'not a url' })
    } catch (error) {
      caught = error
    }
    expect(caught).toMatchObject({ code: 'INVALID_ARGUMENT' })
    expect((caught as Error).cause).toBeInstanceOf(TypeError)
    expect((caught as Error).cause).toMatchObject({ code: 'ERR_INVALID_URL' })
  })
})

describe('createGitHubRequester rate limit answers', () => {
  it('counts a retry-after from the time of the answer', async () => {
    const server = await peer((_request, response) => {
      response.writeHead(429, { 'retry-after': '30' })
      response.end()
    })
    const before = Date.now()
    const error = await readFailure({ apiBaseUrl: server.url })
    const after = Date.now()
    expect(error.code).toBe('GITHUB_RATE_LIMITED')
    const resetAt = Date.parse(String(error.details.resetAt))
    expect(resetAt).toBeGreaterThanOrEqual(before + 30_000)
    expect(resetAt).toBeLessThanOrEqual(after + 30_000)
  })

  it('ignores an x-ratelimit-reset that is not a finite number', async () => {
    const server = await peer((_request, response) => {
      response.writeHead(429, { 'x-ratelimit-reset': 'Infinity' })
      response.end()
    })
    const error = await readFailure({ apiBaseUrl: server.url })
    expect(error.code).toBe('GITHUB_RATE_LIMITED')
    expect(error.message).toMatch(/; GitHub did not say when it resets\.$/)
    expect(error.details).not.toHaveProperty('resetAt')
  })

  it('takes an answer other than 403 or 429 as itself, even with the quota used up or a retry-after', async () => {
    const missing = await peer((_request, response) => {
      response.writeHead(404, { 'x-ratelimit-remaining': '0' })
      response.end()
    })
    expect((await readFailure({ apiBaseUrl: missing.url })).code).toBe('GITHUB_NOT_FOUND')
    const broken = await peer((_request, response) => {
      response.writeHead(400, { 'retry-after': '5' })
      response.end()
    })
    const error = await readFailure({ apiBaseUrl: broken.url })
    expect(error.code).toBe('GITHUB_REQUEST_FAILED')
    expect(error.message).toBe(`GitHub answered 400 for GET ${broken.url}/x.`)
  })
})

describe('createGitHubRequester error answers', () => {
  it('reports an error answer whose body breaks off without a GitHub message', async () => {
    const server = await peer((_request, response) => {
      response.writeHead(400, { 'content-length': '100', 'content-type': 'application/json' })
      response.write('{"message":"cut', () => response.destroy())
    })
    const error = await readFailure({ apiBaseUrl: server.url })
    expect(error.code).toBe('GITHUB_REQUEST_FAILED')
    expect(error.message).toBe(`GitHub answered 400 for GET ${server.url}/x.`)
    expect(error.details).toStrictEqual({
      request: `GET ${server.url}/x`,
      status: 400,
      tokenSent: false,
    })
  })

  it('quotes no GitHub message for an error answer of only whitespace', async () => {
    const server = await peer((_request, response) => {
      response.writeHead(400, { 'content-type': 'text/plain' })
      response.end(' \r\n\t ')
    })
    const error = await readFailure({ apiBaseUrl: server.url })
    expect(error.message).toBe(`GitHub answered 400 for GET ${server.url}/x.`)
    expect(error.details).toStrictEqual({
      request: `GET ${server.url}/x`,
      status: 400,
      tokenSent: false,
    })
  })

  it('has no documentation link key when GitHub gives none', async () => {
    const server = await peer((_request, response) => {
      response.writeHead(422, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ message: 'Validation Failed' }))
    })
    const error = await readFailure({ apiBaseUrl: server.url })
    expect(error.details).toStrictEqual({
      request: `GET ${server.url}/x`,
      status: 422,
      githubMessage: 'Validation Failed',
      tokenSent: false,
    })
  })
})

describe('createGitHubRequester details of failed attempts', () => {
  it('has no path key in a timeout of a request that reads no file', async () => {
    const server = await peer(() => undefined)
    const error = await readFailure({
      apiBaseUrl: server.url,
      timeouts: { idleTimeoutMs: 50 },
    })
    expect(error.details).toStrictEqual({
      request: `GET ${server.url}/x`,
      timeout: 'idle',
      timeoutMs: 50,
      attempts: 1,
    })
  })

  it('has no path key in a broken-off download of a request that reads no file', async () => {
    const server = await peer((_request, response) => {
      response.writeHead(200, { 'content-length': '10' })
      response.write('12345', () => response.destroy())
    })
    const error = await readFailure({ apiBaseUrl: server.url })
    expect(error.message).toMatch(/ broke off \(GET \S+\/x\): /)
    expect(error.details).toStrictEqual({ request: `GET ${server.url}/x`, attempts: 1 })
  })

  it('says no token was sent when it could not reach GitHub without one', async () => {
    const server = await peer(() => undefined)
    const url = server.url
    await (peers.pop() as HttpPeer).close()
    const error = await readFailure({ apiBaseUrl: url })
    expect(error.code).toBe('GITHUB_REQUEST_FAILED')
    expect(error.details).toStrictEqual({ request: `GET ${url}/x`, attempts: 1, tokenSent: false })
  })

  it('says "failed" for a fetch that rejects with something other than an Error', async () => {
    const error = await readFailure({ apiBaseUrl: ENTERPRISE, fetch: failingFetch('boom') })
    expect(error.message).toBe(
      `Could not reach GitHub for GET ${ENTERPRISE}/x after 1 attempts: failed.`,
    )
  })

  it("adds the message of a fetch failure's cause when the cause has no code", async () => {
    const failed = new TypeError('fetch failed', { cause: new Error('other side closed') })
    const error = await readFailure({ apiBaseUrl: ENTERPRISE, fetch: failingFetch(failed) })
    expect(error.message).toBe(
      `Could not reach GitHub for GET ${ENTERPRISE}/x after 1 attempts: fetch failed (other side closed).`,
    )
  })

  it('takes a fetch failure whose cause is null as a plain network failure', async () => {
    const failed = new TypeError('fetch failed', { cause: null })
    const error = await readFailure({ apiBaseUrl: ENTERPRISE, fetch: failingFetch(failed) })
    expect(error.code).toBe('GITHUB_REQUEST_FAILED')
    expect(error.message).toBe(
      `Could not reach GitHub for GET ${ENTERPRISE}/x after 1 attempts: fetch failed.`,
    )
  })

  it("looks for undici's connect timeout code in the failure and at most four causes deep", async () => {
    const options = { apiBaseUrl: ENTERPRISE, timeouts: { connectTimeoutMs: 700 } }
    const found = await readFailure({ ...options, fetch: failingFetch(connectTimeoutAt(4)) })
    expect(found.code).toBe('GITHUB_TIMEOUT')
    expect(found.details).toMatchObject({ timeout: 'connect', timeoutMs: 700 })
    const tooDeep = await readFailure({ ...options, fetch: failingFetch(connectTimeoutAt(5)) })
    expect(tooDeep.code).toBe('GITHUB_REQUEST_FAILED')
    expect(tooDeep.message).toMatch(/^Could not reach GitHub for /)
  })

  it('counts the wait for the headers in the request timeout', async () => {
    // Headers after 300 ms and the body 300 ms later: each wait is within the
    // 400 ms request timeout, but not the two together.
    const server = await peer((_request, response) => {
      setTimeout(() => {
        response.writeHead(200, { 'content-length': '2' })
        response.flushHeaders()
        setTimeout(() => response.end('{}'), 300)
      }, 300)
    })
    const error = await readFailure({
      apiBaseUrl: server.url,
      timeouts: { requestTimeoutMs: 400 },
    })
    expect(error.code).toBe('GITHUB_TIMEOUT')
    expect(error.details).toMatchObject({ timeout: 'request', timeoutMs: 400, attempts: 1 })
  })
})

describe('createGitHubRequester aborts', () => {
  it('neither retries nor logs a retry for an abort during a request', async () => {
    const controller = new AbortController()
    const server = await peer(() => controller.abort())
    const logger = recordingLogger()
    const error = await readFailure(
      { apiBaseUrl: server.url, retries: 2, logger },
      {
        ...get,
        signal: controller.signal,
      },
    )
    expect(error.code).toBe('ABORTED')
    expect(logger.lines.filter((line) => line.startsWith('warn'))).toEqual([])
    expect(server.paths).toHaveLength(1)
  })

  it('does not call an injected fetch when the signal is already aborted', async () => {
    let calls = 0
    const answering: typeof fetch = () => {
      calls += 1
      return Promise.resolve(new Response('{}'))
    }
    const error = await readFailure({
      apiBaseUrl: ENTERPRISE,
      fetch: answering,
      signal: AbortSignal.abort(),
    })
    expect(error.code).toBe('ABORTED')
    expect(error.message).toBe(`GET ${ENTERPRISE}/x was aborted.`)
    expect(calls).toBe(0)
  })

  it('reports the deadline, not the close, when the reader is closed as the deadline passes during a retry wait', async () => {
    const signals: AbortSignal[] = []
    let close: () => Promise<void> = () => Promise.resolve()
    const answer503: typeof fetch = (_url, init) => {
      const signal = init?.signal as AbortSignal
      signals.push(signal)
      // The attempt's signal follows the deadline: close the reader the moment it passes.
      signal.addEventListener('abort', () => void close())
      return Promise.resolve(new Response(null, { status: 503 }))
    }
    const requester = createGitHubRequester({
      apiBaseUrl: ENTERPRISE,
      fetch: answer503,
      retries: 3,
      retryDelayMs: 10_000,
      timeouts: { deadlineMs: 300 },
    })
    close = () => requester.close()
    const error = await rejection(requester.read('/x', get))
    await requester.close()
    expect(signals).toHaveLength(1)
    expect(error.code).toBe('GITHUB_TIMEOUT')
    expect(error.details).toMatchObject({ timeout: 'deadline', attempts: 1 })
  })
})

describe('createGitHubRequester close', () => {
  it('closes the kept-alive connections of the built-in transport', async () => {
    const server = await peer((_request, response) => response.end('{}'))
    // Long keep-alive on both sides: only closing the transport ends the connection.
    server.server.keepAliveTimeout = 60_000
    const requester = createGitHubRequester({ apiBaseUrl: server.url })
    expect((await requester.read('/x', get)).toString()).toBe('{}')
    expect(server.sockets).toHaveLength(1)
    const socket = server.sockets[0] as Socket
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    expect(socket.destroyed).toBe(false)
    await requester.close()
    await ended
  }, 5000)
})
