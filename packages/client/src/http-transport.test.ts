import { PackwrightError } from '@packwright/core'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type StandInServer,
  answerJson,
  dropConnection,
  startStandInServer,
} from '../test/helpers/start-stand-in-server.js'
import { type RetryEvent, createHttpTransport } from './http-transport.js'
import { resolveRetryPolicy } from './retry-policy.js'

const TOKEN = 'secret-token-5b7a1'
let server: StandInServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

function transportFor(url: string, retries = 3, retried: RetryEvent[] = []) {
  return createHttpTransport({
    baseUrl: new URL(`${url}/`),
    token: TOKEN,
    retry: resolveRetryPolicy({ retries, baseDelayMs: 1, random: () => 0 }),
    userAgent: 'test',
    onRetry: (event) => retried.push(event),
  })
}

async function failure(promise: Promise<unknown>): Promise<PackwrightError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  if (!(error instanceof PackwrightError))
    throw new Error(`expected a PackwrightError, got ${String(error)}`)
  return error
}

const get = { method: 'GET', path: 'v3/apps', action: 'list apps' } as const

describe('createHttpTransport', () => {
  it('retries a dropped connection and then answers', async () => {
    server = await startStandInServer([dropConnection, answerJson(200, { ok: true })])
    const transport = transportFor(server.url)
    const response = await transport.send(get)
    expect(await response.body.json()).toEqual({ ok: true })
    expect(server.received).toHaveLength(2)
    await transport.close()
  })

  it('waits as long as a 429 Retry-After asks before trying again', async () => {
    server = await startStandInServer([
      answerJson(429, { errors: [] }, { 'retry-after': '1' }),
      answerJson(200, { ok: true }),
    ])
    const retried: RetryEvent[] = []
    const transport = transportFor(server.url, 3, retried)
    const response = await transport.send(get)
    expect(response.status).toBe(200)
    expect(retried).toEqual([
      { action: 'list apps', attempt: 1, delayMs: 1000, reason: 'HTTP 429' },
    ])
    await transport.close()
  })

  it('retries a 503 and answers the 200 that follows', async () => {
    server = await startStandInServer([
      answerJson(503, { errors: [{ title: 'CF-Unavailable', detail: 'busy' }] }),
      answerJson(200, { ok: true }),
    ])
    const transport = transportFor(server.url)
    expect((await transport.send(get)).status).toBe(200)
    expect(server.received).toHaveLength(2)
    await transport.close()
  })

  it('never retries a 400, and quotes the server reason', async () => {
    server = await startStandInServer([
      answerJson(400, { errors: [{ title: 'CF-MessageParseError', detail: 'bad body' }] }),
      answerJson(200, { ok: true }),
    ])
    const transport = transportFor(server.url)
    const error = await failure(transport.send(get))
    expect(error.code).toBe('PUSH_REQUEST_REJECTED')
    expect(error.message).toBe(
      'Could not list apps: the server answered 400 to GET /v3/apps (CF-MessageParseError: bad body).',
    )
    expect(server.received).toHaveLength(1)
    await transport.close()
  })

  it('gives up after the retries with the last status as a code', async () => {
    server = await startStandInServer([answerJson(502, {})])
    const transport = transportFor(server.url, 2)
    const error = await failure(transport.send(get))
    expect(error.code).toBe('PUSH_SERVER_ERROR')
    expect(server.received).toHaveLength(3)
    await transport.close()
  })

  it('reports a server that is not there as a network failure', async () => {
    server = await startStandInServer([answerJson(200, {})])
    const url = server.url
    await server.close()
    server = undefined
    const transport = transportFor(url, 1)
    const error = await failure(transport.send(get))
    expect(error.code).toBe('PUSH_NETWORK_FAILED')
    expect(error.message).toMatch(/ECONNREFUSED/)
    await transport.close()
  })

  it('sends the token as a bearer token and never puts it in a message', async () => {
    server = await startStandInServer([
      answerJson(401, { errors: [{ title: 'CF-InvalidAuthToken', detail: `bad ${TOKEN}` }] }),
    ])
    const transport = transportFor(server.url)
    const error = await failure(transport.send(get))
    expect(server.received[0]?.headers.authorization).toBe(`bearer ${TOKEN}`)
    expect(error.code).toBe('PUSH_AUTH_FAILED')
    expect(error.message).not.toContain(TOKEN)
    expect(error.message).toContain('bad ***')
    await transport.close()
  })
})
