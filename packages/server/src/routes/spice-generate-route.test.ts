import { createHash } from 'node:crypto'
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { SPICE_FROM_INVALID_MESSAGE, generatePackage } from '@packwright/core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  type GitHubRecording,
  type ReplayServer,
  type ReplayServerOptions,
  loadGitHubRecording,
  startGitHubReplayServer,
} from '../../../core/test/helpers/github-replay-server.js'
import { hashToken } from '../auth/access-token.js'
import { createServer } from '../create-server.js'
import { generatedPackageKey } from '../spice/generated-package-key.js'
import {
  TEST_TOKENS,
  type TestServer,
  startTestServer,
} from '../../test/helpers/start-test-server.js'
import { PACKAGE_SHA256_HEADER } from './spice-generate-route.js'

const GITHUB_TOKEN = 'spice-route-token-not-secret-0123456789'
const ROUTE = '/v1/packages/generate'

let recording: GitHubRecording
let expected: { bytes: Buffer; sha256: string }
/** Reads of the manifest's blob one build makes. */
let readsPerBuild: number
let scratch: string
const stands: ReplayServer[] = []
const servers: TestServer[] = []

async function standIn(options: Partial<ReplayServerOptions> = {}): Promise<ReplayServer> {
  const server = await startGitHubReplayServer({
    exchanges: recording.exchanges,
    token: GITHUB_TOKEN,
    ...options,
  })
  stands.push(server)
  return server
}

async function server(
  github: ReplayServer,
  options: Parameters<typeof startTestServer>[0] = {},
): Promise<TestServer> {
  const started = await startTestServer({
    ...options,
    spice: { githubApiUrl: github.url, ...options.spice },
  })
  servers.push(started)
  return started
}

function from(path = 'spicepod.yaml'): string {
  return `github:${recording.owner}/${recording.repo}/${recording.commit}/${path}`
}

function body(
  source: string = from(),
  params: Record<string, string> = { github_token: GITHUB_TOKEN },
) {
  return { from: source, params }
}

async function generate(target: TestServer, payload: unknown, headers = target.as('write')) {
  return target.app.inject({ method: 'POST', url: ROUTE, headers, payload: payload as object })
}

/** Requests the stand-in received for the spicepod manifest's blob: one per build. */
function manifestReads(github: ReplayServer): number {
  const tree = recording.exchanges[1]?.response.body as { tree: { path: string; sha: string }[] }
  const sha = tree.tree.find((entry) => entry.path === 'spicepod.yaml')?.sha ?? 'missing'
  return github.requests.filter((request) => request.path.endsWith(`/git/blobs/${sha}`)).length
}

beforeAll(async () => {
  recording = await loadGitHubRecording('tiny-spicepod')
  scratch = await mkdtemp(join(tmpdir(), 'packwright-spice-route-'))
  // What core (and so `packwright generate github:…`) writes for the same source.
  const github = await standIn()
  const outFile = join(scratch, 'expected.zip')
  const generated = await generatePackage({
    source: from(),
    outFile,
    github: { apiBaseUrl: github.url, token: GITHUB_TOKEN },
  })
  expected = { bytes: await readFile(outFile), sha256: generated.sha256 }
  readsPerBuild = manifestReads(github)
})

afterEach(async () => {
  await Promise.all(servers.splice(0).map((started) => started.close()))
  await Promise.all(stands.splice(0).map((stand) => stand.close()))
})

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true })
})

