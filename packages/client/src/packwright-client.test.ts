import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PackwrightError, generatePackage, toResourceDescriptor } from '@packwright/core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  READ_TOKEN,
  type RealServer,
  WRITE_TOKEN,
  startRealServer,
} from '../test/helpers/start-real-server.js'
import {
  type StandInServer,
  answerJson,
  dropAfterBytes,
  startStandInServer,
} from '../test/helpers/start-stand-in-server.js'
import { writeTree } from '../test/helpers/write-tree.js'
import { createPackwrightClient } from './packwright-client.js'

let real: RealServer
let work: string

beforeAll(async () => {
  real = await startRealServer()
  work = await mkdtemp(join(tmpdir(), 'packwright-client-test-'))
})

afterAll(async () => {
  await real.close()
  await rm(work, { recursive: true, force: true })
})

let standIn: StandInServer | undefined
afterEach(async () => {
  await standIn?.close()
  standIn = undefined
})

async function rejection(promise: Promise<unknown>): Promise<PackwrightError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  if (!(error instanceof PackwrightError))
    throw new Error(`expected a PackwrightError, got ${String(error)}`)
  return error
}

const sha256Of = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex')

describe('createPackwrightClient against the real server', () => {
  it('creates an app once and finds it by name afterwards', async () => {
    const client = createPackwrightClient({ serverUrl: real.url, token: WRITE_TOKEN })
    const first = await client.ensureApp('orders')
    const second = await client.ensureApp('orders')
    expect(first.created).toBe(true)
    expect(second).toEqual({ app: first.app, created: false })
    expect((await client.getApp(first.app.guid)).name).toBe('orders')
    await client.close()
  })

  it('uploads bits, follows a 202 job to READY and downloads the same bytes', async () => {
    const slow = await startRealServer({ assemblyBudgetMs: 0 })
    const client = createPackwrightClient({ serverUrl: slow.url, token: WRITE_TOKEN })
    try {
      const tree = await writeTree({ 'a.txt': 'alpha\n', 'lib/b.js': 'export const b = 1\n' })
      const zip = await generatePackage({ source: tree, outFile: join(work, 'upload.zip') })
      const { app } = await client.ensureApp('web')
      const created = await client.createPackage(app.guid)
      expect(created.state).toBe('AWAITING_UPLOAD')
      const progress: number[] = []
      const uploaded = await client.uploadPackage(created.guid, {
        resources: [],
        bits: { path: zip.path, size: zip.size },
        onBitsProgress: (sent) => progress.push(sent),
      })
      expect(uploaded.jobUrl).toMatch(/\/v3\/jobs\/[0-9a-f-]+$/)
      expect(progress.at(-1)).toBe(zip.size)
      const ready = await client.waitForPackage(created.guid, { jobUrl: uploaded.jobUrl })
      expect(ready.state).toBe('READY')
      expect(ready.data.checksum?.value).toBe(zip.sha256)
      const downloaded = await client.downloadPackage(ready.guid, join(work, 'download.zip'))
      expect(downloaded.sha256).toBe(zip.sha256)
      expect(await sha256Of(downloaded.path)).toBe(zip.sha256)
    } finally {
      await client.close()
      await slow.close()
    }
  })

  it('matches what the pool holds, and a resources-only upload rebuilds the package', async () => {
    const client = createPackwrightClient({ serverUrl: real.url, token: WRITE_TOKEN })
    const tree = await writeTree({ 'x.txt': 'x'.repeat(100), 'y.txt': 'y'.repeat(50) })
    const zip = await generatePackage({ source: tree, outFile: join(work, 'xy.zip') })
    const descriptors = [...zip.entries].map(toResourceDescriptor)
    expect(await client.matchResources(descriptors)).toEqual([])
    const { app } = await client.ensureApp('pool')
    const first = await client.createPackage(app.guid)
    await client.uploadPackage(first.guid, {
      resources: [],
      bits: { path: zip.path, size: zip.size },
    })
    expect((await client.waitForPackage(first.guid)).state).toBe('READY')

    const matched = await client.matchResources(descriptors)
    expect(matched.map((resource) => resource.path).sort()).toEqual(['x.txt', 'y.txt'])
    const second = await client.createPackage(app.guid, {
      annotations: { 'packwright.dev/version': '2' },
    })
    expect(second.metadata.annotations).toEqual({ 'packwright.dev/version': '2' })
    const uploaded = await client.uploadPackage(second.guid, { resources: matched })
    expect(uploaded.package.state).toBe('READY')
    expect(uploaded.package.data.checksum?.value).toBe(zip.sha256)
    await client.close()
  })

  it('fails with PUSH_FORBIDDEN for a read-only token, and PUSH_AUTH_FAILED for an unknown one', async () => {
    const reader = createPackwrightClient({ serverUrl: real.url, token: READ_TOKEN })
    expect((await rejection(reader.createApp('nope'))).code).toBe('PUSH_FORBIDDEN')
    await reader.close()
    const stranger = createPackwrightClient({ serverUrl: real.url, token: 'who-knows-1' })
    const error = await rejection(stranger.findAppByName('nope'))
    expect(error.code).toBe('PUSH_AUTH_FAILED')
    expect(error.message).not.toContain('who-knows-1')
    await stranger.close()
  })

  it('refuses a server URL it cannot use', () => {
    for (const serverUrl of ['nope', 'ftp://x', 'http://user:pw@host']) {
      expect(() => createPackwrightClient({ serverUrl })).toThrow(
        expect.objectContaining({ code: 'PUSH_SERVER_URL_INVALID' }),
      )
    }
  })
})

