import { Writable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import {
  TEST_TOKENS,
  type TestServer,
  startTestServer,
} from '../../test/helpers/start-test-server.js'

const NOT_AUTHENTICATED = {
  errors: [{ detail: 'Authentication error', title: 'CF-NotAuthenticated', code: 10002 }],
}
const INVALID_TOKEN = {
  errors: [{ detail: 'Invalid Auth Token', title: 'CF-InvalidAuthToken', code: 1000 }],
}
const NOT_AUTHORIZED = {
  errors: [
    {
      detail: 'You are not authorized to perform the requested action',
      title: 'CF-NotAuthorized',
      code: 10003,
    },
  ],
}

describe('bearer auth', () => {
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
  })

  it('answers 401 CF-NotAuthenticated without a token, before reading the body', async () => {
    server = await startTestServer()
    for (const headers of [{}, { authorization: '' }, { authorization: '   ' }]) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/v3/packages',
        headers: { ...headers, 'content-type': 'application/json' },
        payload: '{not json',
      })
      expect(response.statusCode).toBe(401)
      expect(response.json()).toEqual(NOT_AUTHENTICATED)
    }
  })

  it('answers 401 CF-InvalidAuthToken for a token it does not know or a malformed header', async () => {
    server = await startTestServer()
    for (const authorization of [
      'bearer unknown-token',
      `bearer ${TEST_TOKENS.admin}x`,
      `Basic ${TEST_TOKENS.admin}`,
      TEST_TOKENS.admin,
      'bearer',
    ]) {
      const response = await server.app.inject({
        method: 'GET',
        url: '/v3/packages',
        headers: { authorization },
      })
      expect(response.statusCode, authorization).toBe(401)
      expect(response.json()).toEqual(INVALID_TOKEN)
    }
  })

  it('answers 403 CF-NotAuthorized when the token lacks the scope', async () => {
    server = await startTestServer()
    for (const [method, url] of [
      ['POST', '/v3/apps'],
      ['POST', '/v3/packages'],
      ['POST', '/v3/apps/x/packages'],
      ['POST', '/v3/resource_matches'],
    ] as const) {
      const response = await server.app.inject({
        method,
        url,
        headers: server.as('read'),
        payload: {},
      })
      expect(response.statusCode, url).toBe(403)
      expect(response.json()).toEqual(NOT_AUTHORIZED)
    }
  })

  it('lets write and admin tokens read, and accepts any case of "bearer"', async () => {
    server = await startTestServer()
    for (const authorization of [
      `bearer ${TEST_TOKENS.read}`,
      `Bearer ${TEST_TOKENS.write}`,
      `BEARER ${TEST_TOKENS.admin}`,
    ]) {
      const response = await server.app.inject({
        method: 'GET',
        url: '/v3/packages',
        headers: { authorization },
      })
      expect(response.statusCode, authorization).toBe(200)
    }
  })

  it('serves /openapi.json without a token', async () => {
    server = await startTestServer()
    expect((await server.app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200)
  })

  it('never writes the Authorization header or a token to the logs', async () => {
    const lines: string[] = []
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString('utf8'))
        callback()
      },
    })
    server = await startTestServer({
      logger: {
        level: 'trace',
        stream,
        serializers: {
          req: (request: { headers: unknown; method: string; url: string }) => ({
            method: request.method,
            url: request.url,
            headers: request.headers,
          }),
        },
      },
    })
    await server.app.inject({ method: 'GET', url: '/v3/packages', headers: server.as('admin') })
    await server.app.inject({ method: 'GET', url: '/v3/packages', headers: server.as('read') })
    await server.app.inject({
      method: 'GET',
      url: '/v3/packages',
      headers: { authorization: 'bearer wrong-secret-1234' },
    })
    const log = lines.join('')
    expect(log).toContain('/v3/packages')
    expect(log).toContain('[redacted]')
    for (const secret of [TEST_TOKENS.admin, TEST_TOKENS.read, 'wrong-secret-1234']) {
      expect(log).not.toContain(secret)
    }
  })
})