describe('POST /v1/packages/generate: 200', () => {
  it('answers the zip core generates for the source, with its sha256 and a file name', async () => {
    const github = await standIn()
    const target = await server(github)
    const response = await generate(target, body())
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/zip')
    expect(response.rawPayload.equals(expected.bytes)).toBe(true)
    expect(response.headers[PACKAGE_SHA256_HEADER]).toBe(expected.sha256)
    expect(createHash('sha256').update(response.rawPayload).digest('hex')).toBe(expected.sha256)
    expect(response.headers['content-length']).toBe(String(expected.bytes.length))
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="${recording.repo}-${recording.commit}.zip"`,
    )
    expect(github.problems).toEqual([])
  })

  it("uses the server's default token when the request names none, and params may be empty", async () => {
    const github = await standIn()
    const target = await server(github, { spice: { githubToken: GITHUB_TOKEN } })
    const response = await generate(target, body(from(), {}))
    expect(response.statusCode).toBe(200)
    expect(response.rawPayload.equals(expected.bytes)).toBe(true)
    expect(github.problems).toEqual([])
  })

  it("takes an empty path for the repository root's spicepod.yaml", async () => {
    const github = await standIn()
    const target = await server(github)
    const response = await generate(target, body(from('')))
    expect(response.statusCode).toBe(200)
    expect(response.rawPayload.equals(expected.bytes)).toBe(true)
  })

  it('reads a GitHub Enterprise API under a path', async () => {
    const github = await standIn({ basePath: '/api/v3' })
    const target = await server(github)
    const response = await generate(target, body())
    expect(response.statusCode).toBe(200)
    expect(response.rawPayload.equals(expected.bytes)).toBe(true)
  })
})

describe('POST /v1/packages/generate: 400', () => {
  it("answers Spice's exact text for a `from` that is not a github source", async () => {
    const github = await standIn()
    const target = await server(github)
    for (const source of [
      '',
      'spicepod.yaml',
      's3://bucket/spicepod.yaml',
      'GitHub:org/repo/abc1234/spicepod.yaml',
      'github:org/repo',
      'github:org/repo/abc1234',
    ]) {
      const response = await generate(target, body(source))
      expect(response.statusCode, source).toBe(400)
      expect(response.headers['content-type']).toMatch(/^application\/json/)
      expect(response.json(), source).toEqual({
        error: SPICE_FROM_INVALID_MESSAGE,
        code: 'SOURCE_SPEC_INVALID',
      })
    }
    for (const payload of [{ params: {} }, { from: 42, params: {} }, { from: null, params: {} }]) {
      const response = await generate(target, payload)
      expect(response.statusCode).toBe(400)
      expect(response.json()).toEqual({
        error: SPICE_FROM_INVALID_MESSAGE,
        code: 'SOURCE_SPEC_INVALID',
      })
    }
    expect(github.requests).toEqual([])
  })

  it('names what is wrong where packwright is stricter than Spice', async () => {
    const github = await standIn()
    const target = await server(github)
    const cases = [
      [`github:org/repo/main/spicepod.yaml`, 'the sha segment "main" is not a commit SHA'],
      [`github:org/repo/${recording.commit}/../spicepod.yaml`, 'has a `..` segment'],
      [`github:org/repo/${recording.commit}/a//spicepod.yaml`, 'has an empty segment'],
      [`github:org/repo/${recording.commit}/x:y.yaml`, 'contains a second `:`'],
    ] as const
    for (const [source, problem] of cases) {
      const response = await generate(target, body(source))
      expect(response.statusCode, source).toBe(400)
      const answer = response.json<{ error: string; code: string }>()
      expect(answer.code).toBe('SOURCE_SPEC_INVALID')
      expect(answer.error).toContain(problem)
    }
    expect(github.requests).toEqual([])
  })

  it('refuses a body without params, with params that are not strings, or that is not JSON', async () => {
    const github = await standIn()
    const target = await server(github)
    const cases: [unknown, string][] = [
      [{ from: from() }, 'Invalid `params` field: it is required'],
      [{ from: from(), params: [] }, 'Invalid `params` field: expected an object'],
      [
        { from: from(), params: { github_token: 7 } },
        'the value of "github_token" must be a string',
      ],
      [[from()], 'Invalid request body: expected a JSON object'],
    ]
    for (const [payload, message] of cases) {
      const response = await generate(target, payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(response.json<{ error: string }>().error).toContain(message)
      expect(response.json<{ code: string }>().code).toBe('INVALID_ARGUMENT')
    }
    const malformed = await target.app.inject({
      method: 'POST',
      url: ROUTE,
      headers: { ...target.as('write'), 'content-type': 'application/json' },
      payload: '{"from": ',
    })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json<{ error: string }>().error).toMatch(/^Invalid request body/)
    expect(github.requests).toEqual([])
  })

  it("answers Spice's sentence for a token that cannot be sent, without echoing it", async () => {
    const github = await standIn()
    const target = await server(github)
    const token = 'test-token-line\nbreak-not-secret'
    const response = await generate(target, body(from(), { github_token: token }))
    expect(response.statusCode).toBe(400)
    const answer = response.json<{ error: string; code: string }>()
    expect(answer.error).toMatch(/^An invalid GitHub token was provided\. /)
    expect(answer.code).toBe('INVALID_ARGUMENT')
    expect(response.body).not.toContain('break-secret-value')
    expect(github.requests).toEqual([])
  })

  it('answers 415 for a body that is not JSON and 413 past a small limit, in the same shape', async () => {
    const github = await standIn()
    const target = await server(github)
    const text = await target.app.inject({
      method: 'POST',
      url: ROUTE,
      headers: { ...target.as('write'), 'content-type': 'text/plain' },
      payload: JSON.stringify(body()),
    })
    expect(text.statusCode).toBe(415)
    expect(text.json()).toEqual({
      error: 'Expected request with `Content-Type: application/json`.',
      code: 'CF-UnsupportedMediaType',
    })
    const large = await generate(target, body(from(), { padding: 'x'.repeat(128 * 1024) }))
    expect(large.statusCode).toBe(413)
    expect(large.json<{ code: string }>().code).toBe('CF-RequestEntityTooLarge')
  })
})

