import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { git } from './helpers/git.js'
import { CLI_PATH, runPackwright } from './helpers/packwright-cli.js'
import { writeTree } from './helpers/write-tree.js'

const TOKEN = 'e2e-codenow-token-6d20'
const MEDIA_TYPE = 'application/vnd.codenow.v1+json'

interface RunningServer {
  readonly child: ChildProcess
  readonly url: string
  readonly stdout: () => string
}

/** Starts `packwright serve` on a free loopback port; PACKWRIGHT_TOKEN is also a CodeNOW key. */
function startServe(dataFolder: string): Promise<RunningServer> {
  const child = spawn(
    process.execPath,
    [CLI_PATH, 'serve', '--data', dataFolder, '--port', '0', '--host', '127.0.0.1'],
    { env: { ...process.env, PACKWRIGHT_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stderr = ''
  let stdout = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1]
      if (url !== undefined) resolve({ child, url, stdout: () => stdout })
    })
  })
}

interface Commit {
  readonly sha: string
  readonly message: string
  readonly authorName: string
  readonly authorEmail: string
  readonly authorDate: string
}

/** A real repository with one commit by `author`, on `branch`. */
async function commitApp(
  dir: string,
  branch: string,
  files: Record<string, string>,
  author: { name: string; email: string; date: string },
  message: string,
): Promise<Commit> {
  await writeTree(dir, files)
  await git(dir, 'init', '--quiet', `--initial-branch=${branch}`)
  await git(dir, 'add', '.')
  await git(
    dir,
    'commit',
    '--quiet',
    `--author=${author.name} <${author.email}>`,
    `--date=${author.date}`,
    '-m',
    message,
  )
  return {
    sha: await git(dir, 'rev-parse', 'HEAD'),
    message,
    authorName: author.name,
    authorEmail: author.email,
    authorDate: await git(dir, 'log', '-1', '--format=%aI'),
  }
}

let work: string
let server: RunningServer
let web: Commit
let api: Commit
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-codenow-e2e-'))
  web = await commitApp(
    join(work, 'web'),
    'main',
    { 'index.html': '<h1>Shop</h1>\n', 'app.js': 'console.log("web")\n' },
    { name: 'Ada Lovelace', email: 'ada@example.test', date: '2024-05-06T09:08:09+02:00' },
    'Add the checkout page\n\nThe cart now leads somewhere.',
  )
  api = await commitApp(
    join(work, 'api'),
    'release',
    { 'server.js': 'console.log("api")\n', 'package.json': '{"name":"api"}\n' },
    { name: 'Grace Hopper', email: 'grace@example.test', date: '2024-04-01T10:00:00Z' },
    'Serve orders',
  )
  server = await startServe(join(work, 'data'))
})
afterAll(async () => {
  server?.child.kill('SIGTERM')
  await rm(work, { recursive: true, force: true })
})

async function cf(method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

async function codenow(method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      'x-codenow-api-key': TOKEN,
      ...(body === undefined ? {} : { 'content-type': MEDIA_TYPE }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: await response.json(),
  }
}

/**
 * Pushes a checkout with `packwright push --version`: push packages the
 * folder and annotates the package with the commit at its HEAD.
 */
async function push(name: string, dir: string, version: string): Promise<string> {
  const run = await runPackwright(
    ['push', dir, '--server', server.url, '--app', name, '--version', version, '--json'],
    { env: { PACKWRIGHT_TOKEN: TOKEN } },
  )
  expect(run.code, run.stderr).toBe(0)
  const result = JSON.parse(run.stdout) as { guid: string; state: string }
  expect(result.state).toBe('READY')
  return result.guid
}

describe('CodeNOW application packages end to end', () => {
  it('builds an application package from two pushed apps, each component with its commit', async () => {
    const webPackage = await push('web', join(work, 'web'), '1.4.0')
    await push('api', join(work, 'api'), '2.0.1')
    const stored = await cf('GET', `/v3/packages/${webPackage}`)
    expect(
      (stored.body.metadata as { annotations: Record<string, string> }).annotations,
    ).toMatchObject({
      'packwright.dev/version': '1.4.0',
      'packwright.dev/commit-sha': web.sha,
      'packwright.dev/author-name': 'Ada Lovelace',
    })

    const application = await codenow('POST', '/applications', { id: 'store', name: 'Store' })
    expect(application).toMatchObject({ status: 200, body: { id: 'store', name: 'Store' } })

    const created = await codenow('POST', '/applications/store/packages', {
      version: '2024.5.0',
      components: [
        { componentId: 'web', version: '1.4.0' },
        { componentId: 'api', version: '2.0.1' },
      ],
      labels: [{ color: 'green', text: 'end to end' }],
    })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    expect(created.contentType).toMatch(/^application\/vnd\.codenow\.v1\+json/)
    // The committer is the identity and date every test repository commits with.
    const committer = {
      name: 'Test',
      email: 'test@example.test',
      date: '2024-05-06T07:08:09+00:00',
    }
    const body = created.body as { labels: { id: string }[] }
    expect(body).toEqual({
      version: '2024.5.0',
      applicationId: 'store',
      basePackageVersion: null,
      archived: false,
      preview: false,
      components: [
        {
          componentId: 'web',
          version: '1.4.0',
          dockerImage: '',
          deleted: false,
          branch: 'main',
          commit: {
            id: web.sha,
            shortId: web.sha.slice(0, 7),
            message: web.message,
            author: { name: web.authorName, email: web.authorEmail, date: web.authorDate },
            committer,
          },
          partOfBasePackage: null,
        },
        {
          componentId: 'api',
          version: '2.0.1',
          dockerImage: '',
          deleted: false,
          branch: 'release',
          commit: {
            id: api.sha,
            shortId: api.sha.slice(0, 7),
            message: api.message,
            author: { name: api.authorName, email: api.authorEmail, date: api.authorDate },
            committer,
          },
          partOfBasePackage: null,
        },
      ],
      labels: [{ id: body.labels[0]?.id, text: 'end to end', color: 'green' }],
    })
    expect(web.authorDate).toBe('2024-05-06T09:08:09+02:00')

    const listed = await codenow('GET', '/applications/store/packages?expand=components,labels')
    expect(listed.body).toEqual([created.body])
    const one = await codenow('GET', '/applications/store/packages/2024.5.0')
    expect(one.body).toEqual(created.body)

    const unknown = await codenow('POST', '/applications/store/packages', {
      version: '2024.6.0',
      components: [{ componentId: 'web', version: '9.9.9' }],
    })
    expect(unknown.status).toBe(404)
  })

  it('never writes the key to the log', async () => {
    // A line is written once its answer has gone out: give the last ones a moment.
    for (let tries = 0; tries < 100 && !server.stdout().includes('"statusCode":404'); tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(server.stdout()).toContain('/applications/store/packages/2024.5.0')
    expect(server.stdout()).not.toContain(TOKEN)
  })
})
