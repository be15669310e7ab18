import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGitFixture, type GitFixture } from '../../test/helpers/git-fixture.js'
import {
  loadGitHubRecording,
  startGitHubReplayServer,
} from '../../test/helpers/github-replay-server.js'
import { openSourceReader } from './open-source-reader.js'
import { parseSourceSpec } from './parse-source-spec.js'
import { rejection } from '../../test/helpers/rejection.js'

describe('openSourceReader', () => {
  let folder: string
  let repo: GitFixture
  let sha: string

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'packwright-open-'))
    await mkdir(join(folder, 'pod'))
    await writeFile(join(folder, 'pod', 'spicepod.yaml'), 'version: v1\n')
    await writeFile(join(folder, 'pod', 'data.csv'), 'a\n')
    repo = await createGitFixture()
    await repo.write({ 'pods/one/spicepod.yaml': 'version: v1\n' })
    sha = await repo.commit('one', '2024-01-01T00:00:00Z')
  })

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true })
    await repo.remove()
  })

  it('roots a local reader at the folder', async () => {
    const { reader, path } = await openSourceReader(parseSourceSpec(join(folder, 'pod')))
    expect(path).toBe('')
    expect((await reader.list('')).map((entry) => entry.path)).toEqual([
      'data.csv',
      'spicepod.yaml',
    ])
    await reader.close()
  })

  it("roots a local reader at a file's folder and returns the file name", async () => {
    const spec = parseSourceSpec(`file:${join(folder, 'pod', 'spicepod.yaml')}`)
    const { reader, path } = await openSourceReader(spec)
    expect(path).toBe('spicepod.yaml')
    expect((await reader.readBytes(path)).toString()).toBe('version: v1\n')
    expect(await reader.stat('data.csv')).toMatchObject({ kind: 'file' })
  })

  it('fails with SOURCE_NOT_FOUND for a missing local path', async () => {
    const error = await rejection(openSourceReader(parseSourceSpec(join(folder, 'missing'))))
    expect(error.code).toBe('SOURCE_NOT_FOUND')
  })

  it('opens a git commit and keeps the path inside it', async () => {
    const { reader, path } = await openSourceReader(
      parseSourceSpec(`git:${repo.dir}#${sha}:pods/one/spicepod.yaml`),
    )
    try {
      expect(path).toBe('pods/one/spicepod.yaml')
      expect((await reader.readBytes(path)).toString()).toBe('version: v1\n')
      expect(reader.sourceDateEpoch).toBe(Date.parse('2024-01-01T00:00:00Z') / 1000)
    } finally {
      await reader.close()
    }
  })

  it('accepts git refs only when refs are allowed', async () => {
    const spec = { kind: 'git', repoDir: repo.dir, rev: 'main', path: '' } as const
    expect((await rejection(openSourceReader(spec))).code).toBe('SOURCE_SPEC_INVALID')
    const { reader } = await openSourceReader(spec, { allowRefs: true })
    expect(await reader.list('')).toHaveLength(1)
    await reader.close()
  })

  it('opens a github spec against the configured API', async () => {
    const recording = await loadGitHubRecording('tiny-spicepod')
    const server = await startGitHubReplayServer({ exchanges: recording.exchanges, token: 't0k3n' })
    try {
      const spec = parseSourceSpec(
        `github:${recording.owner}/${recording.repo}/${recording.commit}/spicepod.yaml`,
      )
      const { reader, path } = await openSourceReader(spec, {
        github: { apiBaseUrl: server.url, token: 't0k3n' },
      })
      expect(path).toBe('spicepod.yaml')
      expect((await reader.readBytes(path)).toString()).toContain('kind: Spicepod')
      expect(server.problems).toEqual([])
    } finally {
      await server.close()
    }
  })

  it('says which local path is missing, and where it was looked for', async () => {
    const error = await rejection(openSourceReader({ kind: 'local', path: join(folder, 'gone') }))
    expect(error.message).toBe(
      `The local source ${JSON.stringify(join(folder, 'gone'))} does not exist.`,
    )
    expect(error.details).toEqual({ path: join(folder, 'gone') })
  })

  it('refuses to open anything once the signal has fired', async () => {
    const controller = new AbortController()
    controller.abort()
    const error = await rejection(
      openSourceReader({ kind: 'local', path: folder }, { signal: controller.signal }),
    )
    expect(error.code).toBe('ABORTED')
    expect(error.message).toBe('Opening the source was aborted.')
  })

  it('hands the signal to the local and git readers it opens', async () => {
    for (const spec of [
      { kind: 'local', path: join(folder, 'pod') },
      { kind: 'local', path: join(folder, 'pod', 'spicepod.yaml') },
      { kind: 'git', repoDir: repo.dir, rev: sha, path: '' },
    ] as const) {
      const controller = new AbortController()
      const { reader } = await openSourceReader(spec, { signal: controller.signal })
      controller.abort()
      try {
        expect((await rejection(reader.list(''))).code).toBe('ABORTED')
      } finally {
        await reader.close()
      }
    }
  })

  it('hands the logger to the git reader', async () => {
    const debug: string[] = []
    const logger = { debug: (line: string) => debug.push(line), info: () => {}, warn: () => {} }
    const { reader } = await openSourceReader(
      { kind: 'git', repoDir: repo.dir, rev: sha, path: '' },
      { logger },
    )
    await reader.close()
    expect(debug).toContain(`git commit ${sha} of ${repo.dir}: 1 files`)
  })

  it('takes 7 to 40 hexadecimal characters as a commit SHA, of either case', async () => {
    for (const rev of [sha.slice(0, 7), sha, sha.slice(0, 7).toUpperCase()]) {
      const { reader } = await openSourceReader({ kind: 'git', repoDir: repo.dir, rev, path: '' })
      expect(reader.commit).toBe(sha)
      await reader.close()
    }
    for (const rev of [sha.slice(0, 6), `${sha}0`, `x${sha.slice(0, 7)}`, `${sha.slice(0, 7)}x`]) {
      const error = await rejection(
        openSourceReader({ kind: 'git', repoDir: repo.dir, rev, path: '' }),
      )
      expect(error.code).toBe('SOURCE_SPEC_INVALID')
    }
  })

  it('says which ref is not a commit SHA, for github and git specs', async () => {
    const github = await rejection(
      openSourceReader({ kind: 'github', owner: 'o', repo: 'r', ref: 'main', path: '' }),
    )
    expect(github.code).toBe('SOURCE_SPEC_INVALID')
    expect(github.message).toBe(
      'The github source names "main", which is not a commit SHA (7–40 hexadecimal characters); branch and tag names are accepted only when refs are allowed.',
    )
    expect(github.details).toEqual({ reason: 'sha-invalid', rev: '"main"' })
    const git = await rejection(
      openSourceReader({ kind: 'git', repoDir: repo.dir, rev: 'v1', path: '' }),
    )
    expect(git.message).toMatch(/^The git source names "v1", which is not a commit SHA/)
  })

  it('accepts a github branch name when refs are allowed, and asks GitHub for it', async () => {
    const asked: string[] = []
    const fetchNotFound: typeof fetch = (input) => {
      asked.push(String(input instanceof Request ? input.url : input))
      return Promise.resolve(
        new Response(JSON.stringify({ message: 'Not Found' }), {
          status: 404,
          headers: { 'content-type': 'application/json' },
        }),
      )
    }
    const error = await rejection(
      openSourceReader(
        { kind: 'github', owner: 'o', repo: 'r', ref: 'main', path: '' },
        { allowRefs: true, github: { apiBaseUrl: 'http://127.0.0.1:9', fetch: fetchNotFound } },
      ),
    )
    expect(error.code).not.toBe('SOURCE_SPEC_INVALID')
    expect(asked[0]).toBe('http://127.0.0.1:9/repos/o/r/commits/main')
  })

  it('refuses docker specs: they have no bits', async () => {
    const error = await rejection(openSourceReader(parseSourceSpec('docker://nginx:1.27')))
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toBe(
      'The docker source "nginx:1.27" has no files to read: docker packages carry an image reference, not bits.',
    )
    expect(error.details).toEqual({ image: 'nginx:1.27' })
  })
})
