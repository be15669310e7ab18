/**
 * Attaching the package to the GitHub Release of a tag, against a stand-in
 * for GitHub's release endpoints on 127.0.0.1 (test/helpers/start-github-releases.ts
 * says where each answer's shape comes from).
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  PACKWRIGHT_ACTION_BUILDER_ID,
  buildProvenanceStatement,
  formatProvenanceStatement,
  type Logger,
} from '@packwright/core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  PERMISSION_DENIED_BODY,
  SECONDARY_RATE_LIMIT_BODY,
  SERVER_ERROR_BODY,
  startGitHubReleases,
  type GitHubReleases,
} from '../../../test/helpers/start-github-releases.js'
import { ActionError } from '../src/action-error.js'
import { attachToRelease, type AttachToReleaseOptions } from '../src/attach-to-release.js'
import { checksumFileText } from '../src/checksum-file.js'
import { FileBody } from '../src/file-body.js'
import { provenanceFileName } from '../src/provenance-file.js'
import { createReleaseClient } from '../src/release-client.js'
import { placeReleaseAsset, type AssetFile, type ReleaseLocation } from '../src/release-assets.js'

const OWNER = 'octo-org'
const REPO = 'hello-pod'
const TOKEN = 'release-token-that-must-stay-hidden-0'
const SHA = 'abc1234def5678abc1234def5678abc1234def56'
const TAG = 'v1.2.3'

let github: GitHubReleases
let messages: string[]

const logger: Logger = {
  debug: () => undefined,
  info: (message) => messages.push(message),
  warn: (message) => messages.push(`warning: ${message}`),
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/** The package and its checksum file, as the action attaches them. */
function packageFiles(name: string, content: string): AssetFile[] {
  const zip = Buffer.from(content)
  const digest = sha256(zip)
  const sums = Buffer.from(checksumFileText(digest, name))
  return [
    { name, data: zip, contentType: 'application/zip', sha256: digest },
    { name: `${name}.sha256`, data: sums, contentType: 'text/plain', sha256: sha256(sums) },
  ]
}

function where(): ReleaseLocation {
  return {
    client: createReleaseClient({ token: TOKEN, apiUrl: github.url, logger, backoffUnitMs: 5 }),
    owner: OWNER,
    repo: REPO,
  }
}

function options(files: AssetFile[], draft = false): AttachToReleaseOptions {
  return { tag: TAG, sha: SHA, name: `Release ${TAG}`, draft, files, logger }
}

/** Requests that change something on GitHub. */
function writes(from = 0): string[] {
  return github.requests
    .slice(from)
    .filter((request) => request.method !== 'GET')
    .map((request) => `${request.method} ${request.path.replace(/\?.*$/, '')}`)
}

async function failureOf(promise: Promise<unknown>): Promise<ActionError> {
  const error: unknown = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(ActionError)
  return error as ActionError
}

beforeAll(() => {
  messages = []
})

beforeEach(async () => {
  await github?.close()
  github = await startGitHubReleases({ owner: OWNER, repo: REPO, token: TOKEN })
  messages = []
})

afterAll(async () => {
  await github?.close()
})

