import {
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  createServer,
  type Server,
} from 'node:http'
import { type AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { rejection } from '../../test/helpers/rejection.js'
import { type Logger } from '../logger.js'
import { type GitHubRequestOptions, createGitHubRequester } from './github-request.js'

const TOKEN = 'answers-fixture-token-not-secret'

interface Scripted {
  readonly status: number
  readonly headers?: OutgoingHttpHeaders
  readonly body?: string
}

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(
    servers
      .splice(0)
      .map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  )
})

/** A peer on 127.0.0.1 that gives the scripted answers in turn (the last one again). */
async function peer(
  ...answers: Scripted[]
): Promise<{ url: string; requests: { url: string; headers: IncomingHttpHeaders }[] }> {
  const requests: { url: string; headers: IncomingHttpHeaders }[] = []
  const server = createServer((request, response) => {
    requests.push({ url: request.url ?? '', headers: request.headers })
    const answer = answers[Math.min(requests.length, answers.length) - 1] as Scripted
    response.writeHead(answer.status, answer.headers ?? {})
    response.end(answer.body ?? '')
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests }
}

function lines(): Logger & { lines: string[] } {
  const recorded: string[] = []
  return {
    lines: recorded,
    debug: (line) => recorded.push(`debug ${line}`),
    info: (line) => recorded.push(`info ${line}`),
    warn: (line) => recorded.push(`warn ${line}`),
  }
}

const json = (value: unknown): Scripted['body'] => JSON.stringify(value)
const get = { accept: 'application/json', subject: 'the tree', size: { maxBytes: 10_000 } }

async function failureOf(options: GitHubRequestOptions, path = '/x') {
  const requester = createGitHubRequester({ retries: 0, retryDelayMs: 1, ...options })
  try {
    return await rejection(requester.read(path, get))
  } finally {
    await requester.close()
  }
}

describe('createGitHubRequester base URL', () => {
  it.each([
    [
      'not a url',
      'Invalid GitHub API base URL: "not a url" is not a URL; expected e.g. https://api.github.com or https://ghe.example.com/api/v3.',
    ],
    ['ftp://host/api', 'Invalid GitHub API base URL: the scheme "ftp:" is not http: or https:.'],
    [
      'https://u:p@host/api',
      'Invalid GitHub API base URL: it contains credentials; pass the token as the `token` option instead.',
    ],
    [
      'https://u@host/api',
      'Invalid GitHub API base URL: it contains credentials; pass the token as the `token` option instead.',
    ],
    [
      'https://host/api?x=1',
      'Invalid GitHub API base URL: it must not have a query or a fragment.',
    ],
    ['https://host/api#x', 'Invalid GitHub API base URL: it must not have a query or a fragment.'],
  ])('refuses %j', (apiBaseUrl, message) => {
    expect(() => createGitHubRequester({ apiBaseUrl })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message }),
    )
  })

  it('keeps the path without trailing slashes, defaults to api.github.com, and says whether a token is sent', async () => {
    const enterprise = createGitHubRequester({ apiBaseUrl: 'https://ghe.example.com/api/v3//' })
    expect(enterprise.apiBaseUrl).toBe('https://ghe.example.com/api/v3')
    expect(enterprise.tokenSent).toBe(false)
    const github = createGitHubRequester({ token: ` ${TOKEN}\n` })
    expect(github.apiBaseUrl).toBe('https://api.github.com')
    expect(github.tokenSent).toBe(true)
    expect(createGitHubRequester({ token: '  ' }).tokenSent).toBe(false)
    await Promise.all([enterprise.close(), github.close()])
  })
})

