import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { actionDependencyDir } from './helpers/action-dependency.js'
import { actionsRuntimeToken } from './helpers/actions-runtime-token.js'
import { resolveNode24 } from './helpers/resolve-node24.js'
import {
  REPO_ROOT,
  runBundledAction,
  type BundledActionResult,
} from './helpers/run-bundled-action.js'
import { startAzurite, type Azurite } from './helpers/start-azurite.js'
import { git } from './helpers/git.js'
import { startGitHubApi, type GitHubApi } from './helpers/start-github-api.js'
import { startResultsService, type ResultsService } from './helpers/start-results-service.js'

const execFileAsync = promisify(execFile)

async function sha256Of(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex')
}

/** The part of `@actions/artifact` the test uses (it is a dependency of the action, not of this package). */
interface ArtifactModule {
  DefaultArtifactClient: new () => {
    downloadArtifact(
      artifactId: number,
      options: { path: string; skipDecompress: boolean; expectedHash: string },
    ): Promise<{ downloadPath?: string; digestMismatch?: boolean }>
  }
}

/** The real artifact client, the one bundled into the action. */
async function loadArtifactClient(): Promise<ArtifactModule> {
  const main = join(actionDependencyDir('@actions/artifact'), 'lib', 'artifact.js')
  return (await import(pathToFileURL(main).href)) as ArtifactModule
}

const REPOSITORY = 'octo-org/hello-pod'
const TOKEN = 'e2e-token-that-must-be-masked-000'

let baseDir: string
let workspace: string
let sha: string
let node24: string
let azurite: Azurite | undefined
let results: ResultsService | undefined
let githubApi: GitHubApi | undefined

function runnerEnv(runId: string): Record<string, string> {
  if (results === undefined) throw new Error('the results service is not running')
  return {
    GITHUB_SHA: sha,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_RUN_ID: '4242',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9/unreachable',
    ACTIONS_RUNTIME_TOKEN: actionsRuntimeToken(runId, 'job1'),
    ACTIONS_RESULTS_URL: results.url,
    ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY: '1',
  }
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
  baseDir = await mkdtemp(join(tmpdir(), 'packwright-action-e2e-'))
  workspace = join(baseDir, 'workspace')
  await mkdir(join(workspace, 'app', 'bin'), { recursive: true })
  await mkdir(join(workspace, 'data'), { recursive: true })
  await writeFile(join(workspace, 'README.md'), '# hello-pod\n')
  await writeFile(join(workspace, 'app', 'main.py'), 'print("hello")\n'.repeat(200))
  await writeFile(join(workspace, 'app', 'bin', 'run.sh'), '#!/bin/sh\nexec python3 app/main.py\n')
  await chmod(join(workspace, 'app', 'bin', 'run.sh'), 0o755)
  await writeFile(join(workspace, 'data', 'rows.csv'), 'id,name\n1,a\n2,b\n')
  await git(workspace, 'init', '--quiet', '--initial-branch=main')
  await git(workspace, 'add', '--all')
  await git(workspace, 'commit', '--quiet', '-m', 'first')
  sha = await git(workspace, 'rev-parse', 'HEAD')
  // Uncommitted edits must not reach the package: it is the commit that is packaged.
  await writeFile(join(workspace, 'README.md'), '# edited, not committed\n')
  await writeFile(join(workspace, 'untracked.txt'), 'not committed\n')

  node24 = await resolveNode24()
  azurite = await startAzurite()
  results = await startResultsService({ blobEndpoint: azurite.blobEndpoint })
  const [owner = '', repo = ''] = REPOSITORY.split('/')
  githubApi = await startGitHubApi({ repoDir: workspace, owner, repo, token: TOKEN })
})

afterAll(async () => {
  vi.unstubAllEnvs()
  await githubApi?.close()
  await results?.close()
  await azurite?.stop()
  if (baseDir !== undefined) await rm(baseDir, { recursive: true, force: true })
})