describe('attachToRelease', () => {
  it('creates a draft, uploads the package and its checksum, then publishes', async () => {
    const files = packageFiles('hello-pod.zip', 'zip bytes')
    const attached = await attachToRelease(where(), options(files))

    const [release, ...others] = github.releases()
    expect(others).toEqual([])
    expect(release).toMatchObject({
      tag: TAG,
      name: `Release ${TAG}`,
      draft: false,
      targetCommitish: SHA,
    })
    expect(release?.assets.map((asset) => [asset.name, asset.label, asset.state])).toEqual([
      ['hello-pod.zip', 'hello-pod.zip', 'uploaded'],
      ['hello-pod.zip.sha256', 'hello-pod.zip.sha256', 'uploaded'],
    ])
    expect(github.assetBytes(release!.id, 'hello-pod.zip')?.toString()).toBe('zip bytes')
    expect(github.assetBytes(release!.id, 'hello-pod.zip.sha256')?.toString()).toBe(
      `${sha256(Buffer.from('zip bytes'))}  hello-pod.zip\n`,
    )
    // Created as a draft, published only after both assets are attached.
    const creates = github.requests.filter(
      (request) => request.method === 'POST' && request.path.endsWith('/releases'),
    )
    expect(creates).toHaveLength(1)
    expect(writes()).toEqual([
      `POST /repos/${OWNER}/${REPO}/releases`,
      `POST /api/uploads/repos/${OWNER}/${REPO}/releases/${release!.id}/assets`,
      `POST /api/uploads/repos/${OWNER}/${REPO}/releases/${release!.id}/assets`,
      `PATCH /repos/${OWNER}/${REPO}/releases/${release!.id}`,
    ])
    expect(attached).toEqual({
      id: release!.id,
      tag: TAG,
      url: `https://github.com/${OWNER}/${REPO}/releases/tag/${TAG}`,
      draft: false,
      assetUrls: [
        `https://github.com/${OWNER}/${REPO}/releases/download/${TAG}/hello-pod.zip`,
        `https://github.com/${OWNER}/${REPO}/releases/download/${TAG}/hello-pod.zip.sha256`,
      ],
      changed: ['hello-pod.zip', 'hello-pod.zip.sha256'],
    })
  })

  it('leaves the release a draft with release-draft', async () => {
    const attached = await attachToRelease(where(), options(packageFiles('a.zip', 'a'), true))

    expect(attached.draft).toBe(true)
    expect(github.releases().map((release) => release.draft)).toEqual([true])
    expect(writes().some((write) => write.startsWith('PATCH'))).toBe(false)
  })

  it('changes nothing on a re-run with the same bytes', async () => {
    const files = packageFiles('hello-pod.zip', 'same bytes')
    const first = await attachToRelease(where(), options(files))
    const before = github.requests.length
    const assetIds = github.releases()[0]?.assets.map((asset) => asset.id)

    const second = await attachToRelease(where(), options(files))

    expect(writes(before)).toEqual([])
    expect(second).toEqual({ ...first, changed: [] })
    expect(github.releases()[0]?.assets.map((asset) => asset.id)).toEqual(assetIds)
  })

  it('replaces a same-named asset with other bytes in an existing release, without duplicating it', async () => {
    const existing = github.addRelease({ tag: TAG, draft: false, name: 'Hand-made' })
    github.addAsset(existing.id, 'hello-pod.zip', Buffer.from('old bytes'))
    github.addAsset(existing.id, 'notes.txt', Buffer.from('kept'))

    const attached = await attachToRelease(
      where(),
      options(packageFiles('hello-pod.zip', 'new bytes')),
    )

    const [release, ...others] = github.releases()
    expect(others).toEqual([])
    expect(attached.id).toBe(existing.id)
    expect(release?.name).toBe('Hand-made')
    expect(release?.assets.map((asset) => asset.name).sort()).toEqual([
      'hello-pod.zip',
      'hello-pod.zip.sha256',
      'notes.txt',
    ])
    expect(github.assetBytes(existing.id, 'hello-pod.zip')?.toString()).toBe('new bytes')
    expect(attached.changed).toEqual(['hello-pod.zip', 'hello-pod.zip.sha256'])
    // The new bytes are uploaded under another name before the old asset goes.
    const order = writes().map((write) => write.split(' ')[0])
    expect(order.slice(0, 3)).toEqual(['POST', 'DELETE', 'PATCH'])
  })

  it('takes over an asset another run uploaded meanwhile (422 already_exists)', async () => {
    const release = github.addRelease({ tag: TAG, draft: false })
    const stale = { ...release, tag_name: TAG, html_url: '', upload_url: '', assets: [] }
    const [zip] = packageFiles('hello-pod.zip', 'mine')
    // The release was read before the other run's upload: its asset list is empty.
    const client = where()
    const current = (
      await client.client.rest.repos.getRelease({
        owner: OWNER,
        repo: REPO,
        release_id: release.id,
      })
    ).data
    github.addAsset(release.id, 'hello-pod.zip', Buffer.from('theirs'))

    const placed = await placeReleaseAsset(
      client,
      { ...stale, ...current, assets: [] },
      zip!,
      logger,
    )

    expect(placed.changed).toBe(true)
    expect(github.releases()[0]?.assets.map((asset) => asset.name)).toEqual(['hello-pod.zip'])
    expect(github.assetBytes(release.id, 'hello-pod.zip')?.toString()).toBe('mine')
    expect(writes().map((write) => write.split(' ')[0])).toEqual(['POST', 'DELETE', 'POST'])
  })

  it('fails on 403 naming contents: write, before anything is created', async () => {
    github.fail({
      method: 'POST',
      path: /\/releases$/,
      status: 403,
      body: PERMISSION_DENIED_BODY,
      headers: { 'x-accepted-github-permissions': 'contents=write' },
    })

    const error = await failureOf(attachToRelease(where(), options(packageFiles('a.zip', 'a'))))

    expect(error.code).toBe('RELEASE_PERMISSION_DENIED')
    expect(error.message).toBe(
      'Could not create the release for tag v1.2.3: GitHub answered 403 Resource not accessible by integration. The token needs the `contents: write` permission to create releases and upload their assets.',
    )
    expect(error.hint).toContain('permissions: contents: write')
    expect(github.releases()).toEqual([])
    expect(writes()).toEqual([`POST /repos/${OWNER}/${REPO}/releases`])
    expect(JSON.stringify({ message: error.message, hint: error.hint })).not.toContain(TOKEN)
  })

  it('fails on 403 in an existing release leaving its assets as they were', async () => {
    const existing = github.addRelease({ tag: TAG, draft: false })
    github.addAsset(existing.id, 'a.zip', Buffer.from('old'))
    github.fail({ method: 'POST', path: /\/assets$/, status: 403, body: PERMISSION_DENIED_BODY })

    const error = await failureOf(attachToRelease(where(), options(packageFiles('a.zip', 'new'))))

    expect(error.code).toBe('RELEASE_PERMISSION_DENIED')
    expect(github.releases()[0]?.assets.map((asset) => asset.name)).toEqual(['a.zip'])
    expect(github.assetBytes(existing.id, 'a.zip')?.toString()).toBe('old')
  })

  it('retries a 502 upload that left a starter asset, then succeeds', async () => {
    github.fail({
      method: 'POST',
      path: /\/assets$/,
      status: 502,
      body: SERVER_ERROR_BODY,
      leaveStarter: true,
    })

    await attachToRelease(where(), options(packageFiles('a.zip', 'bytes')))

    const [release] = github.releases()
    expect(release?.assets.map((asset) => [asset.name, asset.state])).toEqual([
      ['a.zip', 'uploaded'],
      ['a.zip.sha256', 'uploaded'],
    ])
    expect(github.assetBytes(release!.id, 'a.zip')?.toString()).toBe('bytes')
    expect(release?.draft).toBe(false)
  })

  it('retries an upload whose connection was reset', async () => {
    github.fail({ method: 'POST', path: /\/assets$/, status: 0, body: null, reset: true })

    await attachToRelease(where(), options(packageFiles('a.zip', 'bytes')))

    const [release] = github.releases()
    expect(github.assetBytes(release!.id, 'a.zip')?.toString()).toBe('bytes')
    const uploads = github.requests.filter((request) =>
      request.path.includes('/assets?name=a.zip&'),
    )
    expect(uploads).toHaveLength(2)
  })

  it('streams a file from disk, and sends all of it again when the upload is retried', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'packwright-release-body-'))
    try {
      const bytes = randomBytes(1024 * 1024 + 17)
      const path = join(dir, 'big.zip')
      await writeFile(path, bytes)
      github.fail({ method: 'POST', path: /\/assets$/, status: 502, body: SERVER_ERROR_BODY })
      const file: AssetFile = {
        name: 'big.zip',
        data: new FileBody(path, bytes.length),
        contentType: 'application/zip',
        sha256: sha256(bytes),
      }

      await attachToRelease(where(), options([file]))

      const [release] = github.releases()
      expect(github.assetBytes(release!.id, 'big.zip')?.equals(bytes)).toBe(true)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('retries a 500 on create and never a 422 other than already_exists', async () => {
    github.fail({
      method: 'POST',
      path: /\/releases$/,
      status: 500,
      body: SERVER_ERROR_BODY,
      times: 2,
    })

    await attachToRelease(where(), options(packageFiles('a.zip', 'bytes')))

    const creates = github.requests.filter(
      (request) => request.method === 'POST' && request.path.endsWith('/releases'),
    )
    expect(creates).toHaveLength(3)
    expect(github.releases()).toHaveLength(1)
  })

  it('waits out a secondary rate limit as retry-after says', async () => {
    github.fail({
      method: 'POST',
      path: /\/releases$/,
      status: 403,
      body: SECONDARY_RATE_LIMIT_BODY,
      headers: { 'retry-after': '2' },
    })

    await attachToRelease(where(), options(packageFiles('a.zip', 'bytes')))

    expect(github.releases()).toHaveLength(1)
    expect(messages).toContain(
      'warning: GitHub secondary rate limit on POST /repos/{owner}/{repo}/releases; retrying in 2 s',
    )
  })

  it('waits for the primary rate limit to reset as x-ratelimit-reset says', async () => {
    const reset = Math.ceil(Date.now() / 1000) + 3
    github.fail({
      method: 'POST',
      path: /\/assets$/,
      status: 403,
      body: { message: 'API rate limit exceeded for installation ID 1.', status: '403' },
      headers: {
        'x-ratelimit-limit': '1000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(reset),
      },
    })

    await attachToRelease(where(), options(packageFiles('a.zip', 'bytes')))

    expect(github.releases()[0]?.assets.map((asset) => asset.name)).toEqual([
      'a.zip',
      'a.zip.sha256',
    ])
    const warning = messages.find((message) => message.includes('primary rate limit'))
    expect(warning).toMatch(/^warning: GitHub primary rate limit on POST .*; retrying in [2-5] s$/)
  })

  it('fails with the request and the answer when a 4xx is not retried, deleting the draft it created', async () => {
    github.fail({
      method: 'POST',
      path: /\/assets$/,
      status: 400,
      body: { message: 'Bad Content-Length' },
    })

    const error = await failureOf(attachToRelease(where(), options(packageFiles('a.zip', 'bytes'))))

    expect(error.code).toBe('RELEASE_REQUEST_FAILED')
    expect(error.message).toMatch(
      /^Could not upload "a\.zip" to release \d+: 400 Bad Content-Length\.$/,
    )
    expect(github.releases()).toEqual([])
    expect(github.requests.filter((request) => request.path.includes('/assets?'))).toHaveLength(1)
  })

  it('explains an immutable release, keeping a release it did not create', async () => {
    github.addRelease({ tag: TAG, draft: false })
    github.fail({
      method: 'POST',
      path: /\/assets$/,
      status: 422,
      body: { message: 'Cannot upload assets to an immutable release.', status: '422' },
    })

    const error = await failureOf(attachToRelease(where(), options(packageFiles('a.zip', 'a'))))

    expect(error.code).toBe('RELEASE_REQUEST_FAILED')
    expect(error.message).toMatch(
      /^Could not upload "a\.zip" to release \d+: 422 Cannot upload assets to an immutable release\.$/,
    )
    expect(error.hint).toContain('assets can only be added before it is published')
    expect(github.releases()).toHaveLength(1)
  })

  it('puts the assets of two concurrent runs of one tag on one release', async () => {
    const [linux, mac] = await Promise.all([
      attachToRelease(where(), options(packageFiles('pod-linux.zip', 'linux'))),
      attachToRelease(where(), options(packageFiles('pod-mac.zip', 'mac'))),
    ])

    const releases = github.releases()
    expect(releases).toHaveLength(1)
    expect(linux.id).toBe(releases[0]?.id)
    expect(mac.id).toBe(releases[0]?.id)
    expect(releases[0]?.draft).toBe(false)
    expect(releases[0]?.assets.map((asset) => asset.name).sort()).toEqual([
      'pod-linux.zip',
      'pod-linux.zip.sha256',
      'pod-mac.zip',
      'pod-mac.zip.sha256',
    ])
  })

  it('ends two concurrent runs of the same package on one release with one copy of each file', async () => {
    const files = packageFiles('hello-pod.zip', 'same')
    const [a, b] = await Promise.all([
      attachToRelease(where(), options(files)),
      attachToRelease(where(), options(files)),
    ])

    const releases = github.releases()
    expect(releases).toHaveLength(1)
    expect([a.id, b.id]).toEqual([releases[0]?.id, releases[0]?.id])
    expect(releases[0]?.assets.map((asset) => asset.name).sort()).toEqual([
      'hello-pod.zip',
      'hello-pod.zip.sha256',
    ])
    expect(github.assetBytes(releases[0]!.id, 'hello-pod.zip')?.toString()).toBe('same')
    expect(releases[0]?.draft).toBe(false)
  })

  it('uses the release another run published first when the create answers 422 already_exists', async () => {
    let other: number | undefined
    github.beforeCreate(() => {
      github.beforeCreate(undefined)
      other = github.addRelease({ tag: TAG, draft: false, name: 'Other run' }).id
    })

    const attached = await attachToRelease(where(), options(packageFiles('a.zip', 'bytes')))

    expect(attached.id).toBe(other)
    expect(github.releases().map((release) => release.name)).toEqual(['Other run'])
    expect(messages).toContain(`Another run created the release of tag ${TAG} (${other}); using it`)
  })
})

