import { buffer } from 'node:stream/consumers'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  type GitHubRecording,
  type RecordedResponse,
  type ReplayServer,
  type ReplayServerOptions,
  loadGitHubErrors,
  loadGitHubRecording,
  startGitHubReplayServer,
} from '../../test/helpers/github-replay-server.js'
import { type Logger } from '../logger.js'
import { type GitHubReaderOptions, createGitHubReader } from './github-reader.js'
import { rejection } from '../../test/helpers/rejection.js'
import { recordingLogger } from '../../test/helpers/recording-logger.js'

const TOKEN = 'fixture-token-that-must-never-leak-0123456789'

let recording: GitHubRecording
let truncated: GitHubRecording
let errors: Readonly<Record<string, RecordedResponse>>
const servers: ReplayServer[] = []

beforeAll(async () => {
  recording = await loadGitHubRecording('tiny-spicepod')
  truncated = await loadGitHubRecording('truncated-tree')
  errors = await loadGitHubErrors()
})

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function serve(options: Partial<ReplayServerOptions> = {}): Promise<ReplayServer> {
  const server = await startGitHubReplayServer({ exchanges: recording.exchanges, ...options })
  servers.push(server)
  return server
}

function readerOptions(
  server: ReplayServer,
  extra: Partial<GitHubReaderOptions> = {},
): GitHubReaderOptions {
  return {
    owner: recording.owner,
    repo: recording.repo,
    ref: recording.commit,
    apiBaseUrl: server.url,
    retryDelayMs: 1,
    ...extra,
  }
}

/** The recorded bytes of a blob, straight from the fixture. */
function recordedBytes(path: string): Buffer {
  const tree = recording.exchanges[1]?.response.body as { tree: { path: string; sha: string }[] }
  const sha = tree.tree.find((entry) => entry.path === path)?.sha
  const exchange = recording.exchanges.find((e) => e.request.path.endsWith(`/git/blobs/${sha}`))
  if (exchange?.response.bodyBase64 === undefined) throw new Error(`no recorded blob for ${path}`)
  return Buffer.from(exchange.response.bodyBase64, 'base64')
}

/** Every text an error exposes: message, hint, details, JSON, stack, and the same for each cause. */
function exposedTexts(error: unknown, depth = 0): string[] {
  if (error === undefined || error === null || depth > 5) return []
  if (typeof error !== 'object') return [JSON.stringify(error)]
  const record = error as { message?: unknown; hint?: unknown; details?: unknown; stack?: unknown }
  return [
    String(record.message),
    String(record.hint),
    JSON.stringify(record.details ?? null),
    JSON.stringify(error),
    String(record.stack),
    ...exposedTexts((error as { cause?: unknown }).cause, depth + 1),
  ]
}

const commitPath = (): string =>
  `/repos/${recording.owner}/${recording.repo}/commits/${recording.commit}`

