import { buffer } from 'node:stream/consumers'
import { Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { rejection } from '../../test/helpers/rejection.js'
import {
  type GitHubGetOptions,
  type GitHubRequestOptions,
  createGitHubRequester,
} from './github-request.js'
import { type HttpPeer, type HttpPeerHandler, startHttpPeer } from '../../test/helpers/http-peer.js'
import { recordingLogger } from '../../test/helpers/recording-logger.js'

const TOKEN = 'test-token-not-secret'

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

async function readFailure(options: GitHubRequestOptions, path = '/x', request = get) {
  const requester = createGitHubRequester({ retries: 0, retryDelayMs: 1, ...options })
  try {
    return await rejection(requester.read(path, request))
  } finally {
    await requester.close()
  }
}

describe('createGitHubRequester base URL and token checks', () => {
  it('echoes at most 200 characters of a base URL that is not a URL', () => {
    const text = `x${'y'.repeat(300)}`
    expect(() => createGitHubRequester({ apiBaseUrl: text })).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: `Invalid GitHub API base URL: "${text.slice(0, 200)}" is not a URL; expected e.g. https://api.github.com or https://ghe.example.com/api/v3.`,
      }),
    )
  })

  it('refuses a base URL with only a password', () => {
    expect(() => createGitHubRequester({ apiBaseUrl: 'https://:secret@host/api' })).toThrow(
      expect.objectContaining({
        message:
          'Invalid GitHub API base URL: it contains credentials; pass the token as the `token` option instead.',
      }),
    )
  })

  it('accepts an https base URL and keeps a bare origin without a trailing slash', async () => {
    const requester = createGitHubRequester({ apiBaseUrl: 'https://ghe.example.com/' })
    expect(requester.apiBaseUrl).toBe('https://ghe.example.com')
    await requester.close()
  })

  it('refuses a token whose first character cannot go in a header', () => {
    expect(() => createGitHubRequester({ token: `\u00e9${TOKEN}` })).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        details: { field: 'token', length: 22 },
      }),
    )
  })
})

describe('createGitHubRequester rate limits', () => {
  it('reads a retry-after of 0 as a reset now', async () => {
    const server = await peer((_request, response) => {
      response.writeHead(429, { 'retry-after': '0' })
      response.end()
    })
    const error = await readFailure({ apiBaseUrl: server.url })
    expect(error.code).toBe('GITHUB_RATE_LIMITED')
    expect(error.message).toMatch(/; it resets at \S+ \(in about 0 s\)\.$/)
    expect(error.details).toMatchObject({ retryAfterSeconds: 0 })
  })

  it('takes a 403 with quota left and no retry-after as forbidden', async () => {
    const server = await peer((_request, response) => {
      response.writeHead(403, { 'x-ratelimit-remaining': '12' })
      response.end()
    })
    expect((await readFailure({ apiBaseUrl: server.url })).code).toBe('GITHUB_FORBIDDEN')
  })
})