describe('POST /v1/packages/generate: OpenAPI', () => {
  it('documents the body and every answer in the served document', async () => {
    const github = await standIn()
    const target = await server(github)
    const document = (await target.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, Record<string, unknown>>>
    }>()
    const operation = document.paths[ROUTE]?.post ?? {}
    expect(Object.keys(operation.responses as object).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '500',
    ])
    const schema = (operation.requestBody as { content: Record<string, { schema: unknown }> })
      .content['application/json']?.schema as { required: string[] }
    expect(schema.required).toEqual(['from', 'params'])
  })
})

describe('POST /v1/packages/generate: auth', () => {
  it('answers 401 without a token or with an unknown one, 403 for a read-only token', async () => {
    const github = await standIn()
    const target = await server(github)
    const none = await generate(target, body(), {} as { authorization: string })
    expect(none.statusCode).toBe(401)
    expect(none.json()).toEqual({ error: 'Authentication error', code: 'CF-NotAuthenticated' })
    const unknown = await generate(target, body(), { authorization: 'bearer nope' })
    expect(unknown.statusCode).toBe(401)
    expect(unknown.json()).toEqual({ error: 'Invalid Auth Token', code: 'CF-InvalidAuthToken' })
    const reader = await generate(target, body(), target.as('read'))
    expect(reader.statusCode).toBe(403)
    expect(reader.json<{ code: string }>().code).toBe('CF-NotAuthorized')
    for (const scope of ['write', 'admin'] as const) {
      expect((await generate(target, body(), target.as(scope))).statusCode).toBe(200)
    }
    expect(github.requests.every((request) => request.headers.authorization !== undefined)).toBe(
      true,
    )
  })
})

