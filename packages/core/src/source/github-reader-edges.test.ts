import { once } from 'node:events'
import { buffer } from 'node:stream/consumers'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  type GitHubRecording,
  type ReplayServer,
  type ReplayServerOptions,
  loadGitHubRecording,
  startGitHubReplayServer,
} from '../../test/helpers/github-replay-server.js'
import { rejection } from '../../test/helpers/rejection.js'
import { type GitHubReaderOptions, createGitHubReader } from './github-reader.js'
import { recordingLogger } from '../../test/helpers/recording-logger.js'

let recording: GitHubRecording
const servers: ReplayServer[] = []

beforeAll(async () => {
  recording = await loadGitHubRecording('tiny-spicepod')
})

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function serve(options: Partial<ReplayServerOptions> = {}): Promise<ReplayServer> {
  const server = await startGitHubReplayServer({ exchanges: recording.exchanges, ...options })
  servers.push(server)
  return server
}

function options(
  server: ReplayServer,
  extra: Partial<GitHubReaderOptions> = {},
): GitHubReaderOptions {
  return {
    owner: recording.owner,
    repo: recording.repo,
    ref: recording.commit,
    apiBaseUrl: server.url,
    retries: 0,
    retryDelayMs: 1,
    ...extra,
  }
}

const repoPath = (): string => `/repos/${recording.owner}/${recording.repo}`
const commitPath = (): string => `${repoPath()}/commits/${recording.commit}`
const treePath = (): string => recording.exchanges[1]?.request.path as string
const recordedCommit = (): Record<string, unknown> =>
  recording.exchanges[0]?.response.body as Record<string, unknown>
const recordedTree = (): Array<Record<string, unknown>> =>
  (recording.exchanges[1]?.response.body as { tree: Array<Record<string, unknown>> }).tree

/** A tree answer with `tree` as its entries. */
function treeAnswer(tree: unknown[]) {
  return { [treePath()]: [{ status: 200, body: { sha: recording.tree, tree } }] }
}

/** `count` submodule entries, `sub00`, `sub01`, … */
function submodules(count: number): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => ({
    path: `sub${String(i).padStart(2, '0')}`,
    type: 'commit',
    mode: '160000',
  }))
}

describe('createGitHubReader refs and commit answers', () => {
  it('asks for a branch name with slashes as path segments under commits/', async () => {
    const server = await serve({
      overrides: {
        [`${repoPath()}/commits/release/v1.2`]: [{ status: 200, body: recordedCommit() }],
      },
    })
    const reader = await createGitHubReader(options(server, { ref: 'release/v1.2' }))
    expect(reader.commit).toBe(recording.commit)
    expect(server.requests[0]?.path).toBe(`${repoPath()}/commits/release/v1.2`)
    expect(server.problems).toEqual([])
    await reader.close()
  })

  it('refuses a commit answer that is JSON null', async () => {
    const server = await serve({ overrides: { [commitPath()]: [{ status: 200, body: null }] } })
    const error = await rejection(createGitHubReader(options(server)))
    expect(error.code).toBe('GITHUB_REQUEST_FAILED')
    expect(error.message).toBe(
      `Unexpected answer from GitHub for GET ${server.url}${commitPath()}: no commit \`sha\`.`,
    )
  })

  it('refuses a commit answer whose tree is null', async () => {
    const commit = recordedCommit().commit as Record<string, unknown>
    const server = await serve({
      overrides: {
        [commitPath()]: [
          { status: 200, body: { ...recordedCommit(), commit: { ...commit, tree: null } } },
        ],
      },
    })
    const error = await rejection(createGitHubReader(options(server)))
    expect(error.code).toBe('GITHUB_REQUEST_FAILED')
    expect(error.message).toBe(
      `Unexpected answer from GitHub for GET ${server.url}${commitPath()}: no \`commit.tree.sha\`.`,
    )
  })

  it('accepts a 64-character (SHA-256) commit sha and describes the commit by it', async () => {
    const sha256 = '0123456789abcdef'.repeat(4)
    const server = await serve({
      overrides: { [commitPath()]: [{ status: 200, body: { ...recordedCommit(), sha: sha256 } }] },
    })
    const reader = await createGitHubReader(options(server))
    expect(reader.commit).toBe(sha256)
    expect(reader.description).toBe(
      `GitHub ${recording.owner}/${recording.repo} at ${sha256.slice(0, 12)} (${server.url})`,
    )
    expect(server.problems).toEqual([])
    await reader.close()
  })

  it('refuses a commit answer whose tree sha has a prefix', async () => {
    const server = await serve({
      overrides: {
        [commitPath()]: [
          {
            status: 200,
            body: { sha: recording.commit, commit: { tree: { sha: `x${'a'.repeat(40)}` } } },
          },
        ],
      },
    })
    const error = await rejection(createGitHubReader(options(server)))
    expect(error.code).toBe('GITHUB_REQUEST_FAILED')
    expect(error.message).toBe(
      `Unexpected answer from GitHub for GET ${server.url}${commitPath()}: no \`commit.tree.sha\`.`,
    )
    expect(server.requests).toHaveLength(1)
  })

  it('names the commit ref when its answer is larger than maxJsonBytes', async () => {
    const server = await serve()
    const error = await rejection(createGitHubReader(options(server, { maxJsonBytes: 10 })))
    expect(error.code).toBe('GITHUB_RESPONSE_TOO_LARGE')
    expect(error.message).toMatch(
      new RegExp(
        `^GitHub's answer for the commit "${recording.commit}" is larger than the limit of 10 bytes`,
      ),
    )
  })
})

