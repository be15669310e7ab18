import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../test/helpers/cf-requests.js'
import { type TestServer, startTestServer } from '../../test/helpers/start-test-server.js'

interface Envelope {
  errors: { detail: unknown; title: unknown; code: unknown }[]
}

function expectEnvelope(status: number, text: string): void {
  expect(status).toBeLessThan(500)
  if (status < 400) return
  const body = JSON.parse(text) as Envelope
  expect(body.errors).toHaveLength(1)
  const [error] = body.errors
  expect(typeof error?.detail).toBe('string')
  expect(String(error?.title)).toMatch(/^CF-/)
  expect(typeof error?.code).toBe('number')
}

/** JSON-ish bodies: arbitrary JSON, and objects near each route's real shape. */
const bodies = fc.oneof(
  fc.json(),
  fc.string(),
  fc
    .record(
      {
        type: fc.oneof(fc.constantFrom('bits', 'docker'), fc.jsonValue()),
        relationships: fc.oneof(
          fc.record({ app: fc.record({ data: fc.record({ guid: fc.jsonValue() }) }) }),
          fc.jsonValue(),
        ),
        data: fc.jsonValue(),
        metadata: fc.jsonValue(),
        name: fc.jsonValue(),
        url: fc.jsonValue(),
        resources: fc.oneof(
          fc.array(
            fc.record(
              {
                checksum: fc.oneof(fc.record({ value: fc.jsonValue() }), fc.jsonValue()),
                size_in_bytes: fc.jsonValue(),
                mode: fc.jsonValue(),
                path: fc.jsonValue(),
              },
              { requiredKeys: [] },
            ),
            { maxLength: 5 },
          ),
          fc.jsonValue(),
        ),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
)

describe('bad input never answers 500 or a non-envelope error', () => {
  let server: TestServer
  let appGuid: string
  beforeAll(async () => {
    server = await startTestServer()
    appGuid = await createApp(server, 'fuzz')
  })
  afterAll(async () => {
    await server.close()
  })

  it('on every POST route', async () => {
    const routes = [
      '/v3/apps',
      '/v3/packages',
      `/v3/apps/${appGuid}/packages`,
      '/v3/resource_matches',
    ]
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), bodies, async (url, payload) => {
        const response = await server.app.inject({
          method: 'POST',
          url,
          headers: { ...server.as('write'), 'content-type': 'application/json' },
          payload,
        })
        expectEnvelope(response.statusCode, response.body)
      }),
      { numRuns: 300 },
    )
  })

  it('on every list query', async () => {
    const routes = ['/v3/apps', '/v3/packages', `/v3/apps/${appGuid}/packages`]
    const parameter = fc.tuple(
      fc.constantFrom('page', 'per_page', 'order_by', 'guids', 'states', 'names', 'app_guids', 'x'),
      fc.oneof(fc.string(), fc.integer().map(String), fc.constantFrom('-created_at', '')),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.array(parameter, { maxLength: 4 }),
        async (path, parameters) => {
          const query = new URLSearchParams(parameters).toString()
          const response = await server.app.inject({
            method: 'GET',
            url: `${path}?${query}`,
            headers: server.as('read'),
          })
          expectEnvelope(response.statusCode, response.body)
        },
      ),
      { numRuns: 300 },
    )
  })
})
