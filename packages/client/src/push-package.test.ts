import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type PackwrightError, generatePackage } from '@packwright/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RealServer, WRITE_TOKEN, startRealServer } from '../test/helpers/start-real-server.js'
import { writeTree } from '../test/helpers/write-tree.js'
import { type PackwrightClient, createPackwrightClient } from './packwright-client.js'
import { type PushProgress, pushPackage } from './push-package.js'

let server: RealServer
let client: PackwrightClient
let work: string

beforeAll(async () => {
  server = await startRealServer()
  client = createPackwrightClient({ serverUrl: server.url, token: WRITE_TOKEN })
  work = await mkdtemp(join(tmpdir(), 'packwright-push-test-'))
})

afterAll(async () => {
  await client.close()
  await server.close()
  await rm(work, { recursive: true, force: true })
})

/** `size` bytes that deflate cannot shrink, the same on every run. */
function noise(seed: string, size: number): Buffer {
  const blocks: Buffer[] = []
  for (let index = 0; blocks.length * 32 < size; index++) {
    blocks.push(createHash('sha256').update(`${seed}:${index}`).digest())
  }
  return Buffer.concat(blocks).subarray(0, size)
}

async function generatedBytes(source: string): Promise<Buffer> {
  const out = join(work, `generated-${Math.random().toString(16).slice(2)}.zip`)
  await generatePackage({ source, outFile: out })
  return readFile(out)
}

async function downloadedBytes(guid: string): Promise<Buffer> {
  const out = join(work, `downloaded-${guid}.zip`)
  await client.downloadPackage(guid, out)
  return readFile(out)
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Ada Author',
      GIT_AUTHOR_EMAIL: 'ada@example.org',
      GIT_AUTHOR_DATE: '2024-05-06T07:08:09+02:00',
      GIT_COMMITTER_NAME: 'Carl Committer',
      GIT_COMMITTER_EMAIL: 'carl@example.org',
      GIT_COMMITTER_DATE: '2024-05-07T10:00:00+00:00',
    },
  }).trim()
}

describe('pushPackage', () => {
  it('uploads everything first, nothing on an unchanged re-push, and one changed file after', async () => {
    const tree = await writeTree({
      'index.html': noise('index', 3000),
      'assets/app.js': noise('app', 2000),
      'assets/empty.txt': '',
      'README.md': '# app\n',
    })
    const phases = new Set<string>()
    const first = await pushPackage({
      client,
      source: tree,
      appName: 'site',
      onProgress: (progress: PushProgress) => phases.add(progress.phase),
    })
    expect(first).toMatchObject({
      files: 4,
      filesMatched: 0,
      filesSent: 4,
      state: 'READY',
      appCreated: true,
    })
    expect([...phases]).toEqual(['packaging', 'matching', 'zipping', 'uploading', 'processing'])
    expect(first.bytesSent).toBeGreaterThan(0)
    expect(await downloadedBytes(first.guid)).toEqual(await generatedBytes(tree))

    const again = await pushPackage({ client, source: tree, appName: 'site' })
    // Only the empty file goes again: empty files never enter the pool.
    expect(again).toMatchObject({ filesMatched: 3, filesSent: 1, appCreated: false })
    expect(again.bytesSent).toBeLessThan(first.bytesSent / 4)
    expect(again.sha256).toBe(first.sha256)
    expect(await downloadedBytes(again.guid)).toEqual(await generatedBytes(tree))

    await writeFile(join(tree, 'assets/app.js'), 'console.log(2)\n')
    const changed = await pushPackage({ client, source: tree, appName: 'site' })
    expect(changed).toMatchObject({ filesMatched: 2, filesSent: 2 })
    expect(changed.sha256).not.toBe(first.sha256)
    expect(await downloadedBytes(changed.guid)).toEqual(await generatedBytes(tree))
  })

  it('annotates a push from a git checkout with its commit', async () => {
    const repo = await writeTree({ 'main.py': 'print(1)\n' })
    git(repo, 'init', '-q', '-b', 'release')
    git(repo, 'add', '.')
    git(repo, 'commit', '-q', '-m', 'First release\n\nWith a body.')
    const sha = git(repo, 'rev-parse', 'HEAD')
    const result = await pushPackage({ client, source: repo, appName: 'py', version: '1.2.3' })
    expect(result.annotations).toEqual({
      'packwright.dev/version': '1.2.3',
      'packwright.dev/commit-sha': sha,
      'packwright.dev/commit-message': 'First release\n\nWith a body.',
      'packwright.dev/author-name': 'Ada Author',
      'packwright.dev/author-email': 'ada@example.org',
      'packwright.dev/author-date': '2024-05-06T07:08:09+02:00',
      'packwright.dev/committer-name': 'Carl Committer',
      'packwright.dev/committer-email': 'carl@example.org',
      'packwright.dev/committer-date': '2024-05-07T10:00:00+00:00',
      'packwright.dev/branch': 'release',
    })
    const stored = await client.getPackage(result.guid)
    expect(stored.metadata.annotations).toEqual(result.annotations)
  })

  it("pushes a commit source stamped with its commit time and gets generate's bytes", async () => {
    const repo = await writeTree({ 'a.txt': 'a\n', 'lib/b.txt': noise('commit', 5000) })
    git(repo, 'init', '-q', '-b', 'main')
    git(repo, 'add', '.')
    git(repo, 'commit', '-q', '-m', 'one')
    const sha = git(repo, 'rev-parse', 'HEAD')
    const source = `git:${repo}#${sha}`
    const result = await pushPackage({ client, source, appName: 'git-app' })
    const generated = await generatedBytes(source)
    expect(result.sha256).toBe(createHash('sha256').update(generated).digest('hex'))
    expect(await downloadedBytes(result.guid)).toEqual(generated)
    // 2024-05-07T10:00:00Z, the commit time, in whole seconds.
    expect(result.annotations['packwright.dev/source-date-epoch']).toBe('1715076000')
  })

  it('reports the server reason when it fails the package', async () => {
    const strict = await startRealServer({ zipLimits: { maxEntries: 1 } })
    const strictClient = createPackwrightClient({ serverUrl: strict.url, token: WRITE_TOKEN })
    try {
      const tree = await writeTree({ 'a.txt': 'a', 'b/c.txt': 'c' })
      const error = await pushPackage({ client: strictClient, source: tree, appName: 'x' }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      )
      expect((error as PackwrightError).code).toBe('PUSH_PACKAGE_FAILED')
      expect((error as PackwrightError).message).toMatch(/FAILED\): The app upload is invalid/)
    } finally {
      await strictClient.close()
      await strict.close()
    }
  })
})