describe('createGitHubReader', () => {
  it('lists the commit tree with sizes, modes and symlink targets, and reads blobs', async () => {
    const server = await serve()
    const logger = recordingLogger()
    const reader = await createGitHubReader(readerOptions(server, { logger }))
    const listed = await reader.list('')
    expect(listed.map((entry) => entry.path)).toEqual([
      '.gitattributes',
      'data/trips.csv',
      'datasets/taxi_trips/dataset.yaml',
      'latest.csv',
      'scripts/refresh.sh',
      'spicepod.yaml',
      'views/busy_hours.sql',
    ])
    expect(await reader.stat('scripts/refresh.sh')).toEqual({
      path: 'scripts/refresh.sh',
      kind: 'file',
      size: recordedBytes('scripts/refresh.sh').length,
      executable: true,
    })
    expect(await reader.stat('latest.csv')).toEqual({
      path: 'latest.csv',
      kind: 'symlink',
      size: 14,
      executable: false,
      linkTarget: 'data/trips.csv',
    })
    expect(await reader.stat('vendor/lib')).toBeUndefined()
    expect((await reader.list('datasets')).map((entry) => entry.path)).toEqual([
      'datasets/taxi_trips/dataset.yaml',
    ])
    expect(await reader.list('spicepod.yaml')).toEqual([])
    expect(await reader.list('nope')).toEqual([])
    expect(reader.sourceDateEpoch).toBe(Date.parse('2024-05-01T12:00:00Z') / 1000)
    expect(reader.description).toContain(`${recording.owner}/${recording.repo}`)

    expect((await reader.readBytes('spicepod.yaml')).toString()).toContain('name: taxi-trips')
    expect(
      (await buffer(reader.open('data/trips.csv'))).equals(recordedBytes('data/trips.csv')),
    ).toBe(true)
    expect((await reader.readBytes('latest.csv')).toString()).toBe('data/trips.csv')
    expect(logger.lines).toContain(
      'warn Skipping 1 git submodule (submodules are not packaged): vendor/lib',
    )
    expect(server.problems).toEqual([])
    const accepts = server.requests.map((request) => request.headers.accept)
    expect(accepts.slice(0, 2)).toEqual([
      'application/vnd.github+json',
      'application/vnd.github+json',
    ])
    expect(accepts.slice(2).every((accept) => accept === 'application/vnd.github.raw+json')).toBe(
      true,
    )
    expect(server.requests.every((request) => request.headers.authorization === undefined)).toBe(
      true,
    )
    await reader.close()
  })

  it('sends the token as a Bearer header and never logs it', async () => {
    const server = await serve({ token: TOKEN })
    const logger = recordingLogger()
    const reader = await createGitHubReader(readerOptions(server, { token: TOKEN, logger }))
    expect(await reader.readBytes('views/busy_hours.sql')).toEqual(
      recordedBytes('views/busy_hours.sql'),
    )
    expect(server.problems).toEqual([])
    expect(server.requests.length).toBeGreaterThan(2)
    expect(logger.lines.length).toBeGreaterThan(0)
    expect(logger.lines.join('\n')).not.toContain(TOKEN)
  })

  it('works under a GitHub Enterprise base URL with a path', async () => {
    const server = await serve({ basePath: '/api/v3' })
    expect(server.url).toMatch(/\/api\/v3$/)
    const reader = await createGitHubReader(readerOptions(server, { apiBaseUrl: `${server.url}/` }))
    expect((await reader.readBytes('data/trips.csv')).toString()).toContain('trip_id,fare')
    expect(server.problems).toEqual([])
    expect(server.requests.every((request) => request.path.startsWith('/api/v3/repos/'))).toBe(true)
    expect(reader.description).toContain('/api/v3')
  })

  it('fails with GITHUB_TREE_TRUNCATED and points at a local checkout', async () => {
    const server = await serve({ exchanges: truncated.exchanges })
    const error = await rejection(createGitHubReader(readerOptions(server)))
    expect(error.code).toBe('GITHUB_TREE_TRUNCATED')
    expect(error.hint).toMatch(/git:/)
    expect(server.problems).toEqual([])
  })

  it('maps 401 to GITHUB_AUTH_FAILED, says a token was sent, and never leaks it', async () => {
    const server = await serve({
      token: TOKEN,
      overrides: { [commitPath()]: [errors['bad-credentials'] as RecordedResponse] },
    })
    const logger = recordingLogger()
    const error = await rejection(
      createGitHubReader(readerOptions(server, { token: TOKEN, logger })),
    )
    expect(error.code).toBe('GITHUB_AUTH_FAILED')
    expect(error.message).toContain('Bad credentials')
    expect(error.hint).toMatch(/A token was sent/)
    for (const text of [
      error.message,
      error.hint ?? '',
      JSON.stringify(error.details),
      JSON.stringify(error),
      String(error.stack),
      logger.lines.join('\n'),
    ]) {
      expect(text).not.toContain(TOKEN)
    }
    expect(server.requests).toHaveLength(1)
  })

  it.each([
    ['bad-credentials', 'GITHUB_AUTH_FAILED'],
    ['rate-limited', 'GITHUB_RATE_LIMITED'],
    ['secondary-rate-limited', 'GITHUB_RATE_LIMITED'],
    ['forbidden', 'GITHUB_FORBIDDEN'],
    ['not-found', 'GITHUB_NOT_FOUND'],
    ['server-error', 'GITHUB_REQUEST_FAILED'],
  ])('never leaks the token for the recorded %s answer (%s)', async (name, code) => {
    const answer = errors[name] as RecordedResponse
    const server = await serve({
      token: TOKEN,
      overrides: { [commitPath()]: [answer, answer] },
    })
    const logger = recordingLogger()
    const error = await rejection(
      createGitHubReader(readerOptions(server, { token: TOKEN, logger, retries: 1 })),
    )
    expect(error.code).toBe(code)
    expect(error.message).toContain(String(answer.status))
    expect(server.problems).toEqual([])
    for (const text of [...exposedTexts(error), ...logger.lines]) expect(text).not.toContain(TOKEN)
  })

  it('redacts the token when an answer echoes it back', async () => {
    const echo: RecordedResponse = {
      status: 400,
      body: { message: `Header was: Authorization: Bearer ${TOKEN}` },
    }
    const server = await serve({ token: TOKEN, overrides: { [commitPath()]: [echo] } })
    const error = await rejection(createGitHubReader(readerOptions(server, { token: TOKEN })))
    expect(error.code).toBe('GITHUB_REQUEST_FAILED')
    expect(error.message).toContain('Bearer [redacted]')
    for (const text of exposedTexts(error)) expect(text).not.toContain(TOKEN)
  })

  it('never leaks the token when GitHub cannot be reached', async () => {
    const server = await startGitHubReplayServer({ exchanges: recording.exchanges, token: TOKEN })
    const url = server.url
    await server.close()
    const logger = recordingLogger()
    const error = await rejection(
      createGitHubReader({
        ...readerOptions(server, { token: TOKEN, logger, retries: 1 }),
        apiBaseUrl: url,
      }),
    )
    expect(error.code).toBe('GITHUB_REQUEST_FAILED')
    expect(error.message).toMatch(/Could not reach GitHub .* after 2 attempts/)
    for (const text of [...exposedTexts(error), ...logger.lines]) expect(text).not.toContain(TOKEN)
  })

  it.each([
    ['a line break', `${TOKEN}\nsecond-line`],
    ['a space', `${TOKEN} extra`],
    ['a non-ASCII character', `${TOKEN}é`],
  ])('refuses a token with %s before sending it, without echoing it', async (_what, token) => {
    const server = await serve({ token })
    const error = await rejection(createGitHubReader(readerOptions(server, { token })))
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toMatch(/^An invalid GitHub token was provided/)
    expect(server.requests).toHaveLength(0)
    for (const text of exposedTexts(error)) expect(text).not.toContain(TOKEN)
  })

  it('trims whitespace around the token, as a token read from a file has', async () => {
    const server = await serve({ token: TOKEN })
    const reader = await createGitHubReader(readerOptions(server, { token: `  ${TOKEN}\n` }))
    expect((await reader.list('')).length).toBeGreaterThan(0)
    expect(server.problems).toEqual([])
  })

  it('says no token was sent when a 401 comes without one', async () => {
    const server = await serve({
      overrides: { [commitPath()]: [errors['bad-credentials'] as RecordedResponse] },
    })
    const error = await rejection(createGitHubReader(readerOptions(server)))
    expect(error.code).toBe('GITHUB_AUTH_FAILED')
    expect(error.hint).toMatch(/No token was sent/)
  })

  it('maps a 403 with no remaining quota to GITHUB_RATE_LIMITED with the reset time, without retrying', async () => {
    const server = await serve({
      overrides: { [commitPath()]: [errors['rate-limited'] as RecordedResponse] },
    })
    const error = await rejection(createGitHubReader(readerOptions(server)))
    expect(error.code).toBe('GITHUB_RATE_LIMITED')
    expect(error.message).toContain(new Date(1_714_568_400 * 1000).toISOString())
    expect(error.details.resetAt).toBe('2024-05-01T13:00:00.000Z')
    expect(server.requests).toHaveLength(1)
  })

  it('maps a 429 to GITHUB_RATE_LIMITED using retry-after', async () => {
    const server = await serve({
      overrides: { [commitPath()]: [errors['secondary-rate-limited'] as RecordedResponse] },
    })
    const error = await rejection(createGitHubReader(readerOptions(server)))
    expect(error.code).toBe('GITHUB_RATE_LIMITED')
    expect(error.details.retryAfterSeconds).toBe(60)
    expect(error.message).toMatch(/in about 60 s/)
    expect(server.requests).toHaveLength(1)
  })

  it('maps any other 403 to GITHUB_FORBIDDEN', async () => {
    const server = await serve({
      token: TOKEN,
      overrides: { [commitPath()]: [errors.forbidden as RecordedResponse] },
    })
    const error = await rejection(createGitHubReader(readerOptions(server, { token: TOKEN })))
    expect(error.code).toBe('GITHUB_FORBIDDEN')
    expect(error.message).toContain('Resource not accessible by personal access token')
    expect(server.requests).toHaveLength(1)
  })

  it('maps 404 to GITHUB_NOT_FOUND with a hint about private repositories, without retrying', async () => {
    const server = await serve({
      overrides: { [commitPath()]: [errors['not-found'] as RecordedResponse] },
    })
    const error = await rejection(createGitHubReader(readerOptions(server)))
    expect(error.code).toBe('GITHUB_NOT_FOUND')
    expect(error.hint).toMatch(/contents:read/)
    expect(error.hint).toMatch(/No token was sent/)
    expect(server.requests).toHaveLength(1)
  })

  it('retries 5xx answers and dropped connections, then succeeds', async () => {
    const blobPath = recording.exchanges[3]?.request.path as string
    const server = await serve({
      overrides: {
        [commitPath()]: [errors['server-error'], errors['server-error']] as RecordedResponse[],
        [blobPath]: [errors['server-error'] as RecordedResponse],
      },
      dropConnections: { [recording.exchanges[1]?.request.path as string]: 1 },
    })
    const logger = recordingLogger()
    const reader = await createGitHubReader(readerOptions(server, { logger }))
    expect(await reader.list('')).toHaveLength(7)
    const paths = server.requests.map((request) => request.path)
    expect(paths.filter((path) => path === commitPath())).toHaveLength(3)
    expect(
      logger.lines.filter((line) => line.startsWith('warn') && line.includes('retrying')),
    ).toHaveLength(3)
    const tree = recording.exchanges[1]?.response.body as { tree: { path: string; sha: string }[] }
    const retried = tree.tree.find((entry) => blobPath.endsWith(entry.sha))?.path as string
    expect(await reader.readBytes(retried)).toEqual(recordedBytes(retried))
    expect(server.problems).toEqual([])
  })

  it('stops with ABORTED while waiting to retry', async () => {
    const server = await serve({
      overrides: { [commitPath()]: [errors['server-error'] as RecordedResponse] },
    })
    const controller = new AbortController()
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => controller.abort(),
    }
    const started = Date.now()
    const error = await rejection(
      createGitHubReader(
        readerOptions(server, { retryDelayMs: 20_000, signal: controller.signal, logger }),
      ),
    )
    expect(error.code).toBe('ABORTED')
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('gives up after the last retry with GITHUB_REQUEST_FAILED', async () => {
    const server = await serve({
      overrides: { [commitPath()]: Array(4).fill(errors['server-error']) as RecordedResponse[] },
    })
    const error = await rejection(createGitHubReader(readerOptions(server, { retries: 2 })))
    expect(error.code).toBe('GITHUB_REQUEST_FAILED')
    expect(error.message).toMatch(/502/)
    expect(error.message).toMatch(/after 3 attempts/)
    expect(server.requests).toHaveLength(3)
  })

  it('fails when a blob does not have the size the tree lists', async () => {
    const tree = recording.exchanges[1]?.response.body as { tree: { path: string; sha: string }[] }
    const sha = tree.tree.find((entry) => entry.path === 'data/trips.csv')?.sha as string
    const path = `/repos/${recording.owner}/${recording.repo}/git/blobs/${sha}`
    const short: RecordedResponse = {
      status: 200,
      bodyBase64: Buffer.from('trip_id').toString('base64'),
    }
    const server = await serve({ overrides: { [path]: [short, short] } })
    const reader = await createGitHubReader(readerOptions(server))
    const whole = await rejection(reader.readBytes('data/trips.csv'))
    expect(whole.code).toBe('GITHUB_SIZE_MISMATCH')
    expect(whole.message).toMatch(/7 bytes/)
    expect(whole.details).toMatchObject({
      path: 'data/trips.csv',
      declaredBytes: recordedBytes('data/trips.csv').length,
      receivedBytes: 7,
    })
    const streamed = await rejection(buffer(reader.open('data/trips.csv')))
    expect(streamed.code).toBe('GITHUB_SIZE_MISMATCH')
  })

  it('fails with SOURCE_NOT_FOUND for paths outside the tree and SOURCE_PATH_INVALID for bad paths', async () => {
    const server = await serve()
    const reader = await createGitHubReader(readerOptions(server))
    expect((await rejection(reader.readBytes('missing.txt'))).code).toBe('SOURCE_NOT_FOUND')
    expect((await rejection(buffer(reader.open('vendor/lib')))).code).toBe('SOURCE_NOT_FOUND')
    expect((await rejection(reader.readBytes('../etc/passwd'))).code).toBe('SOURCE_PATH_INVALID')
    expect((await rejection(reader.list('/abs'))).code).toBe('SOURCE_PATH_INVALID')
  })

  it('reads many blobs concurrently within the concurrency bound', async () => {
    const server = await serve()
    const reader = await createGitHubReader(readerOptions(server, { concurrency: 2 }))
    const files = (await reader.list('')).filter((entry) => entry.kind === 'file')
    expect(files.length).toBeGreaterThan(2)
    server.resetMaxInFlight(15)
    const contents = await Promise.all(files.map((entry) => reader.readBytes(entry.path)))
    contents.forEach((bytes, i) => expect(bytes).toEqual(recordedBytes(files[i]?.path as string)))
    expect(server.problems).toEqual([])
    // With each answer held back, the reader keeps exactly its bound in flight.
    expect(server.maxInFlight).toBe(2)
  })

  it('rejects an unusable base URL and a base URL with credentials', async () => {
    const bad = await rejection(
      createGitHubReader({ owner: 'o', repo: 'r', ref: 'abc1234', apiBaseUrl: 'not a url' }),
    )
    expect(bad.code).toBe('INVALID_ARGUMENT')
    const withCredentials = await rejection(
      createGitHubReader({
        owner: 'o',
        repo: 'r',
        ref: 'abc1234',
        apiBaseUrl: `https://x:${TOKEN}@ghe.example.com/api/v3`,
      }),
    )
    expect(withCredentials.code).toBe('INVALID_ARGUMENT')
    expect(JSON.stringify(withCredentials) + withCredentials.message).not.toContain(TOKEN)
  })
})
