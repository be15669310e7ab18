import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPackwrightClient } from '@packwright/client'
import { openZip } from '@packwright/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runPackwright } from './helpers/packwright-cli.js'
import { type ServeProcess, startPackwrightServe } from './helpers/packwright-serve.js'
import {
  type ProxiedRequest,
  type RecordingProxy,
  multipartParts,
  startRecordingProxy,
} from './helpers/start-recording-proxy.js'
import { writeTree } from './helpers/write-tree.js'

const TOKEN = 'e2e-push-token-9d41c'

/** `size` bytes deflate cannot shrink, the same on every run. */
function noise(seed: string, size: number): Buffer {
  const blocks: Buffer[] = []
  for (let index = 0; blocks.length * 32 < size; index++) {
    blocks.push(createHash('sha256').update(`${seed}:${index}`).digest())
  }
  return Buffer.concat(blocks).subarray(0, size)
}

interface PushJson {
  guid: string
  state: string
  sha256: string
  files: number
  bytesSent: number
  filesMatched: number
  filesSent: number
}

let work: string
let serve: ServeProcess
let proxy: RecordingProxy

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-cli-push-'))
  serve = await startPackwrightServe(join(work, 'data'), TOKEN)
  proxy = await startRecordingProxy(serve.url)
})

afterAll(async () => {
  await proxy.close()
  await serve.stop('SIGTERM')
  await rm(work, { recursive: true, force: true })
})

async function push(source: string, app: string): Promise<PushJson> {
  const run = await runPackwright(['push', source, '--server', proxy.url, '--app', app, '--json'], {
    env: { PACKWRIGHT_TOKEN: TOKEN },
  })
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  return JSON.parse(run.stdout) as PushJson
}

/** `packwright generate`'s bytes for the source. */
async function generated(source: string, name: string): Promise<Buffer> {
  const out = join(work, `${name}.zip`)
  const run = await runPackwright(['generate', source, '--out', out, '--json'])
  expect(run.code).toBe(0)
  return readFile(out)
}

async function downloaded(guid: string): Promise<Buffer> {
  const client = createPackwrightClient({ serverUrl: serve.url, token: TOKEN })
  try {
    const out = join(work, `${guid}.zip`)
    await client.downloadPackage(guid, out)
    return await readFile(out)
  } finally {
    await client.close()
  }
}

/** The upload the server received for a package: the names in its `bits` and its `resources`. */
async function receivedUpload(guid: string): Promise<{ bits: string[]; resources: string[] }> {
  const upload = proxy.requests.find(
    (request: ProxiedRequest) =>
      request.method === 'POST' && request.url === `/v3/packages/${guid}/upload`,
  )
  if (upload === undefined) throw new Error(`no upload for ${guid}`)
  const parts = multipartParts(upload)
  const resources = JSON.parse(parts.get('resources')?.toString('utf8') ?? 'null') as {
    path: string
  }[]
  const bits = parts.get('bits')
  let names: string[] = []
  if (bits !== undefined) {
    const file = join(work, `bits-${guid}.zip`)
    await writeFile(file, bits)
    const archive = await openZip(file)
    names = archive.entries.filter((entry) => entry.kind !== 'directory').map((entry) => entry.name)
    await archive.close()
  }
  return { bits: names, resources: resources.map((resource) => resource.path).sort() }
}

describe('packwright push', () => {
  it('sends only the changed file on the second push, and the server keeps generate’s bytes', async () => {
    const tree = join(work, 'app')
    await writeTree(tree, {
      'index.html': noise('index', 40_000),
      'lib/app.js': noise('app', 30_000),
      'lib/util.js': noise('util', 20_000),
      'README.md': '# app\n',
    })

    const first = await push(tree, 'shop')
    expect(first).toMatchObject({ state: 'READY', files: 4, filesMatched: 0, filesSent: 4 })
    expect(await receivedUpload(first.guid)).toEqual({
      bits: ['README.md', 'index.html', 'lib/app.js', 'lib/util.js'],
      resources: [],
    })
    const firstBytes = await generated(tree, 'first')
    expect(await downloaded(first.guid)).toEqual(firstBytes)
    expect(first.sha256).toBe(createHash('sha256').update(firstBytes).digest('hex'))

    await writeFile(join(tree, 'lib/app.js'), noise('app, changed', 30_000))
    const second = await push(tree, 'shop')
    expect(second).toMatchObject({ state: 'READY', filesMatched: 3, filesSent: 1 })
    expect(await receivedUpload(second.guid)).toEqual({
      bits: ['lib/app.js'],
      resources: ['README.md', 'index.html', 'lib/util.js'],
    })
    expect(second.bytesSent).toBeLessThan(first.bytesSent / 2)
    const secondBytes = await generated(tree, 'second')
    expect(secondBytes).not.toEqual(firstBytes)
    expect(await downloaded(second.guid)).toEqual(secondBytes)
  })

  it('prints a summary with what was sent', async () => {
    const tree = join(work, 'summary')
    await writeTree(tree, { 'a.txt': noise('a', 5000) })
    const run = await runPackwright(['push', tree, '--server', serve.url, '--app', 'summary'], {
      env: { PACKWRIGHT_TOKEN: TOKEN },
    })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^pushed 1 file to app "summary" on http:\/\/127\.0\.0\.1:\d+\n/)
    expect(run.stdout).toMatch(/\n {2}package {2}[0-9a-f-]{36} \(READY\)\n/)
    expect(run.stdout).toMatch(/\n {2}files {4}1 \(4\.9 KiB\), 0 matched on the server, 1 sent\n/)
  })

  it('fails with one coded line and never shows the token', async () => {
    const tree = join(work, 'denied')
    await writeTree(tree, { 'a.txt': 'a' })
    const wrong = 'not-the-token-77aa'
    const run = await runPackwright(['push', tree, '--server', serve.url, '--app', 'x'], {
      env: { PACKWRIGHT_TOKEN: wrong },
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(
      /^error \[PUSH_AUTH_FAILED\]: Could not look up app "x": the server answered 401/,
    )
    expect(run.stderr).not.toContain(wrong)
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })

  it('says what is missing from the command line', async () => {
    const run = await runPackwright(['push', '.', '--app', 'x'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/^error \[USAGE\]: push needs --server URL\n/)
  })
})
