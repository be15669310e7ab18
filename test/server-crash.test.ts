import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { createPackwrightClient, pushPackage, type RetryEvent } from '@packwright/client'
import { type GeneratedPackage, generatePackage } from '@packwright/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  type CfServer,
  cfJson,
  createBitsPackage,
  downloadedSha256,
  settledPackage,
  uploadPackage,
} from './helpers/cf-http.js'
import { type ServeProcess, startPackwrightServe } from './helpers/packwright-serve.js'
import { writeTree } from './helpers/write-tree.js'

const TOKEN = 'crash-admin-token-8d2e'

/** Every file under `folder`, recursively (empty when it does not exist). */
async function filesUnder(folder: string): Promise<string[]> {
  const found: string[] = []
  const entries = await readdir(folder, { withFileTypes: true, recursive: true }).catch(() => [])
  for (const entry of entries) {
    if (entry.isFile()) found.push(join(entry.parentPath, entry.name))
  }
  return found.sort()
}

async function digestOfFile(path: string, algorithm: 'sha1' | 'sha256'): Promise<string> {
  const hash = createHash(algorithm)
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Blobs whose content does not match the digest they are named by. */
async function misnamedBlobs(dataFolder: string): Promise<string[]> {
  const wrong: string[] = []
  for (const [folder, algorithm] of [
    ['pool', 'sha1'],
    ['packages', 'sha256'],
  ] as const) {
    for (const file of await filesUnder(join(dataFolder, 'blobs', folder))) {
      if ((await digestOfFile(file, algorithm)) !== basename(file)) wrong.push(file)
    }
  }
  return wrong
}

/** A tree of `count` files of random bytes (some compressible), different for every call. */
function randomTree(count: number, bytesPerFile: number): Record<string, Buffer> {
  const files: Record<string, Buffer> = {}
  for (let index = 0; index < count; index += 1) {
    const name = `data/part-${String(index).padStart(3, '0')}.bin`
    files[name] =
      index % 4 === 0
        ? Buffer.from(`${randomBytes(8).toString('hex')} `.repeat(bytesPerFile / 17))
        : randomBytes(bytesPerFile)
  }
  files['README.md'] = Buffer.from(`crash test ${randomBytes(8).toString('hex')}\n`)
  return files
}

/** Polls until a file matching `pattern` with at least one byte is in `folder`; false on `until`. */
async function caughtFile(
  folder: string,
  pattern: RegExp,
  until: { done: boolean },
): Promise<boolean> {
  while (!until.done) {
    const names = await readdir(folder).catch(() => [])
    for (const name of names.filter((candidate) => pattern.test(candidate))) {
      const size = await stat(join(folder, name)).then(
        (info) => info.size,
        () => 0,
      )
      if (size > 0) return true
    }
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
  return false
}

let work: string
let dataFolder: string
let server: ServeProcess | undefined
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-crash-'))
  dataFolder = join(work, 'data')
  server = await startPackwrightServe(dataFolder, TOKEN)
})
afterEach(async () => {
  await server?.stop('SIGTERM')
  server = undefined
  await rm(work, { recursive: true, force: true })
})

function target(): CfServer {
  if (server === undefined) throw new Error('no server')
  return { url: server.url, token: TOKEN }
}

/** Kills the server with SIGKILL and starts another on the same data folder (and `port`). */
async function restart(port = 0): Promise<void> {
  await server?.stop('SIGKILL')
  server = await startPackwrightServe(dataFolder, TOKEN, port)
}

async function generated(name: string, files: Record<string, Buffer>): Promise<GeneratedPackage> {
  const root = join(work, name)
  await writeTree(root, files)
  return generatePackage({ source: root, outFile: join(work, `${name}.zip`) })
}

/** What must hold after any crash and restart, whatever was cut short. */
async function expectConsistentAfterRestart(expected: ReadonlyMap<string, string>): Promise<void> {
  expect(await filesUnder(join(dataFolder, 'tmp'))).toEqual([])
  expect(await misnamedBlobs(dataFolder)).toEqual([])
  const ready = await cfJson(target(), 'GET', '/v3/packages?states=READY&per_page=5000')
  for (const record of ready.body.resources as {
    guid: string
    data: { checksum: { value: string } }
  }[]) {
    const sha256 = await downloadedSha256(target(), record.guid)
    expect(sha256).toBe(record.data.checksum.value)
    expect(sha256).toBe(expected.get(record.guid))
  }
}

