import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, getJson, postJson } from '../../test/helpers/cf-requests.js'
import { multipartBody } from '../../test/helpers/multipart-body.js'
import { TEST_TOKENS, type TestServer } from '../../test/helpers/start-test-server.js'
import { hashToken } from '../auth/access-token.js'
import { createServer } from '../create-server.js'
import type { BlobStore } from '../storage/blob-store.js'
import { openEmbeddedStorage } from '../storage/open-embedded-storage.js'

/** The smallest zip: just the end of central directory (an empty package). */
const EMPTY_ZIP = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)])

/** A server whose package-zip puts can be held after they finish, before assembly goes on. */
async function serverWithHeldPuts() {
  const dataFolder = await mkdtemp(join(tmpdir(), 'packwright-delete-race-'))
  const storage = await openEmbeddedStorage(dataFolder)
  let hold: { reached: () => void; released: Promise<void> } | undefined
  const packages: BlobStore = {
    ...storage.packages,
    async put(digest, source, options) {
      const stored = await storage.packages.put(digest, source, options)
      if (hold !== undefined) {
        hold.reached()
        await hold.released
      }
      return stored
    },
  }
  const app = await createServer({
    storage: { ...storage, packages },
    tokens: [{ name: 'admin', sha256: hashToken(TEST_TOKENS.admin), scopes: ['admin'] }],
    uploadFolder: join(dataFolder, 'tmp', 'uploads'),
  })
  const server: TestServer = {
    app,
    storage,
    dataFolder,
    as: () => ({ authorization: `bearer ${TEST_TOKENS.admin}` }),
    async close() {
      await app.close()
      await storage.close()
      await rm(dataFolder, { recursive: true, force: true })
    },
  }
  return {
    server,
    /** Holds the next put once it has stored its blob; answers when it got there and a release. */
    holdNextPut() {
      let reached!: () => void
      let release!: () => void
      const arrived = new Promise<void>((resolve) => (reached = resolve))
      hold = { reached, released: new Promise<void>((resolve) => (release = resolve)) }
      return {
        arrived,
        release() {
          hold = undefined
          release()
        },
      }
    },
  }
}

describe('deleting a package while another assembles the same zip', () => {
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
  })

  it('keeps the zip the assembling package is about to name', async () => {
    const setup = await serverWithHeldPuts()
    server = setup.server
    const app = await createApp(server, 'race')
    const newPackage = async () =>
      (
        await postJson(server!, '/v3/packages', {
          type: 'bits',
          relationships: { app: { data: { guid: app } } },
        })
      ).body.guid as string
    const upload = (guid: string) => {
      const { payload, headers } = multipartBody([
        { name: 'bits', filename: 'package.zip', content: EMPTY_ZIP },
      ])
      return server!.app.inject({
        method: 'POST',
        url: `/v3/packages/${guid}/upload`,
        headers: { ...server!.as('write'), ...headers },
        payload,
      })
    }

    const first = await newPackage()
    const ready = (await upload(first)).json<{ data: { checksum: { value: string } } }>()
    const sha256 = ready.data.checksum.value

    // The second package's zip (the same bytes) is stored; it is not READY yet.
    const second = await newPackage()
    const held = setup.holdNextPut()
    const uploading = upload(second)
    await held.arrived
    const deleted = await server.app.inject({
      method: 'DELETE',
      url: `/v3/packages/${first}`,
      headers: server.as('write'),
    })
    expect(deleted.statusCode).toBe(202)
    await new Promise((resolve) => setTimeout(resolve, 50))
    held.release()
    expect((await uploading).json<{ state: string }>().state).toBe('READY')

    const job = deleted.headers.location!.replace(/^.*\/v3\/jobs\//, '')
    for (let tries = 0; tries < 100; tries += 1) {
      if ((await getJson(server, `/v3/jobs/${job}`)).body.state !== 'PROCESSING') break
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect((await getJson(server, `/v3/jobs/${job}`)).body.state).toBe('COMPLETE')
    expect(await server.storage.packages.exists(sha256)).toBe(true)
    const download = await server.app.inject({
      method: 'GET',
      url: `/v3/packages/${second}/download`,
      headers: server.as('write'),
    })
    expect(download.statusCode).toBe(200)
  })
})