describe('createGitHubRequester requests', () => {
  it('sends the fixed headers and the trimmed token', async () => {
    const server = await peer({ status: 200, body: '{}' })
    const requester = createGitHubRequester({
      apiBaseUrl: `${server.url}/api`,
      token: `${TOKEN}\n`,
    })
    expect((await requester.read('/repos/o/r', get)).toString()).toBe('{}')
    await requester.close()
    await requester.close()
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0]?.url).toBe('/api/repos/o/r')
    expect(server.requests[0]?.headers).toMatchObject({
      accept: 'application/json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'packwright',
      authorization: `Bearer ${TOKEN}`,
    })
  })

  it('sends no Authorization header without a token', async () => {
    const server = await peer({ status: 200, body: '{}' })
    const requester = createGitHubRequester({ apiBaseUrl: server.url })
    await requester.read('/x', get)
    await requester.close()
    expect(server.requests[0]?.headers.authorization).toBeUndefined()
  })

  it('refuses a request after close', async () => {
    const server = await peer({ status: 200, body: '{}' })
    const requester = createGitHubRequester({ apiBaseUrl: server.url })
    await requester.close()
    const error = await rejection(requester.read('/x', get))
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toBe(`GET ${server.url}/x was requested after the reader was closed.`)
  })

  it('retries a 5xx answer with a logged line and a doubling delay, then gives up', async () => {
    const server = await peer({ status: 502, body: json({ message: 'bad gateway' }) })
    const logger = lines()
    const requester = createGitHubRequester({
      apiBaseUrl: server.url,
      retries: 2,
      retryDelayMs: 3,
      logger,
    })
    const error = await rejection(requester.read('/x', get))
    await requester.close()
    expect(server.requests).toHaveLength(3)
    expect(logger.lines.filter((line) => line.startsWith('warn'))).toEqual([
      `warn GET ${server.url}/x answered 502; retrying in 3 ms (attempt 2 of 3)`,
      `warn GET ${server.url}/x answered 502; retrying in 6 ms (attempt 3 of 3)`,
    ])
    expect(error.code).toBe('GITHUB_REQUEST_FAILED')
    expect(error.message).toBe(
      `GitHub answered 502 for GET ${server.url}/x: "bad gateway". (after 3 attempts)`,
    )
    expect(error.hint).toBe('Check the request, or retry later.')
    expect(error.details).toMatchObject({ status: 502, attempts: 3, githubMessage: 'bad gateway' })
  })

  it('does not retry a 4xx answer', async () => {
    const server = await peer({ status: 422, body: json({ message: 'no' }) })
    const error = await failureOf({ apiBaseUrl: server.url, retries: 3 })
    expect(server.requests).toHaveLength(1)
    expect(error.message).toBe(`GitHub answered 422 for GET ${server.url}/x: "no".`)
  })
})

