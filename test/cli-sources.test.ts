import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { git } from './helpers/git.js'
import { runPackwright } from './helpers/packwright-cli.js'
import { startGitHubApi, type GitHubApi } from './helpers/start-github-api.js'
import { writeTree } from './helpers/write-tree.js'

const TOKEN = 'cli-fixture-token-that-must-not-leak'

let work: string
let repoDir: string
let sha: string
let api: GitHubApi

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-cli-sources-'))
  repoDir = join(work, 'repo')
  await writeTree(repoDir, {
    'pods/shop/spicepod.yaml':
      'version: v1\nkind: Spicepod\nname: shop\ndatasets:\n  - from: file:data/orders.csv\n    name: orders\n',
    'pods/shop/data/orders.csv': 'id,amount\n1,9.50\n',
    'pods/shop/notes.txt': 'not linked, not packaged\n',
    'tools/run.sh': { content: '#!/bin/sh\necho run\n', executable: true },
  })
  await git(repoDir, 'init', '--quiet', '--initial-branch=main')
  await git(repoDir, 'add', '--all')
  await git(repoDir, 'commit', '--quiet', '-m', 'first')
  sha = await git(repoDir, 'rev-parse', 'HEAD')
  // The working tree moves on after the commit; packages must not see it.
  await writeFile(join(repoDir, 'pods/shop/data/orders.csv'), 'id,amount\n1,999.00\n')
  api = await startGitHubApi({ repoDir, owner: 'acme', repo: 'shop', token: TOKEN })
})

afterAll(async () => {
  await api.close()
  await rm(work, { recursive: true, force: true })
})

interface GenerateJson {
  sha256: string
  entries: { path: string; mode: string }[]
}

async function generate(
  source: string,
  out: string,
  env: NodeJS.ProcessEnv = {},
  extra: string[] = [],
) {
  const run = await runPackwright(
    ['generate', source, '--out', join(work, out), '--json', ...extra],
    { env },
  )
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  return { json: JSON.parse(run.stdout) as GenerateJson, stdout: run.stdout }
}

describe('packwright generate from commits', () => {
  it('packages the same bytes from the git object database and over the REST API', async () => {
    const fromGit = await generate(`git:${repoDir}#${sha}:pods/shop/spicepod.yaml`, 'git.zip')
    expect(fromGit.json.entries.map((e) => e.path)).toEqual(['data/orders.csv', 'spicepod.yaml'])

    const fromApi = await generate(
      `github:acme/shop/${sha}/pods/shop/spicepod.yaml`,
      'api.zip',
      { GITHUB_TOKEN: TOKEN },
      ['--github-api-url', api.url],
    )
    expect(fromApi.json.sha256).toBe(fromGit.json.sha256)
    expect(api.requests.length).toBeGreaterThan(0)
    expect(api.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true)
    expect(fromApi.stdout).not.toContain(TOKEN)
  })

  it('packages the committed tree of a folder, not the working tree', async () => {
    const committed = await generate(`git:${repoDir}#${sha}`, 'tree.zip')
    expect(committed.json.entries).toContainEqual(
      expect.objectContaining({ path: 'tools/run.sh', mode: '755' }),
    )
    const again = await generate(`git:${repoDir}#${sha}`, 'tree-again.zip')
    expect(again.json.sha256).toBe(committed.json.sha256)
    const workingTree = await generate(repoDir, 'working.zip', {}, ['--exclude', '.git'])
    expect(workingTree.json.sha256).not.toBe(committed.json.sha256)
  })

  it('says which credential failed without printing it', async () => {
    const run = await runPackwright(
      [
        'generate',
        `github:acme/shop/${sha}/pods/shop/spicepod.yaml`,
        '--out',
        join(work, 'x.zip'),
        '--github-api-url',
        api.url,
      ],
      { env: { GITHUB_TOKEN: 'wrong-token-value' } },
    )
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^error \[GITHUB_AUTH_FAILED\]: /)
    expect(run.stderr).not.toContain('wrong-token-value')
  })
})