describe('createGitHubRequester failures of an attempt', () => {
  it('logs each answer at debug level', async () => {
    const server = await peer((_request, response) => response.end('{}'))
    const logger = recordingLogger()
    const requester = createGitHubRequester({ apiBaseUrl: server.url, logger })
    await requester.read('/x', get)
    await requester.close()
    expect(logger.lines).toEqual([`debug GET ${server.url}/x -> 200`])
  })

  it('does not retry a body of the wrong size', async () => {
    const server = await peer((_request, response) => response.end('12345'))
    const logger = recordingLogger()
    const error = await readFailure({ apiBaseUrl: server.url, retries: 3, logger }, '/blob', {
      ...get,
      size: { exactBytes: 3 },
    })
    expect(error.code).toBe('GITHUB_SIZE_MISMATCH')
    expect(server.paths).toHaveLength(1)
    expect(logger.lines.filter((line) => line.startsWith('warn'))).toEqual([])
  })

  it('retries a refused connection and then says it could not reach GitHub', async () => {
    const server = await peer(() => undefined)
    const url = server.url
    await (peers.pop() as HttpPeer).close()
    const logger = recordingLogger()
    const error = await readFailure({ apiBaseUrl: url, retries: 1, logger, token: TOKEN })
    expect(error.code).toBe('GITHUB_REQUEST_FAILED')
    expect(error.message).toBe(
      `Could not reach GitHub for GET ${url}/x after 2 attempts: fetch failed (ECONNREFUSED).`,
    )
    expect(error.hint).toBe(
      'Check the network and the API base URL (GitHub Enterprise: https://HOST/api/v3).',
    )
    expect(error.details).toEqual({ request: `GET ${url}/x`, attempts: 2, tokenSent: true })
    expect(logger.lines).toEqual([
      `warn GET ${url}/x failed to connect; retrying in 1 ms (attempt 2 of 2)`,
    ])
  })

  it('retries a body that breaks off, and names the file after the last attempt', async () => {
    const server = await peer((_request, response) => {
      response.writeHead(200, { 'content-length': '10' })
      response.write('12345', () => response.destroy())
    })
    const logger = recordingLogger()
    const request = { ...get, path: 'data/a.csv', subject: '"data/a.csv"' }
    const error = await readFailure({ apiBaseUrl: server.url, retries: 1, logger }, '/b', request)
    expect(error.code).toBe('GITHUB_REQUEST_FAILED')
    expect(error.message).toMatch(
      new RegExp(
        `^The download of "data/a\\.csv" from GitHub broke off \\(GET ${server.url}/b\\) after 2 attempts: .+\\.$`,
      ),
    )
    expect(error.hint).toBe('Check the network, or retry later.')
    expect(error.details).toEqual({
      request: `GET ${server.url}/b`,
      path: 'data/a.csv',
      attempts: 2,
    })
    expect(server.paths).toHaveLength(2)
    expect(logger.lines.filter((line) => line.startsWith('warn'))).toEqual([
      `warn GET ${server.url}/b broke off; retrying in 1 ms (attempt 2 of 2)`,
    ])
    const once = await readFailure({ apiBaseUrl: server.url }, '/b', get)
    expect(once.message).toMatch(/ broke off \(GET \S+\/b\): /)
    expect(once.details).toEqual({ request: `GET ${server.url}/b`, attempts: 1 })
  })

  it('retries an answer whose headers do not come within the idle timeout', async () => {
    const server = await peer(() => undefined)
    const logger = recordingLogger()
    const error = await readFailure({
      apiBaseUrl: server.url,
      retries: 1,
      logger,
      timeouts: { idleTimeoutMs: 100 },
    })
    expect(error.code).toBe('GITHUB_TIMEOUT')
    expect(error.message).toBe(
      `GitHub did not answer in time for the tree (GET ${server.url}/x): no byte arrived for 100 ms (idle timeout), after 2 attempts.`,
    )
    expect(error.hint).toBe(
      'If GitHub is only slow, raise the `idleTimeoutMs` timeout; otherwise check the network and the API base URL.',
    )
    expect(error.details).toEqual({
      request: `GET ${server.url}/x`,
      timeout: 'idle',
      timeoutMs: 100,
      attempts: 2,
    })
    expect(logger.lines.filter((line) => line.startsWith('warn'))).toEqual([
      `warn GET ${server.url}/x hit the idle timeout (100 ms); retrying in 1 ms (attempt 2 of 2)`,
    ])
  })

  it('does not retry the request timeout', async () => {
    // An injected fetch that answers only by failing when its signal fires.
    let calls = 0
    const never: typeof fetch = (_url, init) => {
      calls += 1
      return new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new TypeError('fetch failed')))
      })
    }
    const error = await readFailure({
      apiBaseUrl: 'https://ghe.example.com/api/v3',
      fetch: never,
      retries: 3,
      timeouts: { idleTimeoutMs: 5000, requestTimeoutMs: 100 },
    })
    expect(error.details).toMatchObject({ timeout: 'request', attempts: 1 })
    expect(error.message).toBe(
      'GitHub did not answer in time for the tree (GET https://ghe.example.com/api/v3/x): the answer took more than 100 ms in all (request timeout, not retried).',
    )
    expect(calls).toBe(1)
  })

  it('stops at the deadline while waiting to retry', async () => {
    // An injected fetch answers at once, so the deadline cannot pass before the first answer.
    let calls = 0
    const answer503: typeof fetch = () => {
      calls += 1
      return Promise.resolve(new Response(null, { status: 503 }))
    }
    const error = await readFailure({
      apiBaseUrl: 'https://ghe.example.com/api/v3',
      fetch: answer503,
      retries: 3,
      retryDelayMs: 10_000,
      timeouts: { deadlineMs: 300 },
    })
    expect(error.code).toBe('GITHUB_TIMEOUT')
    expect(error.details).toMatchObject({ timeout: 'deadline', timeoutMs: 300, attempts: 1 })
    expect(error.message).toContain('the whole read passed its deadline of 300 ms (not retried)')
    expect(calls).toBe(1)
  })

  it('refuses a request made after the deadline passed, counting the attempts made', async () => {
    const server = await peer((_request, response) => response.end('{}'))
    const requester = createGitHubRequester({
      apiBaseUrl: server.url,
      timeouts: { deadlineMs: 50 },
    })
    await new Promise((resolve) => setTimeout(resolve, 120))
    const error = await rejection(requester.read('/x', get))
    await requester.close()
    expect(error.code).toBe('GITHUB_TIMEOUT')
    expect(error.details).toMatchObject({ timeout: 'deadline', attempts: 0 })
    expect(server.paths).toEqual([])
  })

  it('answers an abort during a request with ABORTED, without retrying', async () => {
    const controller = new AbortController()
    const server = await peer(() => controller.abort())
    const error = await readFailure({ apiBaseUrl: server.url, retries: 3 }, '/x', {
      ...get,
      signal: controller.signal,
    })
    expect(error.code).toBe('ABORTED')
    expect(error.message).toBe(`GET ${server.url}/x was aborted.`)
    expect(server.paths).toHaveLength(1)
  })

  it('refuses a request whose signal is already aborted, before sending it', async () => {
    const server = await peer((_request, response) => response.end('{}'))
    const error = await readFailure({ apiBaseUrl: server.url, signal: AbortSignal.abort() })
    expect(error.code).toBe('ABORTED')
    expect(server.paths).toEqual([])
  })
})

