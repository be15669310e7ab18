import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJson, unprocessable } from '../../test/helpers/cf-requests.js'
import { type TestServer, startTestServer } from '../../test/helpers/start-test-server.js'
import type { CreateServerOptions } from '../create-server.js'

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex')
}

function resource(name: string, size: number, mode: string | null = '644', path = name) {
  return {
    checksum: { value: sha1(name) },
    size_in_bytes: size,
    path,
    ...(mode === null ? {} : { mode }),
  }
}

describe('POST /v3/resource_matches', () => {
  let shared: TestServer
  beforeAll(async () => {
    shared = await startTestServer()
  })
  afterAll(async () => {
    await shared.close()
  })

  /** The shared server, with `names` in its pool (the pool only grows). */
  async function serverWithPool(names: readonly string[]): Promise<TestServer> {
    for (const name of names) {
      await shared.storage.metadata.addPoolEntry({ sha1: sha1(name), size: 1 })
    }
    return shared
  }

  async function ownServerWithPool(
    names: readonly string[],
    options: Partial<CreateServerOptions>,
  ): Promise<TestServer> {
    const started = await startTestServer(options)
    for (const name of names) {
      await started.storage.metadata.addPoolEntry({ sha1: sha1(name), size: 1 })
    }
    return started
  }

  it('answers 201 with no resources when the pool is empty', async () => {
    const server = await serverWithPool([])
    expect(
      await postJson(server, '/v3/resource_matches', { resources: [resource('a', 10)] }),
    ).toEqual({
      status: 201,
      body: { resources: [] },
    })
  })

  it('echoes the matched subset, grouped by size bucket in order of first appearance', async () => {
    const server = await serverWithPool(['small', 'big', 'small2', 'mid', 'windows'])
    const request = [
      resource('big', 2 * 1024 ** 2),
      resource('unknown', 10),
      resource('small', 10),
      resource('mid', 50 * 1024),
      resource('small2', 1024),
      resource('big', 2 * 1024 ** 2, '0755', 'copy/of/big'),
      resource('windows', 5, '645', 'C:\\path\\to\\file'),
    ]
    const { status, body } = await postJson(server, '/v3/resource_matches', {
      resources: request,
      extra: 'ignored',
    })
    expect(status).toBe(201)
    expect(body).toEqual({
      resources: [request[0], request[5], request[2], request[4], request[6], request[3]],
    })
  })

  it('matches only modes with owner read and write (>= 0600), and never without a mode', async () => {
    const server = await serverWithPool(['f'])
    const modes = ['600', '0644', '100644', '1000', '444', '555', '577', null]
    const { body } = await postJson(server, '/v3/resource_matches', {
      resources: modes.map((mode) => resource('f', 10, mode)),
    })
    expect((body.resources as { mode: string }[]).map((item) => item.mode)).toEqual([
      '600',
      '0644',
      '100644',
      '1000',
    ])
  })

  it('matches sha1s in either case', async () => {
    const server = await serverWithPool(['f'])
    const upper = { ...resource('f', 10), checksum: { value: sha1('f').toUpperCase() } }
    const { body } = await postJson(server, '/v3/resource_matches', { resources: [upper] })
    expect(body.resources).toEqual([upper])
  })

  it('matches from 1 byte by default, never empty files', async () => {
    const server = await serverWithPool(['f'])
    const { body } = await postJson(server, '/v3/resource_matches', {
      resources: [resource('f', 0), resource('f', 1)],
    })
    expect(body.resources).toEqual([resource('f', 1)])
  })

  it('keeps to the configured inclusive size window', async () => {
    const server = await ownServerWithPool(['f'], {
      minimumMatchableSize: 100,
      maximumMatchableSize: 200,
    })
    const sizes = [99, 100, 150, 200, 201]
    const { body } = await postJson(server, '/v3/resource_matches', {
      resources: sizes.map((size) => resource('f', size)),
    })
    expect(
      (body.resources as { size_in_bytes: number }[]).map((item) => item.size_in_bytes),
    ).toEqual([100, 150, 200])
  })

  it('matches all 5000 resources of a full request', async () => {
    const server = await serverWithPool(['f'])
    const { status, body } = await postJson(server, '/v3/resource_matches', {
      resources: Array.from({ length: 5000 }, () => resource('f', 10)),
    })
    expect(status).toBe(201)
    expect(body.resources).toHaveLength(5000)
  })

  const good = resource('g', 1)
  it.each([
    [{}, 'Resources must be an array, Resources must have at least 1 resource'],
    [{ 'wrong-key': [] }, 'Resources must be an array, Resources must have at least 1 resource'],
    [{ resources: {} }, 'Resources must be an array, Resources must have at least 1 resource'],
    [{ resources: 'abc' }, 'Resources must be an array'],
    [{ resources: [] }, 'Resources must have at least 1 resource'],
    [
      { resources: Array.from({ length: 5001 }, () => good) },
      'Resources array can have at most 5000 resources',
    ],
    [
      { resources: [good, { ...good, checksum: 'abc' }] },
      'Resources array contains at least one resource with a non-object checksum',
    ],
    [
      { resources: [{ ...good, checksum: { value: 5 } }] },
      'Resources array contains at least one resource with a non-string checksum value',
    ],
    [
      { resources: [{ ...good, checksum: { value: 'z'.repeat(39) } }] },
      'Resources array contains at least one resource with a non-SHA1 checksum value',
    ],
    ...[true, 'x', 5.1, {}, null].map((size) => [
      { resources: [{ ...good, size_in_bytes: size }] },
      'Resources array contains at least one resource with a non-integer size_in_bytes',
    ]),
    [
      { resources: [{ ...good, size_in_bytes: -1 }] },
      'Resources array contains at least one resource with a negative size_in_bytes',
    ],
    [
      { resources: [{ ...good, mode: 644 }] },
      'Resources array contains at least one resource with a non-string mode',
    ],
    [
      { resources: [{ ...good, mode: '0o644' }] },
      'Resources array contains at least one resource with an incorrect mode',
    ],
    [
      {
        resources: [
          { ...good, checksum: { value: 'short' }, size_in_bytes: -5, mode: '9' },
          { ...good, checksum: { value: 'short' }, size_in_bytes: -1, mode: 'x' },
          { sha1: sha1('v2'), size: 1, fn: 'v2/format' },
        ],
      },
      'Resources array contains at least one resource with a non-object checksum, Resources array contains at least one resource with a non-SHA1 checksum value, Resources array contains at least one resource with a non-integer size_in_bytes, Resources array contains at least one resource with a negative size_in_bytes, Resources array contains at least one resource with an incorrect mode',
    ],
  ] as [unknown, string][])('answers invalid request %# with 422', async (payload, detail) => {
    const server = await serverWithPool([])
    const { status, body } = await postJson(server, '/v3/resource_matches', payload)
    expect(status).toBe(422)
    expect(body).toEqual(unprocessable(detail))
  })
})
