import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, unprocessable } from '../../test/helpers/cf-requests.js'
import { type TestServer, startTestServer } from '../../test/helpers/start-test-server.js'

describe('POST /v3/apps/:guid/packages (older experimental form)', () => {
  let server: TestServer
  let dockerApp: string
  let bitsApp: string
  beforeAll(async () => {
    server = await startTestServer()
    dockerApp = await createApp(server, 'runtime', 'docker')
    bitsApp = await createApp(server, 'bits')
  })
  afterAll(async () => {
    await server.close()
  })

  async function post(appGuid: string, payload: string, contentType = 'application/json') {
    const response = await server.app.inject({
      method: 'POST',
      url: `/v3/apps/${appGuid}/packages`,
      headers: { ...server.as('write'), 'content-type': contentType },
      payload,
    })
    return { status: response.statusCode, body: response.json<Record<string, unknown>>() }
  }

  it('answers the documented docker request, sent as form-urlencoded JSON, in the experimental shape', async () => {
    const { status, body } = await post(
      dockerApp,
      '{\n  "type": "docker",\n  "url": "docker://cloudfoundry/runtime-ci"\n}',
      'application/x-www-form-urlencoded',
    )
    expect(status).toBe(201)
    const guid = body.guid as string
    expect(body).toEqual({
      guid,
      type: 'docker',
      hash: { type: 'sha1', value: null },
      url: 'docker://cloudfoundry/runtime-ci',
      state: 'READY',
      error: null,
      created_at: '2026-03-01T12:00:00Z',
      updated_at: null,
      _links: {
        self: { href: `/v3/packages/${guid}` },
        app: { href: `/v3/apps/${dockerApp}` },
      },
    })
    expect(Object.keys(body)).toEqual([
      'guid',
      'type',
      'hash',
      'url',
      'state',
      'error',
      'created_at',
      'updated_at',
      '_links',
    ])
  })

  it('creates a bits package with an upload link, visible on the current routes too', async () => {
    const { status, body } = await post(bitsApp, '{"type":"bits"}')
    expect(status).toBe(201)
    const guid = body.guid as string
    expect(body).toMatchObject({
      type: 'bits',
      url: null,
      state: 'AWAITING_UPLOAD',
      _links: {
        self: { href: `/v3/packages/${guid}` },
        upload: { href: `/v3/packages/${guid}/upload`, method: 'POST' },
        app: { href: `/v3/apps/${bitsApp}` },
      },
    })
    const current = await server.app.inject({
      method: 'GET',
      url: `/v3/packages/${guid}`,
      headers: server.as('read'),
    })
    expect(current.json()).toMatchObject({ guid, state: 'AWAITING_UPLOAD' })
  })

  it('accepts the later docker form with data.image', async () => {
    const { status, body } = await post(dockerApp, '{"type":"docker","data":{"image":"busybox"}}')
    expect(status).toBe(201)
    expect(body.url).toBe('busybox')
  })

  it('answers 404 App not found for an unknown app', async () => {
    expect(await post('missing', '{"type":"bits"}')).toEqual({
      status: 404,
      body: { errors: [{ detail: 'App not found', title: 'CF-ResourceNotFound', code: 10010 }] },
    })
  })

  it.each([
    ['{}', "Type must be one of 'bits, docker'"],
    ['{"type":"docker"}', "Url can't be blank"],
    ['{"type":"docker","url":5}', "Url must be a string, Url can't be blank"],
    ['{"type":"bits","url":"docker://x"}', 'Url must be blank for bits packages'],
    ['{"type":"bits","relationships":{}}', "Unknown field(s): 'relationships'"],
  ])('answers %s with 422 %j', async (payload, detail) => {
    const app = payload.includes('docker') ? dockerApp : bitsApp
    expect(await post(app, payload)).toEqual({ status: 422, body: unprocessable(detail) })
  })

  it('refuses packages of the other lifecycle', async () => {
    expect(await post(dockerApp, '{"type":"bits"}')).toEqual({
      status: 422,
      body: unprocessable('Cannot create bits package for a Docker app.'),
    })
  })

  it('answers a form-urlencoded body that is not JSON with 400 CF-MessageParseError', async () => {
    const { status, body } = await post(bitsApp, 'type=bits', 'application/x-www-form-urlencoded')
    expect(status).toBe(400)
    expect(body).toMatchObject({ errors: [{ title: 'CF-MessageParseError', code: 1001 }] })
  })
})