describe('createGitHubRequester streams', () => {
  it('streams the body, retrying before the headers arrive', async () => {
    const server = await peer((_request, response, count) => {
      response.writeHead(count === 1 ? 502 : 200)
      response.end(count === 1 ? '' : 'abc')
    })
    const requester = createGitHubRequester({ apiBaseUrl: server.url, retryDelayMs: 1 })
    const chunks = await requester.stream('/s', { ...get, size: { exactBytes: 3 } })
    expect((await buffer(Readable.from(chunks))).toString()).toBe('abc')
    await requester.close()
    expect(server.paths).toHaveLength(2)
  })

  it('ends a stream that breaks off with one coded error, without retrying', async () => {
    const server = await peer((_request, response) => {
      response.writeHead(200, { 'content-length': '10' })
      response.write('12345', () => setTimeout(() => response.destroy(), 20))
    })
    const requester = createGitHubRequester({ apiBaseUrl: server.url, retryDelayMs: 1 })
    const chunks = await requester.stream('/s', {
      ...get,
      path: 'a.bin',
      subject: '"a.bin"',
      size: { exactBytes: 10 },
    })
    const error = await rejection(buffer(Readable.from(chunks)))
    await requester.close()
    expect(error.code).toBe('GITHUB_REQUEST_FAILED')
    expect(error.message).toMatch(
      /^The download of "a\.bin" from GitHub broke off \(GET \S+\/s\): /,
    )
    expect(error.details).toEqual({ request: `GET ${server.url}/s`, path: 'a.bin', attempts: 1 })
    expect(server.paths).toHaveLength(1)
  })
})

