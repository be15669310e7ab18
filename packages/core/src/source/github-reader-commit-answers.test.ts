import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  type GitHubRecording,
  type ReplayServer,
  type ReplayServerOptions,
  loadGitHubRecording,
  startGitHubReplayServer,
} from '../../test/helpers/github-replay-server.js'
import { rejection } from '../../test/helpers/rejection.js'
import { type Logger } from '../logger.js'
import { type GitHubReaderOptions, createGitHubReader } from './github-reader.js'

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

function options(server: ReplayServer, extra: Partial<GitHubReaderOptions> = {}) {
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

const commitPath = (): string =>
  `/repos/${recording.owner}/${recording.repo}/commits/${recording.commit}`
const treePath = (): string => recording.exchanges[1]?.request.path as string
const recordedCommit = (): Record<string, unknown> =>
  recording.exchanges[0]?.response.body as Record<string, unknown>

/** Serves `body` as the commit answer. */
async function commitAnswer(body: unknown): Promise<ReplayServer> {
  return serve({ overrides: { [commitPath()]: [{ status: 200, body }] } })
}

describe('createGitHubReader arguments', () => {
  it.each([
    ['owner', { owner: '' }, '""'],
    ['owner', { owner: 'a/b' }, '"a/b"'],
    ['owner', { owner: '..' }, '".."'],
    ['repo', { repo: '.' }, '"."'],
    ['repo', { repo: 'r r' }, '"r r"'],
  ])('refuses the %s %j', async (field, bad, quoted) => {
    const error = await rejection(
      createGitHubReader({ owner: 'o', repo: 'r', ref: 'abc1234', ...bad }),
    )
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toBe(
      `Invalid GitHub ${field} ${quoted}: expected letters, digits, \`.\`, \`_\` or \`-\`.`,
    )
    expect(error.details).toEqual({ field })
  })

  it.each(['', '-main', 'a//b', 'a/../b', '/main', 'main/'])('refuses the ref %j', async (ref) => {
    const error = await rejection(createGitHubReader({ owner: 'o', repo: 'r', ref }))
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toBe(
      `Invalid git ref ${JSON.stringify(ref)}: expected a commit SHA or a branch or tag name.`,
    )
    expect(error.details).toEqual({ field: 'ref' })
  })

  it.each([0, -1, 1.5, Number.NaN])('refuses maxJsonBytes %s', async (maxJsonBytes) => {
    const error = await rejection(
      createGitHubReader({ owner: 'o', repo: 'r', ref: 'abc1234', maxJsonBytes }),
    )
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toBe(
      `Invalid \`maxJsonBytes\` ${String(maxJsonBytes)}: expected a positive whole number of bytes.`,
    )
    expect(error.details).toEqual({ field: 'maxJsonBytes' })
  })

  it('reads with a concurrency of 0, taken as 1', async () => {
    const server = await serve()
    const reader = await createGitHubReader(options(server, { concurrency: 0 }))
    expect((await reader.readBytes('spicepod.yaml')).length).toBeGreaterThan(0)
    await reader.close()
    expect(server.problems).toEqual([])
  })

  it('names the host in its description only when it is not api.github.com', async () => {
    const server = await serve()
    const reader = await createGitHubReader(options(server))
    expect(reader.description).toBe(
      `GitHub ${recording.owner}/${recording.repo} at ${recording.commit.slice(0, 12)} (${server.url})`,
    )
    expect(reader.commit).toBe(recording.commit)
    await reader.close()
  })
})

describe('createGitHubReader commit answers', () => {
  const unexpected = (server: ReplayServer, path: string, problem: string) => ({
    code: 'GITHUB_REQUEST_FAILED',
    message: `Unexpected answer from GitHub for GET ${server.url}${path}: ${problem}.`,
    details: { request: `GET ${server.url}${path}`, problem },
  })

  it.each([
    ['an array', () => []],
    ['no sha', () => ({ ...recordedCommit(), sha: undefined })],
    ['an upper-case sha', () => ({ ...recordedCommit(), sha: 'A'.repeat(40) })],
    ['a 41-character sha', () => ({ ...recordedCommit(), sha: 'a'.repeat(41) })],
    ['a sha with a prefix', () => ({ ...recordedCommit(), sha: `x${'a'.repeat(40)}` })],
    ['no commit object', () => ({ ...recordedCommit(), commit: 'x' })],
  ])('refuses a commit answer with %s', async (_what, body) => {
    const server = await commitAnswer(body())
    const error = await rejection(createGitHubReader(options(server)))
    expect(error).toMatchObject(unexpected(server, commitPath(), 'no commit `sha`'))
  })

  it.each([
    ['no tree', {}],
    ['a tree without a sha', { tree: {} }],
    ['a short tree sha', { tree: { sha: 'a'.repeat(39) } }],
    ['a tree sha with a suffix', { tree: { sha: `${'a'.repeat(40)}x` } }],
  ])('refuses a commit answer with %s', async (_what, commit) => {
    const server = await commitAnswer({ sha: recording.commit, commit })
    const error = await rejection(createGitHubReader(options(server)))
    expect(error).toMatchObject(unexpected(server, commitPath(), 'no `commit.tree.sha`'))
  })

  it('refuses a commit answer that is not JSON', async () => {
    const server = await serve({
      overrides: {
        [commitPath()]: [{ status: 200, bodyBase64: Buffer.from('{oops').toString('base64') }],
      },
    })
    const error = await rejection(createGitHubReader(options(server)))
    expect(error.code).toBe('GITHUB_REQUEST_FAILED')
    expect(error.message).toBe(
      `GitHub's answer for GET ${server.url}${commitPath()} is not valid JSON.`,
    )
    expect(error.details).toEqual({ request: `GET ${server.url}${commitPath()}` })
  })

  it('has no source date when the committer date is missing or not a date, and floors a date with milliseconds', async () => {
    const commit = recordedCommit().commit as Record<string, unknown>
    for (const [committer, expected] of [
      [undefined, undefined],
      [{ date: 'not a date' }, undefined],
      [{ date: 1714564800 }, undefined],
      [{ date: '2024-05-01T12:00:00.999Z' }, 1714564800],
    ] as const) {
      const server = await commitAnswer({ ...recordedCommit(), commit: { ...commit, committer } })
      const reader = await createGitHubReader(options(server))
      expect(reader.sourceDateEpoch).toBe(expected)
      await reader.close()
    }
  })

  it('refuses a tree answer without a tree array', async () => {
    for (const body of [[], { sha: recording.tree }, { sha: recording.tree, tree: {} }]) {
      const server = await serve({ overrides: { [treePath()]: [{ status: 200, body }] } })
      const error = await rejection(createGitHubReader(options(server)))
      expect(error).toMatchObject(unexpected(server, treePath(), 'no `tree` array'))
    }
  })

  it('says a truncated tree is too large and where to turn instead', async () => {
    const server = await serve({
      overrides: {
        [treePath()]: [{ status: 200, body: { sha: recording.tree, tree: [], truncated: true } }],
      },
    })
    const error = await rejection(createGitHubReader(options(server)))
    const where = `${recording.owner}/${recording.repo} at ${recording.commit.slice(0, 12)}`
    expect(error.code).toBe('GITHUB_TREE_TRUNCATED')
    expect(error.message).toBe(
      `The tree of ${where} is too large for GitHub to list in one answer (truncated: true); packaging only part of it would be wrong.`,
    )
    expect(error.hint).toBe(
      'Package a local checkout instead: a `git:{repoDir}#{sha}` source or a local folder.',
    )
    expect(error.details).toEqual({
      owner: recording.owner,
      repo: recording.repo,
      commit: recording.commit,
      entries: 0,
    })
  })

  it('counts the submodules it skips and names the first ten', async () => {
    const tree = Array.from({ length: 11 }, (_, i) => ({
      path: `sub${String(i).padStart(2, '0')}`,
      type: 'commit',
      mode: '160000',
    }))
    const server = await serve({
      overrides: { [treePath()]: [{ status: 200, body: { sha: recording.tree, tree } }] },
    })
    const warnings: string[] = []
    const logger: Logger = { debug: () => {}, info: () => {}, warn: (line) => warnings.push(line) }
    const reader = await createGitHubReader(options(server, { logger }))
    await reader.close()
    expect(warnings).toEqual([
      'Skipping 11 git submodules (submodules are not packaged): sub00, sub01, sub02, sub03, sub04, sub05, sub06, sub07, sub08, sub09, …',
    ])
  })

  it('names a missing file and the commit, and stops reading on a fired signal', async () => {
    const server = await serve()
    const reader = await createGitHubReader(options(server))
    const where = `${recording.owner}/${recording.repo} at ${recording.commit.slice(0, 12)}`
    const missing = await rejection(reader.readBytes('missing.txt'))
    expect(missing.message).toBe(`No file at "missing.txt" in ${where}.`)
    expect(missing.details).toEqual({ path: 'missing.txt', commit: recording.commit })
    const controller = new AbortController()
    controller.abort()
    const signal = controller.signal
    expect((await rejection(reader.list('', { signal }))).message).toBe(
      'Listing the GitHub tree was aborted.',
    )
    expect((await rejection(reader.stat('spicepod.yaml', { signal }))).message).toBe(
      'Reading the GitHub tree was aborted.',
    )
    expect((await rejection(reader.readBytes('spicepod.yaml', { signal }))).message).toBe(
      'Reading "spicepod.yaml" was aborted.',
    )
    await reader.close()
  })
})