describe('POST /v1/packages/generate: 500', () => {
  it("opens with Spice's sentence for a manifest that is not there", async () => {
    const github = await standIn()
    const target = await server(github)
    const response = await generate(target, body(from('pods/missing/spicepod.yaml')))
    expect(response.statusCode).toBe(500)
    const answer = response.json<{ error: string; code: string }>()
    expect(answer.error).toMatch(/^Failed to read object from object store\. /)
    expect(answer.error).toContain('pods/missing/spicepod.yaml')
    expect(answer.code).toBe('SPICEPOD_READ_FAILED')
  })

  it("opens with Spice's sentence when GitHub does not know the commit", async () => {
    const path = `/repos/${recording.owner}/${recording.repo}/commits/${recording.commit}`
    const github = await standIn({
      overrides: { [path]: [{ status: 404, body: { message: 'Not Found' } }] },
    })
    const target = await server(github)
    const response = await generate(target, body())
    expect(response.statusCode).toBe(500)
    const answer = response.json<{ error: string; code: string }>()
    expect(answer.error).toMatch(/^Failed to read object from object store\. /)
    expect(answer.code).toBe('GITHUB_NOT_FOUND')
  })

  it("opens with Spice's sentence for a manifest that is not YAML", async () => {
    const tree = recording.exchanges[1]?.response.body as {
      tree: { path: string; sha: string; size?: number }[]
    }
    const manifest = tree.tree.find((entry) => entry.path === 'spicepod.yaml')
    const size = manifest?.size ?? 0
    const github = await standIn({
      overrides: {
        [`/repos/${recording.owner}/${recording.repo}/git/blobs/${manifest?.sha}`]: [
          { status: 200, bodyBase64: Buffer.from(`[${'a'.repeat(size - 1)}`).toString('base64') },
        ],
      },
    })
    const target = await server(github)
    const response = await generate(target, body())
    expect(response.statusCode).toBe(500)
    const answer = response.json<{ error: string; code: string }>()
    expect(answer.error).toMatch(/^Unable to parse the provided Spicepod\. /)
    expect(answer.code).toBe('SPICEPOD_PARSE_FAILED')
  })

  it('answers "An unexpected error occurred" for a fault of its own, and logs it', async () => {
    const github = await standIn()
    // The folder generated zips are written in cannot be made: a file is in the way.
    const blocked = join(scratch, 'blocked-upload-folder')
    await writeFile(blocked, 'not a folder')
    const lines: string[] = []
    const target = await server(github, {
      uploadFolder: blocked,
      logger: { level: 'info', stream: lineCollector(lines) },
    })
    const response = await generate(target, body())
    expect(response.statusCode).toBe(500)
    expect(response.json()).toEqual({
      error: 'An unexpected error occurred',
      code: 'CF-UnknownError',
    })
    expect(lines.join('')).toContain('generate failed unexpectedly')
  })
})

function lineCollector(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'))
      callback()
    },
  })
}

