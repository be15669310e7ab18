import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashToken } from '../auth/access-token.js'
import { createApp, postJson } from '../../test/helpers/cf-requests.js'
import { type TestServer, startTestServer } from '../../test/helpers/start-test-server.js'

const KEY = 'codenow-fuzz-key-41aa'

/** Bodies near a create request's shape, and arbitrary JSON. */
const bodies = fc.oneof(
  fc.json(),
  fc.string(),
  fc
    .record(
      {
        version: fc.oneof(fc.constantFrom('1.0.0', '', ' '), fc.string(), fc.jsonValue()),
        components: fc.oneof(
          fc.array(
            fc.record(
              {
                componentId: fc.oneof(fc.constantFrom('web', ''), fc.jsonValue()),
                version: fc.oneof(fc.constantFrom('1.0.0', ''), fc.jsonValue()),
              },
              { requiredKeys: [] },
            ),
            { maxLength: 4 },
          ),
          fc.jsonValue(),
        ),
        labels: fc.oneof(
          fc.array(
            fc.record(
              {
                color: fc.oneof(fc.constantFrom('red', 'black', 'pink'), fc.jsonValue()),
                text: fc.oneof(fc.string({ maxLength: 300 }), fc.jsonValue()),
              },
              { requiredKeys: [] },
            ),
            { maxLength: 40 },
          ),
          fc.jsonValue(),
        ),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
)

describe('CodeNOW: bad input never answers 500 and always a coded body', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({
      codenow: { apiKeys: [{ name: 'fuzz', sha256: hashToken(KEY), applications: ['*'] }] },
    })
    const appGuid = await createApp(server, 'web', 'docker')
    await postJson(server, '/v3/packages', {
      type: 'docker',
      data: { image: 'web:1' },
      relationships: { app: { data: { guid: appGuid } } },
      metadata: { annotations: { 'packwright.dev/version': '1.0.0' } },
    })
    await server.app.inject({
      method: 'POST',
      url: '/applications',
      headers: { 'x-codenow-api-key': KEY, 'content-type': 'application/json' },
      payload: JSON.stringify({ id: 'shop', name: 'Shop' }),
    })
  })
  afterAll(async () => {
    await server.close()
  })

  it('create: 200 or a 4xx with every problem named, whatever the body', async () => {
    const seen = new Set<number>()
    await fc.assert(
      fc.asyncProperty(bodies, async (payload) => {
        const response = await server.app.inject({
          method: 'POST',
          url: '/applications/shop/packages',
          headers: { 'x-codenow-api-key': KEY, 'content-type': 'application/vnd.codenow.v1+json' },
          payload,
        })
        seen.add(response.statusCode)
        expect([200, 400, 404]).toContain(response.statusCode)
        const body = response.json<Record<string, unknown>>()
        if (response.statusCode === 200) {
          expect(typeof body.version).toBe('string')
          return
        }
        expect(body.status).toBe(response.statusCode)
        expect(String(body.code)).toMatch(/^CODENOW_/)
        expect(typeof body.message).toBe('string')
        expect((body.problems as unknown[]).length).toBeGreaterThan(0)
      }),
      { numRuns: 300 },
    )
    expect(seen.has(400)).toBe(true)
  })

  it('list: any query answers 200 or 400', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('includeArchived', 'expand', 'x'), fc.string()),
        async (query) => {
          const response = await server.app.inject({
            method: 'GET',
            url: '/applications/shop/packages',
            query,
            headers: { 'x-codenow-api-key': KEY },
          })
          expect([200, 400]).toContain(response.statusCode)
        },
      ),
      { numRuns: 200 },
    )
  })
})