describe('createGitHubRequester answers', () => {
  it('maps 401 with and without a token, with GitHub message, documentation and request id', async () => {
    const server = await peer({
      status: 401,
      headers: { 'x-github-request-id': 'ABCD:1234' },
      body: json({ message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' }),
    })
    const withToken = await failureOf({ apiBaseUrl: server.url, token: TOKEN })
    expect(withToken.code).toBe('GITHUB_AUTH_FAILED')
    expect(withToken.message).toBe(
      `GitHub rejected the credentials (401) for GET ${server.url}/x: "Bad credentials".`,
    )
    expect(withToken.hint).toBe(
      'A token was sent but GitHub did not accept it: check that it is valid, not expired, and meant for this GitHub host.',
    )
    expect(withToken.details).toEqual({
      request: `GET ${server.url}/x`,
      status: 401,
      githubMessage: 'Bad credentials',
      documentationUrl: 'https://docs.github.com/rest',
      requestId: 'ABCD:1234',
      tokenSent: true,
    })
    const without = await failureOf({ apiBaseUrl: server.url })
    expect(without.hint).toBe('No token was sent, and this request needs one: pass a GitHub token.')
    expect(without.details).toMatchObject({ tokenSent: false })
  })

  it('maps 403 and 404 with the token hint', async () => {
    const forbidden = await peer({ status: 403, body: json({ message: 'SSO' }) })
    const f = await failureOf({ apiBaseUrl: forbidden.url, token: TOKEN })
    expect(f.code).toBe('GITHUB_FORBIDDEN')
    expect(f.message).toBe(`GitHub refused access (403) for GET ${forbidden.url}/x: "SSO".`)
    expect(f.hint).toBe(
      "A token was sent. The token needs read access to the repository's contents (contents:read), and organisation policies (SSO, IP allow lists) may apply.",
    )
    const missing = await peer({ status: 404, body: '' })
    const m = await failureOf({ apiBaseUrl: missing.url })
    expect(m.code).toBe('GITHUB_NOT_FOUND')
    expect(m.message).toBe(`GitHub found nothing (404) for GET ${missing.url}/x.`)
    expect(m.hint).toBe(
      'No token was sent. Check the owner, repository and commit; private repositories need a token with contents:read access.',
    )
    expect(m.details).toEqual({ request: `GET ${missing.url}/x`, status: 404, tokenSent: false })
  })

  it('maps a 403 without quota to a rate limit with the reset time', async () => {
    const reset = Math.floor(Date.now() / 1000) + 120
    const server = await peer({
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      body: json({ message: 'API rate limit exceeded' }),
    })
    const anonymous = await failureOf({ apiBaseUrl: server.url })
    expect(anonymous.code).toBe('GITHUB_RATE_LIMITED')
    const resetAt = new Date(reset * 1000).toISOString()
    expect(anonymous.message).toMatch(
      new RegExp(
        `^GitHub's API rate limit was exceeded \\(403\\) for GET ${server.url}/x; it resets at ${resetAt} \\(in about 1[12]\\d s\\)\\.$`,
      ),
    )
    expect(anonymous.hint).toBe(
      'Unauthenticated requests are limited to 60 per hour: pass a token, or retry after the reset time.',
    )
    expect(anonymous.details).toMatchObject({ status: 403, resetAt })
    const withToken = await failureOf({ apiBaseUrl: server.url, token: TOKEN })
    expect(withToken.hint).toBe('Retry after the reset time, or use a token with a higher limit.')
  })

  it('maps 429 and a 403 with retry-after to a rate limit in seconds', async () => {
    const tooMany = await peer({ status: 429, headers: { 'retry-after': '30' }, body: '' })
    const error = await failureOf({ apiBaseUrl: tooMany.url })
    expect(error.code).toBe('GITHUB_RATE_LIMITED')
    expect(error.message).toMatch(/ \(429\) .*; it resets at .* \(in about 30 s\)\.$/)
    expect(error.details).toMatchObject({ retryAfterSeconds: 30 })
    const secondary = await peer({ status: 403, headers: { 'retry-after': '0' }, body: '' })
    expect((await failureOf({ apiBaseUrl: secondary.url })).code).toBe('GITHUB_RATE_LIMITED')
    const unknown = await peer({ status: 429, body: '' })
    expect((await failureOf({ apiBaseUrl: unknown.url })).message).toMatch(
      /; GitHub did not say when it resets\.$/,
    )
  })

  it('quotes a plain-text answer, skips an HTML page, and cuts a long message at 300 characters', async () => {
    const plain = await peer({ status: 400, body: '  plain words \n' })
    expect((await failureOf({ apiBaseUrl: plain.url })).message).toBe(
      `GitHub answered 400 for GET ${plain.url}/x: "plain words".`,
    )
    const html = await peer({ status: 400, body: '  <html>oops</html>' })
    expect((await failureOf({ apiBaseUrl: html.url })).message).toBe(
      `GitHub answered 400 for GET ${html.url}/x.`,
    )
    const long = await peer({ status: 400, body: json({ message: 'm'.repeat(301) }) })
    const error = await failureOf({ apiBaseUrl: long.url })
    expect(error.message).toBe(`GitHub answered 400 for GET ${long.url}/x: "${'m'.repeat(300)}…".`)
    expect(error.details).toMatchObject({ githubMessage: 'm'.repeat(300) })
    const exact = await peer({ status: 400, body: json({ message: 'm'.repeat(300) }) })
    expect((await failureOf({ apiBaseUrl: exact.url })).message).toContain(`"${'m'.repeat(300)}".`)
  })
})

describe('createGitHubRequester limits', () => {
  it.each([
    ['a space inside', 'test-token a b'],
    ['a line break inside', 'test-token\nb'],
    ['a non-ASCII character', 'test-token-é'],
  ])('refuses a token with %s, without echoing it', (_what, token) => {
    let caught: unknown
    try {
      createGitHubRequester({ token })
    } catch (error) {
      caught = error
    }
    expect(caught).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message:
        'An invalid GitHub token was provided: it contains whitespace, control or non-ASCII characters, so it cannot be sent in an HTTP header.',
      hint: 'Pass the token exactly as GitHub issued it (e.g. ghp_… or github_pat_…), without quotes or line breaks inside it.',
      details: { field: 'token', length: token.length },
    })
  })

  it('takes a negative retry count as none and a negative delay as none', async () => {
    const server = await peer({ status: 500, body: '' })
    const logger = lines()
    const none = await failureOf({ apiBaseUrl: server.url, retries: -2, logger })
    expect(server.requests).toHaveLength(1)
    expect(none.message).toBe(`GitHub answered 500 for GET ${server.url}/x.`)
    const again = await failureOf({ apiBaseUrl: server.url, retries: 1, retryDelayMs: -5, logger })
    expect(again.message).toBe(`GitHub answered 500 for GET ${server.url}/x. (after 2 attempts)`)
    expect(logger.lines.filter((line) => line.startsWith('warn'))).toEqual([
      `warn GET ${server.url}/x answered 500; retrying in 0 ms (attempt 2 of 2)`,
    ])
  })

  it('waits at most 30 s between retries', async () => {
    const server = await peer({ status: 503, body: '' })
    const controller = new AbortController()
    const warnings: string[] = []
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (line) => {
        warnings.push(line)
        // Stop while waiting for the first delay.
        controller.abort()
      },
    }
    const requester = createGitHubRequester({
      apiBaseUrl: server.url,
      retries: 5,
      retryDelayMs: 40_000,
      logger,
      signal: controller.signal,
    })
    await expect(requester.read('/x', get)).rejects.toMatchObject({ code: 'ABORTED' })
    await requester.close()
    expect(warnings).toEqual([
      `GET ${server.url}/x answered 503; retrying in 30000 ms (attempt 2 of 6)`,
    ])
  })

  it('reads rate limit headers only when they are numbers in range', async () => {
    const zero = await peer({
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0' },
      body: '',
    })
    expect((await failureOf({ apiBaseUrl: zero.url })).message).toMatch(
      /; GitHub did not say when it resets\.$/,
    )
    const words = await peer({
      status: 429,
      headers: { 'x-ratelimit-reset': 'soon', 'retry-after': 'later' },
      body: '',
    })
    const unknown = await failureOf({ apiBaseUrl: words.url })
    expect(unknown.message).toMatch(/; GitHub did not say when it resets\.$/)
    expect(unknown.details).not.toHaveProperty('retryAfterSeconds')
    const negative = await peer({ status: 429, headers: { 'retry-after': '-1' }, body: '' })
    expect((await failureOf({ apiBaseUrl: negative.url })).message).toMatch(/did not say/)
    const reset = Math.floor(Date.now() / 1000) + 600
    const both = await peer({
      status: 429,
      headers: { 'x-ratelimit-reset': String(reset), 'retry-after': '7' },
      body: '',
    })
    const error = await failureOf({ apiBaseUrl: both.url })
    expect(error.details).toMatchObject({
      resetAt: new Date(reset * 1000).toISOString(),
      retryAfterSeconds: 7,
    })
    const past = await peer({ status: 429, headers: { 'x-ratelimit-reset': '1000' }, body: '' })
    expect((await failureOf({ apiBaseUrl: past.url })).details).toMatchObject({
      resetAt: new Date(1_000_000).toISOString(),
      retryAfterSeconds: 0,
    })
  })

  it('cuts a request id at 300 characters, and leaves out a documentation link that is not text', async () => {
    const server = await peer({
      status: 400,
      headers: { 'x-github-request-id': 'R'.repeat(301) },
      body: json({ message: 'm', documentation_url: 42 }),
    })
    const error = await failureOf({ apiBaseUrl: server.url })
    expect(error.details).toEqual({
      request: `GET ${server.url}/x`,
      status: 400,
      githubMessage: 'm',
      requestId: 'R'.repeat(300),
      tokenSent: false,
    })
  })
})
