/**
 * The bundled action on a tag push, run as the runner runs it, against the
 * GitHub release stand-in on 127.0.0.1 (test/helpers/start-github-releases.ts
 * says where each answer's shape comes from).
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { git } from './helpers/git.js'
import { resolveNode24 } from './helpers/resolve-node24.js'
import { runBundledAction, type BundledActionResult } from './helpers/run-bundled-action.js'
import { startGitHubReleases, type GitHubReleases } from './helpers/start-github-releases.js'

const execFileAsync = promisify(execFile)

const OWNER = 'octo-org'
const REPO = 'hello-pod'
const TOKEN = 'release-e2e-token-that-must-be-masked-0'
const TAG = 'v1.2.3'

let baseDir: string
let workspace: string
let sha: string
let node24: string
let github: GitHubReleases

function tagPushEnv(): Record<string, string> {
  return {
    GITHUB_SHA: sha,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_REF: `refs/tags/${TAG}`,
    GITHUB_REF_NAME: TAG,
    GITHUB_RUN_ID: '4243',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: github.url,
  }
}

function runOnTag(inputs: Record<string, string> = {}): Promise<BundledActionResult> {
  return runBundledAction({
    node: node24,
    workspace,
    baseDir,
    githubToken: TOKEN,
    inputs: { 'upload-artifact': 'false', name: '{repo}-{ref}', ...inputs },
    env: tagPushEnv(),
  })
}

function expectSuccess(run: BundledActionResult): void {
  expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0)
  expect(run.stdout).not.toContain('::error')
}

/** The token is registered as a secret first, and shows up nowhere else. */
function expectTokenHidden(run: BundledActionResult): void {
  expect(run.stdout.startsWith(`::add-mask::${TOKEN}\n`), run.stdout.slice(0, 200)).toBe(true)
  const shown = [
    run.stdout.slice(`::add-mask::${TOKEN}\n`.length),
    run.stderr,
    run.summary,
    ...Object.values(run.outputs),
  ]
  expect(shown.filter((text) => text.includes(TOKEN))).toEqual([])
}

beforeAll(async () => {
  baseDir = await mkdtemp(join(tmpdir(), 'packwright-action-release-'))
  workspace = join(baseDir, 'workspace')
  await mkdir(join(workspace, 'app'), { recursive: true })
  await writeFile(join(workspace, 'README.md'), '# hello-pod\n')
  await writeFile(join(workspace, 'app', 'main.py'), 'print("hello")\n')
  await git(workspace, 'init', '--quiet', '--initial-branch=main')
  await git(workspace, 'add', '--all')
  await git(workspace, 'commit', '--quiet', '-m', 'first')
  sha = await git(workspace, 'rev-parse', 'HEAD')
  node24 = await resolveNode24()
  github = await startGitHubReleases({ owner: OWNER, repo: REPO, token: TOKEN })
})

afterAll(async () => {
  await github?.close()
  if (baseDir !== undefined) await rm(baseDir, { recursive: true, force: true })
})

