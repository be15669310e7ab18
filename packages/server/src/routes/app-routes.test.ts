import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getJson, postJson, unprocessable } from '../../test/helpers/cf-requests.js'
import { type TestServer, startTestServer } from '../../test/helpers/start-test-server.js'

describe('app routes', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(async () => {
    await server.close()
  })

  it('creates an app from just a name: 201 in the v3 shape', async () => {
    const { status, body } = await postJson(server, '/v3/apps', { name: 'shape' })
    expect(status).toBe(201)
    const guid = body.guid as string
    expect(guid).toMatch(/^[0-9a-f-]{36}$/)
    expect(body).toEqual({
      guid,
      created_at: '2026-03-01T12:00:00Z',
      updated_at: '2026-03-01T12:00:00Z',
      name: 'shape',
      state: 'STOPPED',
      lifecycle: { type: 'buildpack', data: { buildpacks: [], stack: null } },
      metadata: { labels: {}, annotations: {} },
      links: {
        self: { href: `https://api.example.org/v3/apps/${guid}` },
        packages: { href: `https://api.example.org/v3/apps/${guid}/packages` },
      },
    })
    expect(await getJson(server, `/v3/apps/${guid}`)).toEqual({ status: 200, body })
  })

  it('keeps labels, annotations and a docker lifecycle', async () => {
    const { status, body } = await postJson(server, '/v3/apps', {
      name: 'docker-app',
      lifecycle: { type: 'docker', data: {} },
      metadata: { labels: { env: 'prod' }, annotations: { owner: 'team' } },
    })
    expect(status).toBe(201)
    expect(body).toMatchObject({
      lifecycle: { type: 'docker', data: {} },
      metadata: { labels: { env: 'prod' }, annotations: { owner: 'team' } },
    })
  })

  it.each([
    [{}, "Name can't be blank"],
    [{ name: '' }, "Name can't be blank"],
    [{ name: 7 }, 'Name must be a string'],
    [{ name: 'x'.repeat(256) }, 'Name is too long (maximum is 255 characters)'],
    [{ name: 'a', space: 'b', potato: 1 }, "Unknown field(s): 'space', 'potato'"],
    [{ name: 'a', lifecycle: 'docker' }, 'Lifecycle must be an object'],
    [
      { name: 'a', lifecycle: { type: 'kpack' } },
      "Lifecycle type must be one of 'buildpack, docker'",
    ],
    [{ name: 'a', metadata: [] }, "Metadata 'metadata' is not an object"],
    [{ name: 'a', metadata: { labels: { a: 1 } } }, 'Metadata labels values must be strings'],
    [{ potato: 1 }, "Unknown field(s): 'potato', Name can't be blank"],
  ])('answers %j with 422 %j', async (payload, detail) => {
    const { status, body } = await postJson(server, '/v3/apps', payload)
    expect(status).toBe(422)
    expect(body).toEqual(unprocessable(detail))
  })

  it('refuses a second app with the same name', async () => {
    await postJson(server, '/v3/apps', { name: 'twice' })
    const { status, body } = await postJson(server, '/v3/apps', { name: 'twice' })
    expect(status).toBe(422)
    expect(body).toEqual(unprocessable("App with the name 'twice' already exists."))
  })

  it('answers 404 CF-ResourceNotFound for an unknown app', async () => {
    expect(await getJson(server, '/v3/apps/no-such-app')).toEqual({
      status: 404,
      body: { errors: [{ detail: 'App not found', title: 'CF-ResourceNotFound', code: 10010 }] },
    })
  })

  it('lists apps by name with the pagination envelope', async () => {
    await postJson(server, '/v3/apps', { name: 'listed-a' })
    await postJson(server, '/v3/apps', { name: 'listed-b' })
    const { status, body } = await getJson(server, '/v3/apps?names=listed-a,listed-b,absent')
    expect(status).toBe(200)
    expect(body.pagination).toEqual({
      total_results: 2,
      total_pages: 1,
      first: {
        href: 'https://api.example.org/v3/apps?names=listed-a%2Clisted-b%2Cabsent&page=1&per_page=50',
      },
      last: {
        href: 'https://api.example.org/v3/apps?names=listed-a%2Clisted-b%2Cabsent&page=1&per_page=50',
      },
      next: null,
      previous: null,
    })
    expect((body.resources as { name: string }[]).map((app) => app.name)).toEqual([
      'listed-a',
      'listed-b',
    ])
  })

  it('answers a bad list query with 400 CF-BadQueryParameter', async () => {
    const { status, body } = await getJson(server, '/v3/apps?per_page=0&colour=red')
    expect(status).toBe(400)
    expect(body).toEqual({
      errors: [
        {
          detail:
            "The query parameter is invalid: Unknown query parameter(s): 'colour'. Valid parameters are: 'names', 'guids', 'page', 'per_page', 'order_by', Per page must be between 1 and 5000",
          title: 'CF-BadQueryParameter',
          code: 10005,
        },
      ],
    })
  })
})
