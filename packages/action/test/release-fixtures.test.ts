/**
 * The release-asset steps against GitHub's recorded answers: the
 * `release-assets` and `release-assets-conflict` scenarios of
 * `@octokit/fixtures`, served on 127.0.0.1 by `@octokit/fixtures-server`,
 * which answers only the recorded requests, in the recorded order.
 */
import { type Server } from 'node:http'
import { type AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { createHash } from 'node:crypto'
import fixtureServerMiddleware from '@octokit/fixtures-server'
import { noopLogger } from '@packwright/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findRelease } from '../src/find-or-create-release.js'
import { createReleaseClient } from '../src/release-client.js'
import { uploadReleaseAsset, type AssetFile, type ReleaseLocation } from '../src/release-assets.js'

/** The token the fixtures were recorded with. */
const FIXTURE_TOKEN = '0000000000000000000000000000000000000001'
const CONTENT = Buffer.from('Hello, world!\n')

type Express = (() => {
  use(handler: unknown): void
  listen(port: number, host: string, done: () => void): Server
}) & { json(): unknown }

const requireFromFixtures = createRequire(
  createRequire(import.meta.url).resolve('@octokit/fixtures-server'),
)
const express = requireFromFixtures('express') as Express

let server: Server
let baseUrl: string
const app = express()

beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server = app.listen(0, '127.0.0.1', resolve)
  })
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  app.use(fixtureServerMiddleware({ fixturesUrl: baseUrl, logLevel: 'silent', ttl: 60_000 }))
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

/** Loads a scenario and returns the URL that stands for api.github.com in it. */
async function loadScenario(scenario: string): Promise<string> {
  const response = await fetch(`${baseUrl}/fixtures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scenario }),
  })
  expect(response.status).toBe(201)
  return ((await response.json()) as { url: string }).url
}

function location(apiUrl: string, repo: string): ReleaseLocation {
  return {
    client: createReleaseClient({
      token: FIXTURE_TOKEN,
      apiUrl,
      logger: noopLogger,
      backoffUnitMs: 1,
    }),
    owner: 'octokit-fixture-org',
    repo,
  }
}

const file: AssetFile = {
  name: 'test-upload.txt',
  data: CONTENT,
  contentType: 'text/plain',
  sha256: createHash('sha256').update(CONTENT).digest('hex'),
}

describe('release assets against recorded GitHub answers', () => {
  it('finds the published release of a tag and uploads an asset to its upload_url', async () => {
    const where = location(await loadScenario('release-assets'), 'release-assets')
    const release = await findRelease(where, 'v1.0.0')
    expect(release?.id).toBe(1000)
    expect(release?.draft).toBe(false)

    const asset = await uploadReleaseAsset(where, release!, file, file.name, 'test')
    expect(asset).toMatchObject({
      id: 1000,
      name: 'test-upload.txt',
      label: 'test',
      state: 'uploaded',
    })
  })

  it('on 422 already_exists lists the assets, deletes the same-named one and uploads again', async () => {
    const where = location(await loadScenario('release-assets-conflict'), 'release-assets-conflict')
    const release = await findRelease(where, 'v1.0.0')
    expect(release?.id).toBe(1000)

    const asset = await uploadReleaseAsset(where, release!, file, file.name, 'test')
    // Asset 1000 was there; the recorded flow deletes it and the new upload is asset 1001.
    expect(asset).toMatchObject({ id: 1001, name: 'test-upload.txt', label: 'test' })
  })
})