describe('createGitHubReader logging and description', () => {
  it('logs the file count at debug level and no submodule warning when the tree has none', async () => {
    const server = await serve({
      overrides: treeAnswer(recordedTree().filter((entry) => entry.type !== 'commit')),
    })
    const logger = recordingLogger()
    const reader = await createGitHubReader(options(server, { logger }))
    expect(await reader.list('')).toHaveLength(7)
    // Besides one line per request, only the count is logged.
    expect(logger.lines.filter((line) => !line.startsWith('debug GET '))).toEqual([
      `debug GitHub ${recording.owner}/${recording.repo} at ${recording.commit}: 7 files`,
    ])
    expect(server.problems).toEqual([])
    await reader.close()
  })

  it('names exactly ten submodules without an ellipsis', async () => {
    const server = await serve({ overrides: treeAnswer(submodules(10)) })
    const logger = recordingLogger()
    const reader = await createGitHubReader(options(server, { logger }))
    await reader.close()
    expect(logger.lines.filter((line) => line.startsWith('warn'))).toEqual([
      'warn Skipping 10 git submodules (submodules are not packaged): sub00, sub01, sub02, sub03, sub04, sub05, sub06, sub07, sub08, sub09',
    ])
  })

  it('leaves the host out of its description at https://api.github.com', async () => {
    const server = await serve()
    // Requests for api.github.com go to the local replay server instead.
    const toServer: typeof fetch = (input, init) => {
      if (typeof input !== 'string') throw new Error('expected a URL string')
      return fetch(input.replace('https://api.github.com', server.url), init)
    }
    const reader = await createGitHubReader(
      options(server, { apiBaseUrl: 'https://api.github.com', fetch: toServer }),
    )
    expect(reader.description).toBe(
      `GitHub ${recording.owner}/${recording.repo} at ${recording.commit.slice(0, 12)}`,
    )
    expect(server.problems).toEqual([])
    await reader.close()
  })
})

describe('createGitHubReader open and readBytes', () => {
  it('opens a symlink as a byte stream of its target, without another request', async () => {
    const server = await serve()
    const reader = await createGitHubReader(options(server))
    const requests = server.requests.length
    const stream = reader.open('latest.csv')
    expect(stream.readableObjectMode).toBe(false)
    await once(stream, 'readable')
    // A byte stream hands out the bytes asked for, not whole chunks.
    expect(stream.read(4)).toEqual(Buffer.from('data'))
    expect((await buffer(stream)).toString()).toBe('/trips.csv')
    expect(server.requests).toHaveLength(requests)
    await reader.close()
  })

  it('reads a symlink target without another request', async () => {
    const server = await serve()
    const reader = await createGitHubReader(options(server))
    const requests = server.requests.length
    expect((await reader.readBytes('latest.csv')).toString()).toBe('data/trips.csv')
    expect(server.requests).toHaveLength(requests)
    await reader.close()
  })

  it('opens a file as a byte stream', async () => {
    const server = await serve()
    const reader = await createGitHubReader(options(server))
    const stream = reader.open('data/trips.csv')
    expect(stream.readableObjectMode).toBe(false)
    expect((await buffer(stream)).toString()).toContain('trip_id,fare')
    await reader.close()
  })

  it('names the path when open is given a fired signal', async () => {
    const server = await serve()
    const reader = await createGitHubReader(options(server))
    const controller = new AbortController()
    controller.abort()
    const error = await rejection(
      buffer(reader.open('spicepod.yaml', { signal: controller.signal })),
    )
    expect(error.code).toBe('ABORTED')
    expect(error.message).toBe('Reading "spicepod.yaml" was aborted.')
    await reader.close()
  })
})