describe('attachToRelease with the provenance statement', () => {
  /** The package, its checksum file and its statement, as the action attaches them. */
  function filesWithStatement(content: string, runId: string): AssetFile[] {
    const [zip, sums] = packageFiles('hello-pod.zip', content)
    const statement = Buffer.from(
      formatProvenanceStatement(
        buildProvenanceStatement({
          packageName: 'hello-pod.zip',
          pkg: { sha256: zip!.sha256, mode: 'directory', sourceDateEpoch: 1_700_000_000 },
          source: { kind: 'git', repoDir: '/checkout', rev: SHA, path: '' },
          builderId: PACKWRIGHT_ACTION_BUILDER_ID,
          packwrightVersion: '0.1.0',
          repository: { url: `https://github.com/${OWNER}/${REPO}`, ref: `refs/tags/${TAG}` },
          invocationId: `https://github.com/${OWNER}/${REPO}/actions/runs/${runId}`,
        }),
      ),
    )
    return [
      zip!,
      sums!,
      {
        name: provenanceFileName('hello-pod.zip'),
        data: statement,
        contentType: 'application/json',
        sha256: sha256(statement),
      },
    ]
  }

  it('attaches hello-pod.intoto.json, whose subject is the package sha256', async () => {
    const files = filesWithStatement('zip bytes', '777')
    const attached = await attachToRelease(where(), options(files))

    const release = github.releases()[0]
    expect(release?.assets.map((asset) => asset.name)).toEqual([
      'hello-pod.zip',
      'hello-pod.zip.sha256',
      'hello-pod.intoto.json',
    ])
    const statement = JSON.parse(
      github.assetBytes(release!.id, 'hello-pod.intoto.json')?.toString() ?? '',
    ) as { subject: { name: string; digest: { sha256: string } }[] }
    expect(statement.subject).toEqual([
      { name: 'hello-pod.zip', digest: { sha256: sha256(Buffer.from('zip bytes')) } },
    ])
    expect(attached.assetUrls).toHaveLength(3)
    expect(attached.changed).toEqual([
      'hello-pod.zip',
      'hello-pod.zip.sha256',
      'hello-pod.intoto.json',
    ])
  })

  it('changes nothing when a re-run of the same run attaches the same three files', async () => {
    const first = await attachToRelease(where(), options(filesWithStatement('same bytes', '777')))
    const before = github.requests.length

    const second = await attachToRelease(where(), options(filesWithStatement('same bytes', '777')))

    expect(writes(before)).toEqual([])
    expect(second).toEqual({ ...first, changed: [] })
  })

  it('replaces only the statement when another run made the same package', async () => {
    await attachToRelease(where(), options(filesWithStatement('same bytes', '777')))

    const second = await attachToRelease(where(), options(filesWithStatement('same bytes', '778')))

    expect(second.changed).toEqual(['hello-pod.intoto.json'])
    const release = github.releases()[0]
    expect(release?.assets.map((asset) => asset.name).sort()).toEqual([
      'hello-pod.intoto.json',
      'hello-pod.zip',
      'hello-pod.zip.sha256',
    ])
    expect(github.assetBytes(release!.id, 'hello-pod.intoto.json')?.toString()).toContain(
      '/actions/runs/778"',
    )
  })
})