describe('the bundled action', () => {
  let first: BundledActionResult

  it('packages the commit under Node 24 and uploads the zip as the artifact', async () => {
    first = await runBundledAction({
      node: node24,
      workspace,
      baseDir,
      githubToken: TOKEN,
      inputs: { name: 'hello-{ref}-{sha7}', 'retention-days': '3' },
      env: runnerEnv('run1'),
    })
    expectSuccess(first)
    expectTokenHidden(first)

    const { outputs } = first
    const packagePath = outputs['package-path'] ?? ''
    expect(packagePath.startsWith(first.runnerTemp)).toBe(true)
    const digest = await sha256Of(packagePath)
    expect(outputs['package-sha256']).toBe(digest)
    expect(outputs['package-size']).toBe(String((await stat(packagePath)).size))
    expect(outputs['file-count']).toBe('4')
    expect(outputs['artifact-name']).toBe(`hello-main-${sha.slice(0, 7)}.zip`)
    expect(outputs['artifact-digest']).toBe(digest)
    expect(outputs['artifact-url']).toBe(
      `https://github.com/${REPOSITORY}/actions/runs/4242/artifacts/${outputs['artifact-id']}`,
    )

    const { stdout: listing } = await execFileAsync('unzip', ['-Z1', packagePath])
    expect(listing.split('\n').filter((line) => !line.endsWith('/') && line !== '')).toEqual([
      'README.md',
      'app/bin/run.sh',
      'app/main.py',
      'data/rows.csv',
    ])
    const { stdout: readme } = await execFileAsync('unzip', ['-p', packagePath, 'README.md'])
    expect(readme).toBe('# hello-pod\n')

    const stored = results?.artifacts() ?? []
    expect(stored).toHaveLength(1)
    expect(stored[0]).toMatchObject({
      name: `hello-main-${sha.slice(0, 7)}.zip`,
      id: Number(outputs['artifact-id']),
      digest: `sha256:${digest}`,
      size: Number(outputs['package-size']),
      mimeType: 'application/zip',
    })
    const daysKept = (Date.parse(stored[0]?.expiresAt ?? '') - Date.now()) / 86_400_000
    expect(daysKept).toBeGreaterThan(2.9)
    expect(daysKept).toBeLessThan(3.1)
  })

  it('downloads back byte for byte, with the package digest', async () => {
    if (results === undefined) throw new Error('the results service is not running')
    vi.stubEnv('ACTIONS_RUNTIME_TOKEN', actionsRuntimeToken('run1', 'job1'))
    vi.stubEnv('ACTIONS_RESULTS_URL', results.url)
    vi.stubEnv('GITHUB_SERVER_URL', 'https://github.com')
    const { DefaultArtifactClient } = await loadArtifactClient()
    const downloadDir = join(baseDir, 'download')
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const downloaded = await new DefaultArtifactClient()
      .downloadArtifact(Number(first.outputs['artifact-id']), {
        path: downloadDir,
        skipDecompress: true,
        expectedHash: `sha256:${first.outputs['package-sha256']}`,
      })
      .finally(() => write.mockRestore())

    expect(downloaded.digestMismatch).toBe(false)
    const file = join(downloadDir, first.outputs['artifact-name'] ?? '')
    expect(await readFile(file)).toEqual(await readFile(first.outputs['package-path'] ?? ''))
  })

  it('writes a job summary with the package table and largest files', () => {
    const { summary, outputs } = first
    expect(summary).toContain('<table>')
    expect(summary).toContain(`<code>${outputs['package-sha256']}</code>`)
    expect(summary).toContain(`(${outputs['package-size']} bytes)`)
    expect(summary).toContain(`<a href="${outputs['artifact-url']}">`)
    expect(summary).toMatch(
      /<details><summary>Largest files \(4 of 4\)<\/summary><ol><li><code>app\/main\.py<\/code>/,
    )
  })

  it('fails a second upload of the same name before packaging, naming the artifact', async () => {
    const second = await runBundledAction({
      node: node24,
      workspace,
      baseDir,
      githubToken: TOKEN,
      inputs: { name: 'hello-{ref}-{sha7}' },
      env: runnerEnv('run1'),
    })
    expect(second.exitCode).toBe(1)
    expect(second.stdout).toContain(
      `::error::[ARTIFACT_NAME_TAKEN] An artifact named "hello-main-${sha.slice(0, 7)}.zip" already exists in this workflow run (id ${first.outputs['artifact-id']}); nothing was packaged.`,
    )
    expect(second.stdout).toContain('Set `overwrite: true` to replace it')
    expect(second.stdout).not.toMatch(/\n\s+at .*\.js:\d+/)
    expect(second.stdout).not.toContain('Packaging')
    expect(second.outputs).toEqual({})
    expect(await readdir(second.runnerTemp)).toEqual([])
    expect(results?.artifacts()).toHaveLength(1)
    expectTokenHidden(second)
  })

  it('prints the package result once, and only warns when the job summary cannot be written', async () => {
    // One result line from the packaging; the artifact client reports the digest it uploaded on its own.
    const digestLines = first.stdout
      .split('\n')
      .filter((line) => line.includes(first.outputs['package-sha256'] ?? ''))
      .filter((line) => !line.startsWith('SHA256 digest of uploaded artifact'))
    expect(digestLines).toEqual([expect.stringMatching(/^Wrote .*, sha256 [0-9a-f]{64}\.$/)])

    const noSummary = await runBundledAction({
      node: node24,
      workspace,
      baseDir,
      githubToken: TOKEN,
      inputs: { 'upload-artifact': 'false' },
      env: { ...runnerEnv('run5'), GITHUB_STEP_SUMMARY: '' },
    })
    expectSuccess(noSummary)
    expect(noSummary.stdout).toContain('::warning::The job summary was not written: ')
    expect(noSummary.outputs['package-sha256']).toBe(first.outputs['package-sha256'])
  })

  it('leaves no packwright-* folder in RUNNER_TEMP when packaging fails', async () => {
    const failed = await runBundledAction({
      node: node24,
      workspace,
      baseDir,
      githubToken: TOKEN,
      inputs: { path: 'nope', 'upload-artifact': 'false' },
      env: runnerEnv('run6'),
    })
    expect(failed.exitCode).toBe(1)
    expect(failed.stdout).toContain(
      `::error::[SOURCE_NOT_FOUND] \`path\` "nope" does not exist in commit ${sha}.`,
    )
    expect(await readdir(failed.runnerTemp)).toEqual([])
  })

  it('replaces the artifact with overwrite: true', async () => {
    const callsBefore = results?.calls.length ?? 0
    const replaced = await runBundledAction({
      node: node24,
      workspace,
      baseDir,
      githubToken: TOKEN,
      inputs: { name: 'hello-{ref}-{sha7}', overwrite: 'true' },
      env: runnerEnv('run1'),
    })
    expectSuccess(replaced)
    const stored = results?.artifacts() ?? []
    expect(stored).toHaveLength(1)
    expect(stored[0]?.id).toBe(Number(replaced.outputs['artifact-id']))
    expect(replaced.outputs['artifact-id']).not.toBe(first.outputs['artifact-id'])
    expect(replaced.outputs['artifact-digest']).toBe(first.outputs['package-sha256'])
    // The old artifact is looked up and deleted first, then the new one is created.
    expect(results?.calls.slice(callsBefore).map((call) => call.method)).toEqual([
      'ListArtifacts',
      'DeleteArtifact',
      'CreateArtifact',
      'FinalizeArtifact',
    ])
  })

  it('runs under the machine Node too, producing the same package', async () => {
    const onHost = await runBundledAction({
      node: process.execPath,
      workspace,
      baseDir,
      githubToken: TOKEN,
      env: runnerEnv('run2'),
    })
    expectSuccess(onHost)
    expect(onHost.outputs['artifact-name']).toBe(`hello-pod-${sha.slice(0, 7)}.zip`)
    expect(onHost.outputs['package-sha256']).toBe(first.outputs['package-sha256'])
    expect(onHost.outputs['artifact-digest']).toBe(first.outputs['package-sha256'])
  })

  it('reads the commit through the REST API without a checkout, to the same package', async () => {
    if (githubApi === undefined) throw new Error('the GitHub API stand-in is not running')
    const emptyWorkspace = await mkdtemp(join(baseDir, 'no-checkout-'))
    const viaApi = await runBundledAction({
      node: node24,
      workspace: emptyWorkspace,
      baseDir,
      githubToken: TOKEN,
      env: { ...runnerEnv('run4'), GITHUB_API_URL: githubApi.url },
    })
    expectSuccess(viaApi)
    expect(viaApi.stdout).toContain('through the GitHub REST API')
    expect(viaApi.outputs['package-sha256']).toBe(first.outputs['package-sha256'])
    expect(viaApi.outputs['artifact-digest']).toBe(first.outputs['package-sha256'])
    const paths = githubApi.requests.map((request) => request.path)
    expect(paths).toContain(`/repos/${REPOSITORY}/commits/${sha}`)
    // One blob request per file: the bytes come from the API, not from a local folder.
    expect(paths.filter((path) => path.includes('/git/blobs/'))).toHaveLength(4)
    expect(githubApi.requests.every((request) => request.authorization === `Bearer ${TOKEN}`)).toBe(
      true,
    )
    expectTokenHidden(viaApi)
  })

  it('fails listing every bad input, before packaging', async () => {
    const bad = await runBundledAction({
      node: node24,
      workspace,
      baseDir,
      inputs: { 'compression-level': '12', 'if-empty': 'ignore', name: 'a:b' },
      env: runnerEnv('run3'),
    })
    expect(bad.exitCode).toBe(1)
    expect(bad.stdout).toContain('::error::[ACTION_INPUT_INVALID] Invalid inputs:')
    for (const input of ['compression-level', 'if-empty', 'name']) {
      expect(bad.stdout).toContain(`\`${input}\``)
    }
    expect(bad.outputs).toEqual({})
  })

  it('packages the same bytes as the CLI for the same commit', async () => {
    const cli = join(REPO_ROOT, 'packages', 'cli', 'dist', 'main.js')
    if (!existsSync(cli)) throw new Error(`the CLI is not built: ${cli}`)
    const { stdout } = await execFileAsync(process.execPath, [
      cli,
      'generate',
      `git:${workspace}#${sha}`,
      '--out',
      join(baseDir, 'cli-package.zip'),
      '--json',
    ])
    const result = JSON.parse(stdout) as { sha256: string }
    expect(result.sha256).toBe(first.outputs['package-sha256'])
    expect(await sha256Of(join(baseDir, 'cli-package.zip'))).toBe(result.sha256)
  })
})
