import { createHash } from 'node:crypto'
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { generatePackage } from '@packwright/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, getJson, postJson, unprocessable } from '../../test/helpers/cf-requests.js'
import { type TestPart, multipartBody } from '../../test/helpers/multipart-body.js'
import { type TestServer, startTestServer } from '../../test/helpers/start-test-server.js'
import { RESOURCE_CHECKSUM_MISMATCH_MESSAGE } from '../assembly/assembly-failure.js'
import { createServer } from '../create-server.js'

const sha1 = (bytes: Buffer | string) => createHash('sha1').update(bytes).digest('hex')

describe('package upload', () => {
  let server: TestServer
  let appGuid: string
  let tree: string
  let zip: Buffer
  let zipSha256: string
  let manifest: { path: string; sha1: string; size: number; mode: string }[]

  beforeAll(async () => {
    server = await startTestServer()
    appGuid = await createApp(server, 'web')
    tree = await mkdtemp(join(tmpdir(), 'packwright-upload-tree-'))
    await mkdir(join(tree, 'bin'))
    await mkdir(join(tree, 'lib'))
    await writeFile(join(tree, 'README.md'), '# app\n')
    await writeFile(join(tree, 'bin', 'run.sh'), '#!/bin/sh\necho run\n')
    await chmod(join(tree, 'bin', 'run.sh'), 0o755)
    await writeFile(join(tree, 'lib', 'data.txt'), 'x'.repeat(5000))
    const out = join(tree, '..', `${tree.split('/').pop()}.zip`)
    const generated = await generatePackage({ source: tree, outFile: out, mode: 'directory' })
    zip = await readFile(out)
    zipSha256 = generated.sha256
    manifest = [...generated.entries].map((entry) => ({ ...entry }))
    await rm(out)
  })
  afterAll(async () => {
    await server.close()
    await rm(tree, { recursive: true, force: true })
  })

  async function newPackage(target: TestServer = server, app = appGuid): Promise<string> {
    const { status, body } = await postJson(target, '/v3/packages', {
      type: 'bits',
      relationships: { app: { data: { guid: app } } },
    })
    expect(status).toBe(201)
    return body.guid as string
  }

  async function upload(guid: string, parts: readonly TestPart[], target: TestServer = server) {
    const { payload, headers } = multipartBody(parts)
    const response = await target.app.inject({
      method: 'POST',
      url: `/v3/packages/${guid}/upload`,
      headers: { ...target.as('write'), ...headers },
      payload,
    })
    return {
      status: response.statusCode,
      headers: response.headers,
      body: response.json<Record<string, unknown>>(),
    }
  }

  const bits = (content: Buffer = zip): TestPart => ({
    name: 'bits',
    filename: 'package.zip',
    content,
  })

  function resourcesOf(entries: typeof manifest) {
    return JSON.stringify(
      entries.map((entry) => ({
        path: entry.path,
        size_in_bytes: entry.size,
        checksum: { value: entry.sha1 },
        mode: entry.mode,
      })),
    )
  }

  it('assembles uploaded bits into READY with the checksum packwright generate gives', async () => {
    const guid = await newPackage()
    const { status, body } = await upload(guid, [{ name: 'resources', value: '[]' }, bits()])
    expect(status).toBe(200)
    expect(body.state).toBe('READY')
    expect(body.data).toEqual({ checksum: { type: 'sha256', value: zipSha256 }, error: null })
    expect(await server.storage.packages.exists(zipSha256)).toBe(true)
    // the package's sha1 is the stored zip's, hashed while it was stored
    expect((await server.storage.metadata.getPackage(guid))?.sha1).toBe(sha1(zip))
    // the upload's files entered the pool
    for (const entry of manifest) expect(await server.storage.pool.exists(entry.sha1)).toBe(true)
    // nothing is left in the upload folder
    expect(await readdir(join(server.dataFolder, 'tmp', 'uploads'))).toEqual([])
  })

  it('rebuilds the identical zip from resources alone, in v3 and v2 entry formats', async () => {
    const v3 = await upload(await newPackage(), [
      { name: 'resources', value: resourcesOf(manifest) },
    ])
    expect(v3.status).toBe(200)
    expect(v3.body.data).toEqual({ checksum: { type: 'sha256', value: zipSha256 }, error: null })
    const v2 = JSON.stringify(
      manifest.map((entry) => ({
        fn: entry.path,
        size: entry.size,
        sha1: entry.sha1,
        mode: entry.mode,
      })),
    )
    const legacy = await upload(await newPackage(), [{ name: 'resources', value: v2 }])
    expect(legacy.body.data).toEqual({
      checksum: { type: 'sha256', value: zipSha256 },
      error: null,
    })
  })

  it('joins uploaded bits with matched resources into the same zip as the whole tree', async () => {
    const partial = await mkdtemp(join(tmpdir(), 'packwright-upload-partial-'))
    try {
      await writeFile(join(partial, 'README.md'), '# app\n')
      const out = `${partial}.zip`
      await generatePackage({ source: partial, outFile: out, mode: 'directory' })
      const readmeOnly = await readFile(out)
      await rm(out)
      const matched = manifest.filter((entry) => entry.path !== 'README.md')
      const { body } = await upload(await newPackage(), [
        { name: 'resources', value: resourcesOf(matched) },
        bits(readmeOnly),
      ])
      expect(body.data).toEqual({ checksum: { type: 'sha256', value: zipSha256 }, error: null })
    } finally {
      await rm(partial, { recursive: true, force: true })
    }
  })

  it('answers the message errors of Cloud Controller in its order', async () => {
    const guid = await newPackage()
    expect((await upload(guid, [{ name: 'resources', value: '{}' }])).body).toEqual(
      unprocessable('Resources must be valid JSON.'),
    )
    expect((await upload(guid, [{ name: 'resources', value: 'nope' }])).body).toEqual(
      unprocessable('Resources must be valid JSON.'),
    )
    expect((await upload(guid, [{ name: 'resources', value: '[]' }])).body).toEqual(
      unprocessable('Upload must include either resources or bits'),
    )
    const unknown = await upload(guid, [{ name: 'cached_resources', value: '[]' }, bits()])
    expect(unknown.status).toBe(422)
    expect(unknown.body).toEqual(unprocessable("Unknown field(s): 'cached_resources'"))
    const missing = await upload('no-such-package', [bits()])
    expect(missing.status).toBe(404)
    expect(missing.body).toEqual({
      errors: [{ detail: 'Package not found', title: 'CF-ResourceNotFound', code: 10010 }],
    })
    // none of these consumed the package
    expect((await getJson(server, `/v3/packages/${guid}`)).body.state).toBe('AWAITING_UPLOAD')
  })

  it('refuses docker packages and a second upload', async () => {
    const dockerApp = await createApp(server, 'image', 'docker')
    const docker = await postJson(server, '/v3/packages', {
      type: 'docker',
      relationships: { app: { data: { guid: dockerApp } } },
      data: { image: 'nginx' },
    })
    const typed = await upload(docker.body.guid as string, [bits()])
    expect(typed.body).toEqual(unprocessable('Package type must be bits.'))

    const guid = await newPackage()
    expect((await upload(guid, [bits()])).status).toBe(200)
    const again = await upload(guid, [bits()])
    expect(again.status).toBe(400)
    expect(again.body).toEqual({
      errors: [
        {
          detail: 'Bits may be uploaded only once. Create a new package to upload different bits.',
          title: 'CF-PackageBitsAlreadyUploaded',
          code: 150004,
        },
      ],
    })
    expect((await getJson(server, `/v3/packages/${guid}`)).body.state).toBe('READY')
  })

  it('takes only one of two concurrent uploads to the same package', async () => {
    const guid = await newPackage()
    const answers = await Promise.all([upload(guid, [bits()]), upload(guid, [bits()])])
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400])
    expect((await getJson(server, `/v3/packages/${guid}`)).body.state).toBe('READY')
  })

  it('fails a package whose zip is invalid with the app-upload wording', async () => {
    const guid = await newPackage()
    const { status, body } = await upload(guid, [bits(Buffer.from('this is not a zip'))])
    expect(status).toBe(200)
    expect(body.state).toBe('FAILED')
    expect(body.data).toEqual({
      checksum: { type: 'sha256', value: null },
      error:
        'The app upload is invalid: Invalid zip archive (end-of-central-directory signature not found).',
    })
  })

  it('fails a zip over the package limit with the app-package wording', async () => {
    const limited = await startTestServer({ zipLimits: { maxTotalUncompressedBytes: 100 } })
    try {
      const app = await createApp(limited, 'limited')
      const { body } = await upload(await newPackage(limited, app), [bits()], limited)
      expect(body.state).toBe('FAILED')
      expect((body.data as { error: string }).error).toBe(
        'The app package is invalid: Package may not be larger than 100 bytes',
      )
    } finally {
      await limited.close()
    }
  })

  it('fails unsafe resource paths and modes without owner read-write', async () => {
    const [first] = manifest
    const attempt = async (entry: Record<string, unknown>) =>
      (await upload(await newPackage(), [{ name: 'resources', value: JSON.stringify([entry]) }]))
        .body
    for (const path of ['../escape', '/etc/passwd', 'a\\b', 'a/../../b']) {
      const body = await attempt({ fn: path, sha1: first!.sha1, size: 1 })
      expect(body.state).toBe('FAILED')
      expect((body.data as { error: string }).error).toBe(
        `The resource file path is invalid: File path '${path}' is not safe.`,
      )
    }
    const mode = await attempt({ fn: 'ok.txt', sha1: first!.sha1, size: 1, mode: '444' })
    expect((mode.data as { error: string }).error).toBe(
      "The resource file mode is invalid: File mode '444' with path 'ok.txt' is invalid. Minimum file mode is '0600'",
    )
  })

  it('fails with ResourceChecksumMismatch and evicts a pooled blob whose bytes changed', async () => {
    const content = 'pooled then corrupted\n'
    const digest = sha1(content)
    await server.storage.pool.put(digest, Readable.from([Buffer.from(content)]))
    await server.storage.metadata.addPoolEntry({ sha1: digest, size: content.length })
    const path = join(
      server.dataFolder,
      'blobs',
      'pool',
      digest.slice(0, 2),
      digest.slice(2, 4),
      digest,
    )
    await writeFile(path, 'tampered on disk!!!!!\n')
    const { body } = await upload(await newPackage(), [
      { name: 'resources', value: JSON.stringify([{ fn: 'f.txt', sha1: digest, size: 22 }]) },
    ])
    expect(body.state).toBe('FAILED')
    expect((body.data as { error: string }).error).toBe(RESOURCE_CHECKSUM_MISMATCH_MESSAGE)
    expect(await server.storage.pool.exists(digest)).toBe(false)
    expect(await server.storage.metadata.getPoolEntry(digest)).toBeUndefined()
  })

  it('fails a package naming a pooled blob that is gone, and forgets it so the next match asks for the file', async () => {
    const content = 'indexed, then lost with its folder\n'
    const digest = sha1(content)
    await server.storage.pool.put(digest, Readable.from([Buffer.from(content)]))
    await server.storage.metadata.addPoolEntry({ sha1: digest, size: content.length })
    await server.storage.pool.delete(digest)
    const { body } = await upload(await newPackage(), [
      { name: 'resources', value: JSON.stringify([{ fn: 'f.txt', sha1: digest, size: 35 }]) },
    ])
    expect(body.state).toBe('FAILED')
    expect((body.data as { error: string }).error).toMatch(
      /^The app package is invalid: .*which the resource pool does not hold/,
    )
    expect(await server.storage.metadata.getPoolEntry(digest)).toBeUndefined()
  })

  it('answers 413 in the envelope for a body over the limit, and the package stays AWAITING_UPLOAD', async () => {
    const small = await startTestServer({ bodyLimitBytes: 1024 })
    try {
      const app = await createApp(small, 'small')
      const guid = await newPackage(small, app)
      const { status, body } = await upload(guid, [bits(Buffer.alloc(4096, 1))], small)
      expect(status).toBe(413)
      expect((body.errors as { title: string }[])[0]!.title).toBe('CF-RequestEntityTooLarge')
      expect((await getJson(small, `/v3/packages/${guid}`)).body.state).toBe('AWAITING_UPLOAD')
      expect(await readdir(join(small.dataFolder, 'tmp', 'uploads')).catch(() => [])).toEqual([])
    } finally {
      await small.close()
    }
  })

  it('answers 202 with a job past the time budget, and the job completes', async () => {
    const slow = await startTestServer({ assemblyBudgetMs: 0 })
    try {
      const app = await createApp(slow, 'slow')
      const guid = await newPackage(slow, app)
      const { status, headers, body } = await upload(guid, [bits()], slow)
      expect(status).toBe(202)
      expect(body.state).toBe('PROCESSING_UPLOAD')
      const location = String(headers.location)
      expect(location).toMatch(/^https:\/\/api\.example\.org\/v3\/jobs\/[0-9a-f-]{36}$/)
      const jobPath = location.replace('https://api.example.org', '')
      let job = (await getJson(slow, jobPath)).body
      for (let tries = 0; job.state === 'PROCESSING' && tries < 200; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 25))
        job = (await getJson(slow, jobPath)).body
      }
      expect(job).toMatchObject({
        guid: jobPath.split('/').pop(),
        operation: 'package.upload',
        state: 'COMPLETE',
        errors: [],
        warnings: [],
        links: {
          self: { href: location },
          package: { href: `https://api.example.org/v3/packages/${guid}` },
        },
      })
      expect((await getJson(slow, `/v3/packages/${guid}`)).body.state).toBe('READY')
      expect((await getJson(slow, '/v3/jobs/nope')).status).toBe(404)
    } finally {
      await slow.close()
    }
  })

  it('fails packages left in PROCESSING_UPLOAD when a server starts', async () => {
    const guid = await newPackage()
    await server.storage.metadata.transitionPackage(guid, 'AWAITING_UPLOAD', {
      state: 'PROCESSING_UPLOAD',
      updatedAt: '2026-03-01T12:00:00Z',
    })
    const restarted = await createServer({ storage: server.storage, tokens: [] })
    await restarted.close()
    const record = await server.storage.metadata.getPackage(guid)
    expect(record?.state).toBe('FAILED')
    expect(record?.error).toMatch(
      /^The app package is invalid: the server stopped while assembling/,
    )
  })
})
