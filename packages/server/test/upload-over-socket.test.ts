import { readdir } from 'node:fs/promises'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, getJson, postJson } from './helpers/cf-requests.js'
import { multipartBody } from './helpers/multipart-body.js'
import { type TestServer, startTestServer } from './helpers/start-test-server.js'

/** An empty zip: just the end-of-central-directory record. */
const EMPTY_ZIP = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)])

describe('uploads over a real socket', () => {
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  async function listening(options: Parameters<typeof startTestServer>[0] = {}) {
    server = await startTestServer(options)
    await server.app.listen({ host: '127.0.0.1', port: 0 })
    const address = server.app.server.address()
    if (address === null || typeof address === 'string') throw new Error('no port')
    const app = await createApp(server, 'socket')
    const created = await postJson(server, '/v3/packages', {
      type: 'bits',
      relationships: { app: { data: { guid: app } } },
    })
    return { target: server, port: address.port, guid: created.body.guid as string }
  }

  /** Sends the headers and the first part of a large upload, then leaves the socket to `finish`. */
  function partialUpload(port: number, guid: string, target: TestServer) {
    const socket = connect(port, '127.0.0.1')
    const { payload, headers } = multipartBody([
      { name: 'bits', filename: 'package.zip', content: Buffer.alloc(4 * 1024 * 1024, 7) },
    ])
    socket.write(
      `POST /v3/packages/${guid}/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        `Authorization: ${target.as('write').authorization}\r\n` +
        `Content-Type: ${headers['content-type']}\r\nContent-Length: ${payload.length}\r\n\r\n`,
    )
    socket.write(payload.subarray(0, 1024 * 1024))
    socket.on('error', () => undefined)
    return socket
  }

  const uploadsOf = (target: TestServer) =>
    readdir(join(target.dataFolder, 'tmp', 'uploads')).catch(() => [])

  async function settle(check: () => Promise<boolean>) {
    for (let tries = 0; tries < 100 && !(await check()); tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  it('discards an upload the client aborts; the package stays AWAITING_UPLOAD and a retry works', async () => {
    const { target, port, guid } = await listening()
    const socket = partialUpload(port, guid, target)
    await settle(async () => (await uploadsOf(target)).length > 0)
    socket.destroy()
    await settle(async () => (await uploadsOf(target)).length === 0)
    expect(await uploadsOf(target)).toEqual([])
    expect((await getJson(target, `/v3/packages/${guid}`)).body.state).toBe('AWAITING_UPLOAD')

    const { payload, headers } = multipartBody([
      { name: 'bits', filename: 'package.zip', content: EMPTY_ZIP },
    ])
    const retry = await fetch(`http://127.0.0.1:${port}/v3/packages/${guid}/upload`, {
      method: 'POST',
      headers: { ...target.as('write'), ...headers },
      body: payload,
    })
    expect(retry.status).toBe(200)
    expect(((await retry.json()) as { state: string }).state).not.toBe('AWAITING_UPLOAD')
  })

  it('closes a stalled upload after the idle timeout and discards it', async () => {
    const { target, port, guid } = await listening({ idleTimeoutMs: 300 })
    const socket = partialUpload(port, guid, target)
    const closed = new Promise((resolve) => socket.on('close', resolve))
    await closed
    await settle(async () => (await uploadsOf(target)).length === 0)
    expect(await uploadsOf(target)).toEqual([])
    expect((await getJson(target, `/v3/packages/${guid}`)).body.state).toBe('AWAITING_UPLOAD')
  })
})