describe('createGitHubRequester token redaction in retries', () => {
  it('keeps the token out of the retry log line and the error when it is part of the path', async () => {
    const server = await peer((_request, response) => {
      response.writeHead(500)
      response.end()
    })
    const logger = recordingLogger()
    const error = await readFailure(
      { apiBaseUrl: server.url, token: TOKEN, retries: 1, logger },
      `/search/${TOKEN}`,
    )
    expect(logger.lines.filter((line) => line.startsWith('warn'))).toEqual([
      `warn GET ${server.url}/search/[redacted] answered 500; retrying in 1 ms (attempt 2 of 2)`,
    ])
    expect(error.message).toBe(
      `GitHub answered 500 for GET ${server.url}/search/[redacted]. (after 2 attempts)`,
    )
    expect(JSON.stringify(error.details)).not.toContain(TOKEN)
  })
})

describe('createGitHubRequester token redaction of escaped and cut text', () => {
  // Printable ASCII, so a valid header value, but JSON escapes its `"` and `\`.
  const ODD_TOKEN = 'test-token-"not\\secret'
  const hidden = (text: string): void => {
    expect(text).not.toContain(ODD_TOKEN)
    expect(text).not.toContain(JSON.stringify(ODD_TOKEN).slice(1, -1))
    expect(text).not.toContain('not\\secret')
  }

  it('keeps a token that JSON escapes out of the error and the log lines', async () => {
    const server = await peer((_request, response, count) => {
      response.writeHead(count === 1 ? 502 : 400, {
        'content-type': 'application/json',
        'x-github-request-id': `id-${ODD_TOKEN}`,
      })
      response.end(
        JSON.stringify({
          message: `bad ${ODD_TOKEN}`,
          documentation_url: `https://d/${ODD_TOKEN}`,
        }),
      )
    })
    const logger = recordingLogger()
    const error = await readFailure(
      { apiBaseUrl: server.url, token: ODD_TOKEN, retries: 1, logger },
      `/p/${encodeURIComponent('x')}/${ODD_TOKEN}`,
    )
    expect(error.code).toBe('GITHUB_REQUEST_FAILED')
    expect(error.message).toBe(
      `GitHub answered 400 for GET ${server.url}/p/x/[redacted]: "bad [redacted]".`,
    )
    expect(error.details).toEqual({
      request: `GET ${server.url}/p/x/[redacted]`,
      status: 400,
      githubMessage: 'bad [redacted]',
      documentationUrl: 'https://d/[redacted]',
      requestId: 'id-[redacted]',
      tokenSent: true,
    })
    expect(logger.lines).toEqual([
      `debug GET ${server.url}/p/x/[redacted] -> 502`,
      `warn GET ${server.url}/p/x/[redacted] answered 502; retrying in 1 ms (attempt 2 of 2)`,
      `debug GET ${server.url}/p/x/[redacted] -> 400`,
    ])
    for (const text of [
      error.message,
      error.hint ?? '',
      ...Object.values(error.details).map(String),
    ])
      hidden(text)
  })

  it('redacts a token that the 300-character cut of a message would split', async () => {
    const message = `${'m'.repeat(285)}${TOKEN}`
    const server = await peer((_request, response) => {
      response.writeHead(400, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ message }))
    })
    const error = await readFailure({ apiBaseUrl: server.url, token: TOKEN })
    expect(error.message).toBe(
      `GitHub answered 400 for GET ${server.url}/x: "${'m'.repeat(285)}[redacted]".`,
    )
    expect(error.details).toMatchObject({ githubMessage: `${'m'.repeat(285)}[redacted]` })
    expect(error.message).not.toContain(TOKEN.slice(0, 10))
  })

  it('keeps the token out of an abort and a closed-reader message', async () => {
    const server = await peer((_request, response) => response.end('{}'))
    const path = `/p/${ODD_TOKEN}`
    const aborted = await readFailure(
      {
        apiBaseUrl: server.url,
        token: ODD_TOKEN,
        signal: AbortSignal.abort(),
      },
      path,
    )
    expect(aborted.message).toBe(`GET ${server.url}/p/[redacted] was aborted.`)
    const requester = createGitHubRequester({ apiBaseUrl: server.url, token: ODD_TOKEN })
    await requester.close()
    const closed = await rejection(requester.read(path, get))
    expect(closed.message).toBe(
      `GET ${server.url}/p/[redacted] was requested after the reader was closed.`,
    )
  })
})
