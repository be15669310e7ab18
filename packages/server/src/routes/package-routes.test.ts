import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, getJson, postJson, unprocessable } from '../../test/helpers/cf-requests.js'
import { type TestServer, startTestServer } from '../../test/helpers/start-test-server.js'

const BASE = 'https://api.example.org'

describe('package routes', () => {
  let server: TestServer
  let appGuid: string
  let dockerAppGuid: string
  beforeAll(async () => {
    server = await startTestServer()
    appGuid = await createApp(server, 'web')
    dockerAppGuid = await createApp(server, 'image', 'docker')
  })
  afterAll(async () => {
    await server.close()
  })

  function bitsRequest(guid = appGuid) {
    return { type: 'bits', relationships: { app: { data: { guid } } } }
  }

  it('creates a bits package: 201 AWAITING_UPLOAD in the current v3 shape', async () => {
    const { status, body } = await postJson(server, '/v3/packages', bitsRequest())
    expect(status).toBe(201)
    const guid = body.guid as string
    const self = `${BASE}/v3/packages/${guid}`
    expect(body).toEqual({
      guid,
      type: 'bits',
      data: { checksum: { type: 'sha256', value: null }, error: null },
      state: 'AWAITING_UPLOAD',
      created_at: '2026-03-01T12:00:00Z',
      updated_at: '2026-03-01T12:00:00Z',
      relationships: { app: { data: { guid: appGuid } } },
      metadata: { labels: {}, annotations: {} },
      links: {
        self: { href: self },
        upload: { href: `${self}/upload`, method: 'POST' },
        download: { href: `${self}/download` },
        app: { href: `${BASE}/v3/apps/${appGuid}` },
      },
    })
    expect(await getJson(server, `/v3/packages/${guid}`)).toEqual({ status: 200, body })
  })

  it('accepts bits with empty data and metadata', async () => {
    const { status, body } = await postJson(server, '/v3/packages', {
      ...bitsRequest(),
      data: {},
      metadata: { labels: { commit: 'abc' }, annotations: {} },
    })
    expect(status).toBe(201)
    expect(body.metadata).toEqual({ labels: { commit: 'abc' }, annotations: {} })
  })

  it('creates a docker package READY, hiding the password', async () => {
    const { status, body } = await postJson(server, '/v3/packages', {
      type: 'docker',
      relationships: { app: { data: { guid: dockerAppGuid } } },
      data: { image: 'registry/image:latest', username: 'u', password: 'hunter2' },
    })
    expect(status).toBe(201)
    const guid = body.guid as string
    expect(body).toMatchObject({
      type: 'docker',
      state: 'READY',
      data: { image: 'registry/image:latest', username: 'u', password: '***' },
      links: {
        self: { href: `${BASE}/v3/packages/${guid}` },
        app: { href: `${BASE}/v3/apps/${dockerAppGuid}` },
      },
    })
    expect(Object.keys(body.links as object)).toEqual(['self', 'app'])
    expect(JSON.stringify(body)).not.toContain('hunter2')
    const anonymous = await postJson(server, '/v3/packages', {
      type: 'docker',
      relationships: { app: { data: { guid: dockerAppGuid } } },
      data: { image: 'registry/public' },
    })
    expect(anonymous.body.data).toEqual({
      image: 'registry/public',
      username: null,
      password: null,
    })
  })

  const relationships = { app: { data: { guid: 'g' } } }
  it.each([
    [{ ...bitsRequest('g'), a: 1, b: 2 }, "Unknown field(s): 'a', 'b'"],
    [{ relationships }, "Type must be one of 'bits, docker'"],
    [{ type: 'zip', relationships }, "Type must be one of 'bits, docker'"],
    [{ type: 'bits' }, "Relationships 'relationships' is not an object"],
    [{ type: 'bits', relationships: 'app' }, "Relationships 'relationships' is not an object"],
    [
      { type: 'bits', relationships: { ...relationships, potato: {} } },
      "Relationships Unknown field(s): 'potato'",
    ],
    [
      { type: 'bits', relationships: { app: { data: { guid: 5 } } } },
      'Relationships App guid must be a string',
    ],
    [
      { type: 'bits', relationships: { app: 'g' } },
      'Relationships App must be structured like this: "app: {"data": {"guid": "valid-guid"}}"',
    ],
    [
      { type: 'bits', relationships: { app: { data: { guid: '' } } } },
      'Relationships App guid must be between 1 and 200 characters',
    ],
    [
      { ...bitsRequest('g'), data: { image: 'x' } },
      'Data must be empty if provided for bits packages',
    ],
    [{ ...bitsRequest('g'), data: 'x' }, 'Data must be empty if provided for bits packages'],
    [{ type: 'docker', relationships }, 'Data Image required'],
    [{ type: 'docker', relationships, data: {} }, 'Data Image required'],
    [{ type: 'docker', relationships, data: { image: 3 } }, 'Data Image must be a string'],
    [
      { type: 'docker', relationships, data: { image: 'i', tag: 'x' } },
      "Data Unknown field(s): 'tag'",
    ],
    [
      { type: 'docker', relationships, data: { image: 'i', username: 1, password: 2 } },
      'Data Username must be a string, Data Password must be a string',
    ],
    [{ ...bitsRequest('g'), metadata: 'x' }, "Metadata 'metadata' is not an object"],
    [
      { potato: 1, type: 'nope', relationships: 5 },
      "Unknown field(s): 'potato', Relationships 'relationships' is not an object, Type must be one of 'bits, docker'",
    ],
  ])('answers %j with 422 %j', async (payload, detail) => {
    const { status, body } = await postJson(server, '/v3/packages', payload)
    expect(status).toBe(422)
    expect(body).toEqual(unprocessable(detail))
  })

  it('answers 422 for an app that does not exist', async () => {
    const { status, body } = await postJson(server, '/v3/packages', bitsRequest('no-such-app'))
    expect(status).toBe(422)
    expect(body).toEqual(
      unprocessable('App is invalid. Ensure it exists and you have access to it.'),
    )
  })

  it('refuses packages of the other lifecycle', async () => {
    const bits = await postJson(server, '/v3/packages', bitsRequest(dockerAppGuid))
    expect(bits).toEqual({
      status: 422,
      body: unprocessable('Cannot create bits package for a Docker app.'),
    })
    const docker = await postJson(server, '/v3/packages', {
      type: 'docker',
      relationships: { app: { data: { guid: appGuid } } },
      data: { image: 'i' },
    })
    expect(docker).toEqual({
      status: 422,
      body: unprocessable('Cannot create Docker package for a buildpack app.'),
    })
  })

  it('answers 404 CF-ResourceNotFound for an unknown package', async () => {
    expect(await getJson(server, '/v3/packages/missing')).toEqual({
      status: 404,
      body: {
        errors: [{ detail: 'Package not found', title: 'CF-ResourceNotFound', code: 10010 }],
      },
    })
  })
})

