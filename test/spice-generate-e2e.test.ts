import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { git } from './helpers/git.js'
import { CLI_PATH, runPackwright } from './helpers/packwright-cli.js'
import { type GitHubApi, startGitHubApi } from './helpers/start-github-api.js'
import { writeTree } from './helpers/write-tree.js'

const GITHUB_TOKEN = 'e2e-spice-token-that-must-never-leak-0123'
const SERVER_TOKEN = 'server-admin-token-for-spice-e2e'
const SPICE_FROM_INVALID =
  'Invalid `from` field, specify a github source and retry (e.g. github:{org}/{repo}/{sha}/{path_to_spicepod.yaml})'

let work: string
let sha: string
let api: GitHubApi
let serve: { child: ChildProcess; url: string; stdout: () => string; stderr: () => string }

/** Starts `packwright serve` with a config file; its log lines (JSON) go to stdout. */
function startServe(dataFolder: string, config: string): Promise<typeof serve> {
  const child = spawn(
    process.execPath,
    [CLI_PATH, 'serve', '--data', dataFolder, '--port', '0', '--config', config],
    {
      env: { ...process.env, PACKWRIGHT_TOKEN: SERVER_TOKEN, GITHUB_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)))
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1]
      if (url !== undefined) resolve({ child, url, stdout: () => stdout, stderr: () => stderr })
    })
  })
}

async function stopServe(): Promise<void> {
  const { child } = serve
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  await exited
}

function generate(params: Record<string, string>, path = 'spicepod.yaml', from?: string) {
  return fetch(`${serve.url}/v1/packages/generate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SERVER_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ from: from ?? `github:acme/pods/${sha}/${path}`, params }),
  })
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-spice-e2e-'))
  const repoDir = join(work, 'repo')
  await writeTree(repoDir, {
    'spicepod.yaml': [
      'version: v1',
      'kind: Spicepod',
      'name: trips',
      'dependencies:',
      '  - acme/weather',
      'datasets:',
      '  - from: file:data/trips.csv',
      '    name: trips',
      '  - ref: datasets/zones',
      'views:',
      '  - name: busy',
      '    sql_ref: views/busy.sql',
      '',
    ].join('\n'),
    'data/trips.csv': 'id,minutes\n1,12\n2,31\n',
    'datasets/zones/dataset.yaml': 'from: file:data/zones\nname: zones\n',
    'data/zones/north.csv': 'zone\nnorth\n',
    'data/zones/south.csv': 'zone\nsouth\n',
    'views/busy.sql': 'select * from trips where minutes > 30\n',
    'spicepods/acme/weather/spicepod.yaml':
      'version: v1\nkind: Spicepod\nname: weather\ndatasets:\n  - from: file:rain.csv\n    name: rain\n',
    'spicepods/acme/weather/rain.csv': 'day,mm\n1,3\n',
    'README.md': 'not linked, not packaged\n',
  })
  await git(repoDir, 'init', '--quiet', '--initial-branch=main')
  await git(repoDir, 'add', '--all')
  await git(repoDir, 'commit', '--quiet', '-m', 'pods')
  sha = await git(repoDir, 'rev-parse', 'HEAD')
  api = await startGitHubApi({ repoDir, owner: 'acme', repo: 'pods', token: GITHUB_TOKEN })
  const tokenFile = join(work, 'github-token')
  await writeFile(tokenFile, `${GITHUB_TOKEN}\n`)
  const config = join(work, 'server.json')
  await writeFile(
    config,
    JSON.stringify({ spice: { githubApiUrl: api.url, githubTokenFile: tokenFile } }),
  )
  serve = await startServe(join(work, 'data'), config)
})

afterAll(async () => {
  if (serve !== undefined) await stopServe()
  await api?.close()
  await rm(work, { recursive: true, force: true })
})

describe('POST /v1/packages/generate through packwright serve', () => {
  it('answers the bytes `packwright generate github:…` writes, with their sha256', async () => {
    const out = join(work, 'cli.zip')
    const cli = await runPackwright(
      [
        'generate',
        `github:acme/pods/${sha}/spicepod.yaml`,
        '--github-api-url',
        api.url,
        '--out',
        out,
      ],
      { env: { GITHUB_TOKEN } },
    )
    expect(cli.stderr).toBe('')
    expect(cli.code).toBe(0)
    const cliBytes = await readFile(out)
    const cliSha256 = createHash('sha256').update(cliBytes).digest('hex')
    expect(cli.stdout).toContain(cliSha256)

    const response = await generate({ github_token: GITHUB_TOKEN })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/zip')
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="pods-${sha}.zip"`,
    )
    const bytes = Buffer.from(await response.arrayBuffer())
    expect(bytes.equals(cliBytes)).toBe(true)
    expect(response.headers.get('x-package-sha256')).toBe(cliSha256)
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(cliSha256)

    // The server's own token (from the config's token file) serves a request naming none.
    const withDefault = await generate({})
    expect(withDefault.status).toBe(200)
    expect(Buffer.from(await withDefault.arrayBuffer()).equals(cliBytes)).toBe(true)
  })

  it("answers 400 with Spice's text and 500 with Spice's first sentence, in {error, code}", async () => {
    const invalid = await generate({}, '', 'https://github.com/acme/pods')
    expect(invalid.status).toBe(400)
    expect(await invalid.json()).toEqual({ error: SPICE_FROM_INVALID, code: 'SOURCE_SPEC_INVALID' })

    const missing = await generate({ github_token: GITHUB_TOKEN }, 'pods/none/spicepod.yaml')
    expect(missing.status).toBe(500)
    const answer = (await missing.json()) as { error: string; code: string }
    expect(answer.error).toMatch(/^Failed to read object from object store\. /)
    expect(answer.code).toBe('SPICEPOD_READ_FAILED')

    const refused = await generate({ github_token: 'not-the-right-token' })
    expect(refused.status).toBe(500)
    expect(((await refused.json()) as { code: string }).code).toBe('GITHUB_AUTH_FAILED')
  })

  it('never lets the GitHub token out: not in logs, answers or storage; GitHub alone gets it', async () => {
    const failed = await generate({ github_token: GITHUB_TOKEN }, 'absent.yaml')
    const failedText = await failed.text()
    expect(failedText).not.toContain(GITHUB_TOKEN)
    expect(JSON.stringify([...failed.headers])).not.toContain(GITHUB_TOKEN)
    await stopServe()
    const log = serve.stdout()
    expect(log).toContain('/v1/packages/generate')
    expect(log).toContain('spice package generated')
    expect(log).not.toContain(GITHUB_TOKEN)
    expect(log).not.toContain(SERVER_TOKEN)
    expect(serve.stderr()).not.toContain(GITHUB_TOKEN)
    const data = join(work, 'data')
    for (const name of await readdir(data, { recursive: true })) {
      const content = await readFile(join(data, name)).catch(() => Buffer.alloc(0))
      expect(content.includes(GITHUB_TOKEN), name).toBe(false)
    }
    // Every request GitHub's stand-in saw carried it, as a bearer token, or the wrong one on purpose.
    expect(api.requests.length).toBeGreaterThan(0)
    for (const request of api.requests) {
      expect([`Bearer ${GITHUB_TOKEN}`, 'Bearer not-the-right-token']).toContain(
        request.authorization,
      )
    }
  })
})
