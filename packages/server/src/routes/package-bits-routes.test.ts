import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generatePackage } from '@packwright/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, getJson, postJson, unprocessable } from '../../test/helpers/cf-requests.js'
import { multipartBody } from '../../test/helpers/multipart-body.js'
import { type TestServer, startTestServer } from '../../test/helpers/start-test-server.js'

describe('package download and delete', () => {
  let server: TestServer
  let appGuid: string
  let zip: Buffer
  let zipSha256: string
  let folder: string

  beforeAll(async () => {
    server = await startTestServer()
    appGuid = await createApp(server, 'web')
    folder = await mkdtemp(join(tmpdir(), 'packwright-download-'))
    await writeFile(join(folder, 'index.js'), 'console.log("hi")\n')
    const out = `${folder}.zip`
    zipSha256 = (await generatePackage({ source: folder, outFile: out, mode: 'directory' })).sha256
    zip = await readFile(out)
    await rm(out)
  })
  afterAll(async () => {
    await server.close()
    await rm(folder, { recursive: true, force: true })
  })

  async function newPackage(): Promise<string> {
    const { body } = await postJson(server, '/v3/packages', {
      type: 'bits',
      relationships: { app: { data: { guid: appGuid } } },
    })
    return body.guid as string
  }

  async function readyPackage(content: Buffer = zip): Promise<string> {
    const guid = await newPackage()
    const { payload, headers } = multipartBody([{ name: 'bits', filename: 'package.zip', content }])
    const response = await server.app.inject({
      method: 'POST',
      url: `/v3/packages/${guid}/upload`,
      headers: { ...server.as('write'), ...headers },
      payload,
    })
    expect(response.json<{ state: string }>().state).toBe('READY')
    return guid
  }

  const download = (guid: string, scope: 'read' | 'write' = 'write') =>
    server.app.inject({
      method: 'GET',
      url: `/v3/packages/${guid}/download`,
      headers: server.as(scope),
    })

  async function waitForJob(location: string) {
    const path = location.replace('https://api.example.org', '')
    let job = (await getJson(server, path)).body
    for (let tries = 0; job.state === 'PROCESSING' && tries < 200; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      job = (await getJson(server, path)).body
    }
    return job
  }

  it('streams the READY package zip byte for byte', async () => {
    const response = await download(await readyPackage())
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/zip')
    expect(createHash('sha256').update(response.rawPayload).digest('hex')).toBe(zipSha256)
  })

  it('answers the download errors of the reference', async () => {
    const missing = await download('no-such-package')
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toEqual({
      errors: [{ detail: 'Package not found', title: 'CF-ResourceNotFound', code: 10010 }],
    })
    const awaiting = await download(await newPackage())
    expect(awaiting.statusCode).toBe(422)
    expect(awaiting.json()).toEqual(unprocessable('Package has no bits to download.'))
    const dockerApp = await createApp(server, 'image', 'docker')
    const docker = await postJson(server, '/v3/packages', {
      type: 'docker',
      relationships: { app: { data: { guid: dockerApp } } },
      data: { image: 'nginx' },
    })
    const typed = await download(docker.body.guid as string)
    expect(typed.json()).toEqual(unprocessable('Package type must be bits.'))
    expect((await download(await readyPackage(), 'read')).statusCode).toBe(403)
  })

  it('deletes with 202 and a job, keeping the zip while another package names it', async () => {
    // a zip only these two packages name
    const other = await mkdtemp(join(tmpdir(), 'packwright-delete-'))
    await writeFile(join(other, 'only-here.txt'), 'delete me\n')
    const generated = await generatePackage({
      source: other,
      outFile: `${other}.zip`,
      mode: 'directory',
    })
    const content = await readFile(`${other}.zip`)
    await rm(other, { recursive: true })
    await rm(`${other}.zip`)
    const first = await readyPackage(content)
    const second = await readyPackage(content)
    const remove = (guid: string) =>
      server.app.inject({
        method: 'DELETE',
        url: `/v3/packages/${guid}`,
        headers: server.as('write'),
      })
    const response = await remove(first)
    expect(response.statusCode).toBe(202)
    const job = await waitForJob(String(response.headers.location))
    expect(job).toMatchObject({ operation: 'package.delete', state: 'COMPLETE', errors: [] })
    expect((await getJson(server, `/v3/packages/${first}`)).status).toBe(404)
    expect(await server.storage.packages.exists(generated.sha256)).toBe(true)

    await waitForJob(String((await remove(second)).headers.location))
    expect(await server.storage.packages.exists(generated.sha256)).toBe(false)
    expect((await remove(second)).statusCode).toBe(404)
  })
})