describe('POST /v1/packages/generate: the token', () => {
  it('appears in no log line, response header or error body; GitHub alone receives it', async () => {
    const github = await standIn()
    const lines: string[] = []
    const target = await server(github, {
      logger: {
        level: 'trace',
        stream: lineCollector(lines),
        serializers: {
          req: (request: { headers: unknown; method: string; url: string; body?: unknown }) => ({
            method: request.method,
            url: request.url,
            headers: request.headers,
          }),
        },
      },
    })
    const answers = [
      await generate(target, body()),
      await generate(target, body()),
      await generate(target, body(from('missing.yaml'))),
      await generate(target, body('github:org/repo')),
      await generate(target, body(from(), { github_token: `${GITHUB_TOKEN}\u0000` })),
    ]
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 500, 400, 400])
    for (const answer of answers) {
      expect(JSON.stringify(answer.headers)).not.toContain(GITHUB_TOKEN)
      if (answer.statusCode !== 200) expect(answer.body).not.toContain(GITHUB_TOKEN)
    }
    const log = lines.join('')
    expect(log).toContain('spice package generated')
    expect(log).toContain(ROUTE)
    expect(log).not.toContain(GITHUB_TOKEN)
    expect(log).not.toContain(TEST_TOKENS.write)
    // It went to the stand-in, as a bearer token, and only there.
    expect(github.requests.length).toBeGreaterThan(0)
    for (const request of github.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${GITHUB_TOKEN}`)
    }
    // Nothing stored holds it.
    const stored = await readdir(target.dataFolder, { recursive: true })
    for (const name of stored) {
      const file = join(target.dataFolder, name)
      const content = await readFile(file).catch(() => Buffer.alloc(0))
      expect(content.includes(GITHUB_TOKEN), name).toBe(false)
    }
  })
})

describe('POST /v1/packages/generate: cache', () => {
  it('builds once for the same request twice, across a restart on the same storage', async () => {
    const github = await standIn()
    const target = await server(github)
    const first = await generate(target, body())
    expect(first.statusCode).toBe(200)
    expect(readsPerBuild).toBeGreaterThan(0)
    expect(manifestReads(github)).toBe(readsPerBuild)
    const second = await generate(target, body())
    expect(second.statusCode).toBe(200)
    expect(second.rawPayload.equals(expected.bytes)).toBe(true)
    expect(second.headers[PACKAGE_SHA256_HEADER]).toBe(expected.sha256)
    expect(manifestReads(github)).toBe(readsPerBuild)
    const key = generatedPackageKey(github.url, {
      kind: 'github',
      owner: recording.owner,
      repo: recording.repo,
      ref: recording.commit,
      path: 'spicepod.yaml',
    })
    expect(await target.storage.metadata.findGeneratedPackage(key)).toMatchObject({
      sha256: expected.sha256,
      size: expected.bytes.length,
    })

    await target.app.close()
    const restarted = await createServer({
      storage: target.storage,
      tokens: [{ name: 'ci', sha256: hashToken(TEST_TOKENS.write), scopes: ['write'] }],
      uploadFolder: join(target.dataFolder, 'tmp', 'uploads'),
      spice: { githubApiUrl: github.url },
    })
    try {
      const third = await restarted.inject({
        method: 'POST',
        url: ROUTE,
        headers: target.as('write'),
        payload: body(),
      })
      expect(third.statusCode).toBe(200)
      expect(third.rawPayload.equals(expected.bytes)).toBe(true)
    } finally {
      await restarted.close()
    }
    expect(manifestReads(github)).toBe(readsPerBuild)
  })

  it('builds once for two identical requests at the same time', async () => {
    const github = await standIn()
    const target = await server(github)
    github.resetMaxInFlight(150)
    const [a, b] = await Promise.all([generate(target, body()), generate(target, body())])
    expect([a.statusCode, b.statusCode]).toEqual([200, 200])
    expect(a.rawPayload.equals(expected.bytes)).toBe(true)
    expect(b.rawPayload.equals(expected.bytes)).toBe(true)
    expect(manifestReads(github)).toBe(readsPerBuild)
  })

  it('serves a cached package only to a caller GitHub lets read the commit', async () => {
    const github = await standIn()
    const target = await server(github)
    expect((await generate(target, body())).statusCode).toBe(200)
    const stranger = await generate(
      target,
      body(from(), { github_token: 'someone-elses-token-not-secret' }),
    )
    expect(stranger.statusCode).toBe(500)
    expect(stranger.headers['content-type']).toMatch(/^application\/json/)
    expect(stranger.json<{ error: string }>().error).toMatch(
      /^Failed to read object from object store\. /,
    )
    const anonymous = await generate(target, body(from(), {}))
    expect(anonymous.statusCode).toBe(500)
    expect(manifestReads(github)).toBe(readsPerBuild)
  })

  it('builds every time, keeping nothing, when the cache is off', async () => {
    const github = await standIn()
    const target = await server(github, { spice: { cache: false } })
    for (let round = 1; round <= 2; round += 1) {
      const response = await generate(target, body())
      expect(response.statusCode).toBe(200)
      expect(response.rawPayload.equals(expected.bytes)).toBe(true)
      expect(manifestReads(github)).toBe(round * readsPerBuild)
    }
    expect(await target.storage.packages.exists(expected.sha256)).toBe(false)
    const work = join(target.dataFolder, 'tmp', 'uploads', 'generate')
    await expect.poll(async () => readdir(work)).toEqual([])
  })
})

/** A stand-in whose first answer for the manifest's blob waits until `release()`. */
async function stallingStandIn(): Promise<{
  github: ReplayServer
  reached: Promise<void>
  release: () => void
}> {
  const tree = recording.exchanges[1]?.response.body as { tree: { path: string; sha: string }[] }
  const manifestSha = tree.tree.find((entry) => entry.path === 'spicepod.yaml')?.sha
  const manifestPath = `/repos/${recording.owner}/${recording.repo}/git/blobs/${manifestSha}`
  const exchange = recording.exchanges.find((e) => e.request.path === manifestPath)
  let release: () => void = () => undefined
  const released = new Promise<void>((resolve) => {
    release = resolve
  })
  let reach: () => void = () => undefined
  const reached = new Promise<void>((resolve) => {
    reach = resolve
  })
  let calls = 0
  const github = await standIn({
    handlers: {
      [manifestPath]: (_request, response) => {
        calls += 1
        const answer = () => {
          const bytes = Buffer.from(exchange?.response.bodyBase64 ?? '', 'base64')
          response.writeHead(200, { 'content-length': String(bytes.length) })
          response.end(bytes)
        }
        if (calls > 1) return answer()
        reach()
        void released.then(answer)
      },
    },
  })
  return { github, reached, release }
}

describe('POST /v1/packages/generate: a client that goes away', () => {
  it('stops the build: the GitHub request in flight is closed and nothing is kept', async () => {
    const tree = recording.exchanges[1]?.response.body as { tree: { path: string; sha: string }[] }
    const manifestSha = tree.tree.find((entry) => entry.path === 'spicepod.yaml')?.sha
    const manifestPath = `/repos/${recording.owner}/${recording.repo}/git/blobs/${manifestSha}`
    let stalled: (() => void) | undefined
    const githubClosed = new Promise<void>((resolve) => {
      stalled = resolve
    })
    let reached: () => void = () => undefined
    const stalledReached = new Promise<void>((resolve) => {
      reached = resolve
    })
    const github = await standIn({
      handlers: {
        // The manifest never comes: the build waits until someone gives up.
        [manifestPath]: (request) => {
          request.socket.once('close', () => stalled?.())
          reached()
        },
      },
    })
    const target = await server(github)
    await target.app.listen({ host: '127.0.0.1', port: 0 })
    const address = target.app.server.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    const client = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: ROUTE,
      headers: { ...target.as('write'), 'content-type': 'application/json' },
    })
    client.on('error', () => undefined)
    client.end(JSON.stringify(body()))
    await stalledReached
    client.destroy()
    // The abort reaches GitHub: the stalled request's connection is closed.
    await githubClosed
    const work = join(target.dataFolder, 'tmp', 'uploads', 'generate')
    await expect.poll(async () => readdir(work).catch(() => [])).toEqual([])
    const key = generatedPackageKey(github.url, {
      kind: 'github',
      owner: recording.owner,
      repo: recording.repo,
      ref: recording.commit,
      path: 'spicepod.yaml',
    })
    expect(await target.storage.metadata.findGeneratedPackage(key)).toBeUndefined()
  })
  it('keeps building for the requests still waiting when one of them goes away', async () => {
    const { github, reached, release } = await stallingStandIn()
    const lines: string[] = []
    const target = await server(github, {
      logger: { level: 'info', stream: lineCollector(lines) },
    })
    await target.app.listen({ host: '127.0.0.1', port: 0 })
    const address = target.app.server.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    const leaving = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: ROUTE,
      headers: { ...target.as('write'), 'content-type': 'application/json' },
    })
    leaving.on('error', () => undefined)
    leaving.end(JSON.stringify(body()))
    await reached
    const staying = generate(target, body())
    // The second request has joined the build before the first one leaves.
    await new Promise((resolve) => setTimeout(resolve, 200))
    leaving.destroy()
    await expect.poll(() => lines.join('')).toContain('spice package build cancelled')
    release()
    const response = await staying
    expect(response.statusCode).toBe(200)
    expect(response.rawPayload.equals(expected.bytes)).toBe(true)
    expect(manifestReads(github)).toBe(readsPerBuild)
  })

  it('does not share a build in flight with a request carrying another token', async () => {
    const { github, reached, release } = await stallingStandIn()
    const target = await server(github)
    const owner = generate(target, body())
    await reached
    const stranger = generate(
      target,
      body(from(), { github_token: 'not-the-owners-token-not-secret' }),
    )
    await new Promise((resolve) => setTimeout(resolve, 200))
    release()
    const [ownerAnswer, strangerAnswer] = await Promise.all([owner, stranger])
    expect(ownerAnswer.statusCode).toBe(200)
    expect(strangerAnswer.statusCode).toBe(500)
    expect(strangerAnswer.headers['content-type']).toMatch(/^application\/json/)
    expect(manifestReads(github)).toBe(readsPerBuild)
  })
})