describe('package lists', () => {
  let server: TestServer
  let first: string
  let second: string
  const packages: string[] = []
  let clock = Date.parse('2026-03-01T00:00:00Z')

  beforeAll(async () => {
    server = await startTestServer({ now: () => new Date((clock += 1000)) })
    first = await createApp(server, 'first')
    second = await createApp(server, 'second')
    for (const guid of [first, second, first, second, first]) {
      const { body } = await postJson(server, '/v3/packages', {
        type: 'bits',
        relationships: { app: { data: { guid } } },
      })
      packages.push(body.guid as string)
    }
    await server.storage.metadata.transitionPackage(packages[0] as string, 'AWAITING_UPLOAD', {
      state: 'READY',
      sha1: 'a'.repeat(40),
      sha256: 'b'.repeat(64),
      updatedAt: '2026-03-02T00:00:00Z',
    })
  })
  afterAll(async () => {
    await server.close()
  })

  async function guidsOf(url: string): Promise<string[]> {
    const { status, body } = await getJson(server, url)
    expect(status, JSON.stringify(body)).toBe(200)
    return (body.resources as { guid: string }[]).map((item) => item.guid)
  }

  it('lists every package, oldest first, in the pagination envelope', async () => {
    const { body } = await getJson(server, '/v3/packages')
    expect(body.pagination).toEqual({
      total_results: 5,
      total_pages: 1,
      first: { href: `${BASE}/v3/packages?page=1&per_page=50` },
      last: { href: `${BASE}/v3/packages?page=1&per_page=50` },
      next: null,
      previous: null,
    })
    expect((body.resources as { guid: string }[]).map((item) => item.guid)).toEqual(packages)
    expect((body.resources as { data: unknown }[])[0]?.data).toEqual({
      checksum: { type: 'sha256', value: 'b'.repeat(64) },
      error: null,
    })
  })

  it('filters by guids, states, types and app_guids', async () => {
    expect(await guidsOf(`/v3/packages?app_guids=${first}`)).toEqual([
      packages[0],
      packages[2],
      packages[4],
    ])
    expect(await guidsOf('/v3/packages?states=READY')).toEqual([packages[0]])
    expect(await guidsOf('/v3/packages?states=AWAITING_UPLOAD,READY&types=docker')).toEqual([])
    expect(await guidsOf(`/v3/packages?guids=${packages[3]},${packages[1]}`)).toEqual([
      packages[1],
      packages[3],
    ])
    expect(await guidsOf(`/v3/apps/${second}/packages?states=AWAITING_UPLOAD`)).toEqual([
      packages[1],
      packages[3],
    ])
  })

  it('pages with links that keep the filters', async () => {
    const { body } = await getJson(
      server,
      `/v3/apps/${first}/packages?types=bits&order_by=-created_at&per_page=1&page=2`,
    )
    const link = (page: number) => ({
      href: `${BASE}/v3/apps/${first}/packages?types=bits&order_by=-created_at&page=${page}&per_page=1`,
    })
    expect(body.pagination).toEqual({
      total_results: 3,
      total_pages: 3,
      first: link(1),
      last: link(3),
      next: link(3),
      previous: link(1),
    })
    expect((body.resources as { guid: string }[]).map((item) => item.guid)).toEqual([packages[2]])
  })

  it('finds the newest READY package the way the cf CLI asks', async () => {
    expect(
      await guidsOf(
        `/v3/packages?app_guids=${first}&states=READY&order_by=-created_at&per_page=1&page=1`,
      ),
    ).toEqual([packages[0]])
  })

  it('orders by updated_at', async () => {
    expect(await guidsOf('/v3/packages?order_by=-updated_at&per_page=2')).toEqual([
      packages[0],
      packages[4],
    ])
  })

  it('answers a page past the end with no resources', async () => {
    const { body } = await getJson(server, '/v3/packages?page=9')
    expect(body.resources).toEqual([])
    expect((body.pagination as { total_pages: number }).total_pages).toBe(1)
  })

  it.each([
    ['per_page=0', 'Per page must be between 1 and 5000'],
    ['per_page=5001', 'Per page must be between 1 and 5000'],
    ['per_page=abc', 'Per page must be between 1 and 5000'],
    ['page=0', 'Page must be greater than 0'],
    ['page=x', 'Page is not a number'],
    ['page=1.5', 'Page must be an integer'],
    ['order_by=name', "Order by can only be: 'created_at', 'updated_at'"],
    [
      'space_guids=x',
      "Unknown query parameter(s): 'space_guids'. Valid parameters are: 'guids', 'states', 'types', 'app_guids', 'page', 'per_page', 'order_by'",
    ],
  ])('answers ?%s with 400 CF-BadQueryParameter', async (query, message) => {
    expect(await getJson(server, `/v3/packages?${query}`)).toEqual({
      status: 400,
      body: {
        errors: [
          {
            detail: `The query parameter is invalid: ${message}`,
            title: 'CF-BadQueryParameter',
            code: 10005,
          },
        ],
      },
    })
  })

  it('accepts per_page at both bounds', async () => {
    expect((await getJson(server, '/v3/packages?per_page=1')).status).toBe(200)
    expect((await getJson(server, '/v3/packages?per_page=5000')).status).toBe(200)
  })

  it('does not take app_guids on an app package list', async () => {
    const { status } = await getJson(server, `/v3/apps/${first}/packages?app_guids=${second}`)
    expect(status).toBe(400)
  })

  it('answers 404 App not found for the packages of an unknown app', async () => {
    expect(await getJson(server, '/v3/apps/missing/packages')).toEqual({
      status: 404,
      body: { errors: [{ detail: 'App not found', title: 'CF-ResourceNotFound', code: 10010 }] },
    })
  })
})
