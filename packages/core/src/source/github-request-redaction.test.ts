import { createServer, type Server } from 'node:http'
import { type AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { type Logger } from '../logger.js'
import { rejection } from '../../test/helpers/rejection.js'
import { createGitHubRequester } from './github-request.js'

const TOKEN = 'redaction-fixture-token-that-must-stay-hidden'

const servers: Server[] = []

afterEach(async () => {
  await Promise.all(
    servers
      .splice(0)
      .map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  )
})

/** A peer on 127.0.0.1 that answers every request with `status` and a JSON `message`. */
async function answerWith(status: number, message: string): Promise<string> {
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ message }))
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    debug: (line) => lines.push(line),
    info: (line) => lines.push(line),
    warn: (line) => lines.push(line),
  }
}

const request = { accept: 'application/json', subject: 'the tree', size: { maxBytes: 1000 } }

describe('createGitHubRequester token redaction', () => {
  it('redacts every occurrence of the token in one answer', async () => {
    const apiBaseUrl = await answerWith(400, `got ${TOKEN}, expected not ${TOKEN} either`)
    const requester = createGitHubRequester({ apiBaseUrl, token: TOKEN, retries: 0 })
    const error = await rejection(requester.read('/repos/o/r/git/trees/x', request))
    await requester.close()
    expect(error.code).toBe('GITHUB_REQUEST_FAILED')
    expect(error.message).toContain('got [redacted], expected not [redacted] either')
    const details = JSON.stringify(error.details)
    expect(details).toContain('got [redacted], expected not [redacted] either')
    for (const text of [error.message, error.hint ?? '', details]) expect(text).not.toContain(TOKEN)
  })

  it('redacts every occurrence of the token after the last retry of a 5xx answer', async () => {
    const apiBaseUrl = await answerWith(503, `${TOKEN}${TOKEN}`)
    const logger = recordingLogger()
    const requester = createGitHubRequester({
      apiBaseUrl,
      token: TOKEN,
      retries: 1,
      retryDelayMs: 1,
      logger,
    })
    const error = await rejection(requester.read('/repos/o/r/git/trees/x', request))
    await requester.close()
    expect(error.message).toContain(': "[redacted][redacted]".')
    expect(error.message).toMatch(/\(after 2 attempts\)$/)
    for (const text of [error.message, JSON.stringify(error.details), ...logger.lines]) {
      expect(text).not.toContain(TOKEN)
    }
  })
})