describe('packwright serve killed with SIGKILL', () => {
  it('mid upload: the partial upload is swept, the package stays AWAITING_UPLOAD and a retried upload succeeds', async () => {
    const tree = await generated('app', randomTree(8, 1024 * 1024))
    const zip = await readFile(tree.path)
    const guid = await createBitsPackage(target(), 'mid-upload')

    // Half the body over a raw socket, then the server dies with it open.
    const boundary = 'crash-boundary-91f0'
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="resources"\r\n\r\n[]\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="bits"; filename="package.zip"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    )
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
    const url = new URL(target().url)
    const socket = connect(Number(url.port), url.hostname)
    socket.on('error', () => undefined)
    socket.write(
      `POST /v3/packages/${guid}/upload HTTP/1.1\r\nHost: ${url.host}\r\n` +
        `Authorization: bearer ${TOKEN}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\n` +
        `Content-Length: ${head.length + zip.length + tail.length}\r\n\r\n`,
    )
    socket.write(head)
    socket.write(zip.subarray(0, zip.length >> 1))
    const uploads = join(dataFolder, 'tmp', 'uploads')
    expect(await caughtFile(uploads, /^upload-/, { done: false })).toBe(true)
    await restart()
    socket.destroy()

    await expectConsistentAfterRestart(new Map())
    const waiting = await cfJson(target(), 'GET', `/v3/packages/${guid}`)
    expect(waiting.body.state).toBe('AWAITING_UPLOAD')

    const retried = await uploadPackage(target(), guid, [], zip)
    expect(retried.status).toBe(200)
    expect(retried.body.state).toBe('READY')
    await expectConsistentAfterRestart(new Map([[guid, tree.sha256]]))
  })

  it("mid upload by the client: the client's retry succeeds once the server is back", async () => {
    const root = join(work, 'client-app')
    await writeTree(root, randomTree(24, 1024 * 1024))
    const expected = await generatePackage({ source: root, outFile: join(work, 'client-app.zip') })
    const url = target().url
    const retries: RetryEvent[] = []
    const client = createPackwrightClient({
      serverUrl: url,
      token: TOKEN,
      // Enough tries to outlast a restart on a loaded machine.
      retry: { retries: 12, baseDelayMs: 200, maxDelayMs: 2000 },
      onRetry: (event) => retries.push(event),
    })
    let restarted: Promise<void> | undefined
    const pushed = await pushPackage({
      client,
      source: root,
      appName: 'client-retry',
      onProgress(progress) {
        if (progress.phase !== 'uploading' || restarted !== undefined) return
        if (progress.sent >= progress.total / 2) restarted = restart(Number(new URL(url).port))
      },
    })
    expect(restarted, 'the upload never reached its middle').toBeDefined()
    await restarted
    expect(retries.length).toBeGreaterThan(0)
    expect(pushed.state).toBe('READY')
    expect(pushed.sha256).toBe(expected.sha256)
    expect(await downloadedSha256(target(), pushed.guid)).toBe(expected.sha256)
    await expectConsistentAfterRestart(new Map([[pushed.guid, expected.sha256]]))
  })

  it.each([
    ['writing a pool blob', ['tmp'], /^sha1-.*\.part$/],
    ['writing the package zip', ['tmp', 'uploads'], /^package-.*\.zip$/],
    ['storing the package zip', ['tmp'], /^sha256-.*\.part$/],
  ])(
    'mid assembly, %s: the package ends FAILED with the reason, no blob is wrong, a new push succeeds',
    async (_moment, folder, pattern) => {
      const watched = join(dataFolder, ...folder)
      // The moment lasts a fraction of a second: try a few fresh trees until it is caught.
      let caught: { guid: string; tree: GeneratedPackage } | undefined
      const expected = new Map<string, string>()
      for (let attempt = 0; attempt < 4 && caught === undefined; attempt += 1) {
        const tree = await generated(`app-${attempt}`, randomTree(24, 1024 * 1024))
        const guid = await createBitsPackage(target(), `mid-assembly-${attempt}`)
        expected.set(guid, tree.sha256)
        const answered = { done: false }
        const upload = uploadPackage(target(), guid, [], await readFile(tree.path)).then(
          () => (answered.done = true),
          () => (answered.done = true),
        )
        if (await caughtFile(watched, pattern, answered)) caught = { guid, tree }
        else await upload
      }
      expect(caught, 'the server was never caught at that moment').toBeDefined()
      if (caught === undefined) return
      await restart()

      await expectConsistentAfterRestart(expected)
      const interrupted = await cfJson(target(), 'GET', `/v3/packages/${caught.guid}`)
      expect(interrupted.body.state).toBe('FAILED')
      expect((interrupted.body.data as { error: string }).error).toMatch(
        /server stopped while assembling this package/,
      )

      // A push of the same tree, matching what the pool kept, succeeds with the right bytes.
      const pushed = await pushPackage({
        client: createPackwrightClient({ serverUrl: target().url, token: TOKEN }),
        source: join(work, basename(caught.tree.path, '.zip')),
        appName: 'retry',
      })
      expect(pushed.state).toBe('READY')
      expect(pushed.sha256).toBe(caught.tree.sha256)
      expect(await downloadedSha256(target(), pushed.guid)).toBe(caught.tree.sha256)
      await restart()
      expect(await filesUnder(join(dataFolder, 'tmp'))).toEqual([])
      expect(await misnamedBlobs(dataFolder)).toEqual([])
      expect((await settledPackage(target(), pushed.guid)).state).toBe('READY')
    },
  )
})