describe('the bundled action on a tag push', () => {
  let first: BundledActionResult

  it('attaches <name>.zip, a sha256sum file that verifies it and its provenance statement to a published release', async () => {
    first = await runOnTag()
    expectSuccess(first)
    expectTokenHidden(first)

    const [release, ...others] = github.releases()
    expect(others).toEqual([])
    expect(release).toMatchObject({ tag: TAG, name: TAG, draft: false, targetCommitish: sha })
    const zipName = `${REPO}-${TAG}.zip`
    const statementName = `${REPO}-${TAG}.intoto.json`
    expect(release?.assets.map((asset) => asset.name)).toEqual([
      zipName,
      `${zipName}.sha256`,
      statementName,
    ])

    const zip = github.assetBytes(release!.id, zipName)
    const sums = github.assetBytes(release!.id, `${zipName}.sha256`)
    expect(createHash('sha256').update(zip!).digest('hex')).toBe(first.outputs['package-sha256'])
    expect(zip).toEqual(await readFile(first.outputs['package-path'] ?? ''))

    // `sha256sum -c` accepts the checksum file next to the downloaded zip.
    const downloads = await mkdtemp(join(baseDir, 'downloads-'))
    await writeFile(join(downloads, zipName), zip!)
    await writeFile(join(downloads, `${zipName}.sha256`), sums!)
    const { stdout } = await execFileAsync('sha256sum', ['-c', `${zipName}.sha256`], {
      cwd: downloads,
    })
    expect(stdout).toBe(`${zipName}: OK\n`)

    // The statement names the released zip and its sha256, and is the file the run wrote.
    const statement = github.assetBytes(release!.id, statementName)
    expect(statement).toEqual(await readFile(first.outputs['provenance-path'] ?? ''))
    const parsed = JSON.parse(statement!.toString('utf8')) as {
      _type: string
      subject: { name: string; digest: { sha256: string } }[]
      predicate: { buildDefinition: { resolvedDependencies: unknown } }
    }
    expect(parsed._type).toBe('https://in-toto.io/Statement/v1')
    expect(parsed.subject).toEqual([
      { name: zipName, digest: { sha256: first.outputs['package-sha256'] } },
    ])
    expect(parsed.predicate.buildDefinition.resolvedDependencies).toEqual([
      {
        uri: `git+https://github.com/${OWNER}/${REPO}@refs/tags/${TAG}`,
        digest: { gitCommit: sha },
      },
    ])
    expect(statement!.toString('utf8')).not.toContain(TOKEN)

    expect(first.outputs).toMatchObject({
      'release-id': String(release!.id),
      'release-url': `https://github.com/${OWNER}/${REPO}/releases/tag/${TAG}`,
      'asset-url': `https://github.com/${OWNER}/${REPO}/releases/download/${TAG}/${zipName}`,
      'checksum-asset-url': `https://github.com/${OWNER}/${REPO}/releases/download/${TAG}/${zipName}.sha256`,
      'provenance-asset-url': `https://github.com/${OWNER}/${REPO}/releases/download/${TAG}/${statementName}`,
    })
    expect(first.summary).toContain(
      `<a href="https://github.com/${OWNER}/${REPO}/releases/tag/${TAG}">${TAG} (id ${release!.id})</a>`,
    )
    expect(first.summary).toContain('<td>published</td>')
    expect(first.summary).toContain(
      `<a href="https://github.com/${OWNER}/${REPO}/releases/download/${TAG}/${statementName}">${statementName}</a>`,
    )
  })

  it('changes nothing, duplicates nothing and fails nothing on a second run of the tag', async () => {
    const before = github.requests.length
    const assetIds = github.releases()[0]?.assets.map((asset) => asset.id)

    const second = await runOnTag()

    expectSuccess(second)
    expectTokenHidden(second)
    const writes = github.requests.slice(before).filter((request) => request.method !== 'GET')
    expect(writes).toEqual([])
    expect(github.releases()).toHaveLength(1)
    expect(github.releases()[0]?.assets.map((asset) => asset.id)).toEqual(assetIds)
    expect(second.outputs['package-sha256']).toBe(first.outputs['package-sha256'])
    expect(second.outputs['asset-url']).toBe(first.outputs['asset-url'])
    expect(await readFile(second.outputs['provenance-path'] ?? '')).toEqual(
      await readFile(first.outputs['provenance-path'] ?? ''),
    )
    expect(second.summary).toContain('(unchanged)')
  })

  it('fails naming contents: write when the token cannot write releases, leaving no release', async () => {
    const other = await startGitHubReleases({ owner: OWNER, repo: REPO, token: TOKEN })
    other.fail({
      method: 'POST',
      path: /\/releases$/,
      status: 403,
      body: { message: 'Resource not accessible by integration', status: '403' },
    })
    try {
      const denied = await runBundledAction({
        node: node24,
        workspace,
        baseDir,
        githubToken: TOKEN,
        inputs: { 'upload-artifact': 'false' },
        env: { ...tagPushEnv(), GITHUB_API_URL: other.url },
      })
      expect(denied.exitCode).toBe(1)
      expect(denied.stdout).toContain(
        `::error::[RELEASE_PERMISSION_DENIED] Could not create the release for tag ${TAG}: GitHub answered 403 Resource not accessible by integration.`,
      )
      expect(denied.stdout).toContain('permissions: contents: write')
      expect(denied.stdout).not.toMatch(/\n\s+at .*\.js:\d+/)
      expect(other.releases()).toEqual([])
      expectTokenHidden(denied)
    } finally {
      await other.close()
    }
  })

  it('ends two matrix jobs running at once on one published release with all their files', async () => {
    const matrix = await startGitHubReleases({ owner: OWNER, repo: REPO, token: TOKEN })
    try {
      const job = (os: string) =>
        runBundledAction({
          node: node24,
          workspace,
          baseDir,
          githubToken: TOKEN,
          inputs: { 'upload-artifact': 'false', name: `{repo}-${os}-{ref}` },
          env: { ...tagPushEnv(), GITHUB_API_URL: matrix.url },
        })
      const [linux, mac] = await Promise.all([job('linux'), job('mac')])

      expectSuccess(linux)
      expectSuccess(mac)
      const releases = matrix.releases()
      expect(releases).toHaveLength(1)
      expect(releases[0]?.draft).toBe(false)
      expect(linux.outputs['release-id']).toBe(String(releases[0]?.id))
      expect(mac.outputs['release-id']).toBe(String(releases[0]?.id))
      expect(releases[0]?.assets.map((asset) => asset.name).sort()).toEqual([
        `${REPO}-linux-${TAG}.intoto.json`,
        `${REPO}-linux-${TAG}.zip`,
        `${REPO}-linux-${TAG}.zip.sha256`,
        `${REPO}-mac-${TAG}.intoto.json`,
        `${REPO}-mac-${TAG}.zip`,
        `${REPO}-mac-${TAG}.zip.sha256`,
      ])
    } finally {
      await matrix.close()
    }
  })

  it('leaves the release alone on a branch push (release: auto)', async () => {
    const before = github.requests.length
    const onBranch = await runBundledAction({
      node: node24,
      workspace,
      baseDir,
      githubToken: TOKEN,
      inputs: { 'upload-artifact': 'false' },
      env: { ...tagPushEnv(), GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main' },
    })
    expectSuccess(onBranch)
    expect(github.requests.length).toBe(before)
    expect(onBranch.outputs['release-id']).toBeUndefined()
  })
})