describe('createPackwrightClient against a stand-in', () => {
  it('asks about at most 5000 resources per request and never about empty files', async () => {
    standIn = await startStandInServer([answerJson(201, { resources: [] })])
    const client = createPackwrightClient({ serverUrl: standIn.url })
    const resources = Array.from({ length: 12_001 }, (_, index) => ({
      checksum: { value: index.toString(16).padStart(40, '0') },
      size_in_bytes: index === 0 ? 0 : 10,
      path: `f${index}`,
      mode: '644',
    }))
    await client.matchResources(resources)
    const sizes = standIn.received.map(
      (request) =>
        (JSON.parse(request.body.toString('utf8')) as { resources: unknown[] }).resources.length,
    )
    expect(sizes).toEqual([5000, 5000, 2000])
    await client.close()
  })

  it('keeps the path prefix of the server URL', async () => {
    standIn = await startStandInServer([
      answerJson(200, { pagination: { total_results: 0 }, resources: [] }),
    ])
    const client = createPackwrightClient({ serverUrl: `${standIn.url}/cf` })
    expect(await client.findAppByName('a b')).toBeUndefined()
    expect(standIn.received[0]?.url).toBe('/cf/v3/apps?names=a%20b')
    await client.close()
  })

  it('starts a clean request when an upload is cut short', async () => {
    const zipPath = join(work, 'big.bin')
    await writeFile(zipPath, Buffer.alloc(1024 * 1024, 7))
    const answer = {
      guid: 'p1',
      type: 'bits',
      state: 'READY',
      data: { checksum: { type: 'sha256', value: 'x' }, error: null },
      metadata: { labels: {}, annotations: {} },
    }
    standIn = await startStandInServer([dropAfterBytes(200 * 1024), answerJson(200, answer)])
    const client = createPackwrightClient({
      serverUrl: standIn.url,
      retry: { baseDelayMs: 1, random: () => 0 },
    })
    const resources = [
      { checksum: { value: 'a'.repeat(40) }, size_in_bytes: 3, path: 'm', mode: '644' },
    ]
    const uploaded = await client.uploadPackage('p1', {
      resources,
      bits: { path: zipPath, size: 1024 * 1024 },
    })
    expect(uploaded.package.state).toBe('READY')
    expect(standIn.received).toHaveLength(2)
    const retried = standIn.received[1]!
    expect(retried.body.length).toBe(Number(retried.headers['content-length']))
    const boundary = /boundary=(.+)$/.exec(String(retried.headers['content-type']))?.[1]
    const body = retried.body.toString('latin1')
    expect(
      body.startsWith(`--${boundary}\r\nContent-Disposition: form-data; name="resources"`),
    ).toBe(true)
    expect(body.indexOf('name="resources"')).toBeLessThan(body.indexOf('name="bits"'))
    expect(body.endsWith(`--${boundary}--\r\n`)).toBe(true)
    expect(retried.body.includes(Buffer.alloc(1024 * 1024, 7))).toBe(true)
    await client.close()
  })
})
