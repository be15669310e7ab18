import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestServer, startTestServer } from '../../test/helpers/start-test-server.js'

const PARSE_ERROR = {
  errors: [
    {
      detail: 'Request invalid due to parse error: invalid request body',
      title: 'CF-MessageParseError',
      code: 1001,
    },
  ],
}

describe('error envelope', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ bodyLimitBytes: 256 })
  })
  afterAll(async () => {
    await server.close()
  })

  function post(url: string, payload: string, contentType = 'application/json') {
    return server.app.inject({
      method: 'POST',
      url,
      headers: { ...server.as('write'), 'content-type': contentType },
      payload,
    })
  }

  it.each(['{"type":', '{bad', '[1,2', '{"__proto__":{"x":1}}'])(
    'answers malformed JSON %j with 400 CF-MessageParseError',
    async (payload) => {
      const response = await post('/v3/packages', payload)
      expect(response.statusCode).toBe(400)
      expect(response.headers['content-type']).toMatch(/^application\/json/)
      expect(response.json()).toEqual(PARSE_ERROR)
    },
  )

  it.each(['[]', '"text"', '42', 'null'])(
    'answers a JSON body that is not an object (%s) with 400 CF-MessageParseError',
    async (payload) => {
      const response = await post('/v3/packages', payload)
      expect(response.statusCode).toBe(400)
      expect(response.json()).toEqual(PARSE_ERROR)
    },
  )

  it('answers unknown routes and methods with 404 CF-NotFound, even with a broken body', async () => {
    const expected = { errors: [{ detail: 'Unknown request', title: 'CF-NotFound', code: 10000 }] }
    for (const response of [
      await server.app.inject({ method: 'GET', url: '/v3/nothing-here' }),
      await server.app.inject({ method: 'DELETE', url: '/v3/apps', headers: server.as('admin') }),
      await post('/v2/apps', '{broken'),
    ]) {
      expect(response.statusCode).toBe(404)
      expect(response.json()).toEqual(expected)
    }
  })

  it('answers a URL that does not decode with 400 CF-InvalidRequest', async () => {
    const response = await server.app.inject({
      method: 'GET',
      url: '/v3/packages/%E0%A4%A',
      headers: server.as('read'),
    })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({
      errors: [{ detail: 'The request is invalid', title: 'CF-InvalidRequest', code: 10004 }],
    })
  })

  it('answers overlong guids in the envelope: not found, never a framework body', async () => {
    for (const length of [300, 5000]) {
      const response = await server.app.inject({
        method: 'GET',
        url: `/v3/packages/${'x'.repeat(length)}`,
        headers: server.as('read'),
      })
      expect(response.statusCode).toBe(404)
      expect(response.json<{ errors: { code: number }[] }>().errors[0]?.code).toBeOneOf([
        10000, 10010,
      ])
    }
  })

  it('answers a body over the configured limit with 413 in the envelope', async () => {
    const response = await post(
      '/v3/resource_matches',
      JSON.stringify({ resources: 'x'.repeat(300) }),
    )
    expect(response.statusCode).toBe(413)
    expect(response.json()).toEqual({
      errors: [
        {
          detail: 'The request body is larger than the server accepts: at most 256 bytes.',
          title: 'CF-RequestEntityTooLarge',
          code: 990413,
        },
      ],
    })
  })

  it.each(['text/plain', 'application/xml', 'multipart/form-data; boundary=x'])(
    'answers content type %s with 415 in the envelope',
    async (contentType) => {
      const response = await post('/v3/packages', '{}', contentType)
      expect(response.statusCode).toBe(415)
      const body = response.json<{ errors: { detail: string; title: string; code: number }[] }>()
      expect(body.errors[0]?.title).toBe('CF-UnsupportedMediaType')
      expect(body.errors[0]?.detail).toContain('send application/json')
    },
  )
})

describe('unexpected failures', () => {
  it('answers an unexpected failure with 500 CF-UnknownError and no internals', async () => {
    const server = await startTestServer()
    await server.storage.metadata.close()
    const response = await server.app.inject({
      method: 'GET',
      url: '/v3/packages/some-guid',
      headers: server.as('read'),
    })
    expect(response.statusCode).toBe(500)
    expect(response.json()).toEqual({
      errors: [{ detail: 'An unknown error occurred.', title: 'CF-UnknownError', code: 10001 }],
    })
    expect(response.body).not.toMatch(/at |\.ts|\.js|sqlite|kysely/i)
    await server.close().catch(() => undefined)
  })
})
