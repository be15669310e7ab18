import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_PATH, runPackwright } from './helpers/packwright-cli.js'
import { writeTree } from './helpers/write-tree.js'

const TOKEN = 'e2e-admin-token-51c3'

interface RunningServer {
  readonly child: ChildProcess
  readonly url: string
  readonly stderr: () => string
  readonly stdout: () => string
}

/** Starts `packwright serve` on a free loopback port and waits for its URL. */
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
      if (url !== undefined) resolve({ child, url, stderr: () => stderr, stdout: () => stdout })
    })
  })
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

let work: string
let server: RunningServer
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-server-e2e-'))
  await writeTree(join(work, 'app'), {
    'package.json': '{"name":"app","version":"1.0.0"}\n',
    'src/index.js': 'console.log("hello")\n',
    'public/big.txt': 'lorem ipsum '.repeat(20_000),
  })
  server = await startServe(join(work, 'data'))
})
afterAll(async () => {
  server?.child.kill('SIGTERM')
  await rm(work, { recursive: true, force: true })
})

async function api(method: string, path: string, body?: unknown) {
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

async function upload(guid: string, form: FormData) {
  const response = await fetch(`${server.url}/v3/packages/${guid}/upload`, {
    method: 'POST',
    headers: { authorization: `bearer ${TOKEN}` },
    body: form,
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('packwright serve end to end', () => {
  it('takes a push as the cf CLI makes it and serves back the zip packwright generate makes', async () => {
    expect(server.stderr()).toContain(`data in ${join(work, 'data')}`)
    const generated = join(work, 'generated.zip')
    const run = await runPackwright(['generate', join(work, 'app'), '--out', generated])
    expect(run.code, run.stderr).toBe(0)
    const zip = await readFile(generated)

    const app = await api('POST', '/v3/apps', { name: 'e2e' })
    expect(app.status).toBe(201)
    const relationships = { app: { data: { guid: app.body.guid } } }
    const first = await api('POST', '/v3/packages', { type: 'bits', relationships })
    expect(first.body.state).toBe('AWAITING_UPLOAD')

    const inspect = await runPackwright(['inspect', generated, '--json'])
    const entries = (
      JSON.parse(inspect.stdout) as {
        entries: { path: string; kind: string; size: number; sha1: string; mode: string }[]
      }
    ).entries.filter((entry) => entry.kind === 'file')
    const descriptors = entries.map((entry) => ({
      checksum: { value: entry.sha1 },
      size_in_bytes: entry.size,
      path: entry.path,
      mode: entry.mode,
    }))
    const empty = await api('POST', '/v3/resource_matches', { resources: descriptors })
    expect(empty).toEqual({ status: 201, body: { resources: [] } })

    const form = new FormData()
    form.append('resources', '[]')
    form.append('bits', new Blob([zip], { type: 'application/octet-stream' }), 'package.zip')
    const uploaded = await upload(first.body.guid as string, form)
    expect(uploaded.status).toBe(200)
    expect(uploaded.body.state).toBe('READY')

    const download = await fetch(
      `${server.url}/v3/packages/${first.body.guid as string}/download`,
      {
        headers: { authorization: `bearer ${TOKEN}` },
      },
    )
    expect(download.status).toBe(200)
    expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(sha256(zip))

    // Every file is now pooled: a second push sends only resources.
    const matched = await api('POST', '/v3/resource_matches', { resources: descriptors })
    expect((matched.body.resources as unknown[]).length).toBe(descriptors.length)
    const second = await api('POST', '/v3/packages', { type: 'bits', relationships })
    const resourcesOnly = new FormData()
    resourcesOnly.append('resources', JSON.stringify(matched.body.resources))
    const rebuilt = await upload(second.body.guid as string, resourcesOnly)
    expect(rebuilt.body.state).toBe('READY')
    expect(rebuilt.body.data).toEqual({
      checksum: { type: 'sha256', value: sha256(zip) },
      error: null,
    })
  })

  it('logs one JSON line per request, without the token', async () => {
    // The line is written once the answer has gone out: give the last one a moment.
    const requestLines = () =>
      server
        .stdout()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.msg === 'request')
    for (let tries = 0; tries < 100 && requestLines().length < 8; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const requests = requestLines()
    expect(requests).toContainEqual(
      expect.objectContaining({
        req: expect.objectContaining({ method: 'POST', url: '/v3/apps' }) as unknown,
        res: { statusCode: 201 },
      }),
    )
    // the eight requests of the push above
    expect(requests.length).toBe(8)
    expect(server.stdout()).not.toContain(TOKEN)
  })

  it('refuses to listen beyond loopback without a token', async () => {
    const run = await runPackwright(
      ['serve', '--data', join(work, 'open'), '--host', '0.0.0.0', '--port', '0'],
      { env: { PACKWRIGHT_TOKEN: '' } },
    )
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('Refusing to listen on "0.0.0.0" without a token')
  })

  it('stops on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => server.child.on('exit', resolve))
    server.child.kill('SIGTERM')
    expect(await exited).toBe(143)
  })
})
