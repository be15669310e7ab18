import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { type AddressInfo } from 'node:net'

/**
 * A stand-in for GitHub's release endpoints on 127.0.0.1, keeping state so a
 * flow (create draft → upload → publish, a re-run, two runs at once) behaves
 * as on github.com. Where each shape comes from:
 *
 * - Release and asset objects: the fields of the responses recorded in
 *   `@octokit/fixtures` 23.1.1, scenario `release-assets` (GET
 *   `/releases/tags/v1.0.0`, POST to `upload_url`), plus `digest`
 *   (`sha256:<hex>`), which GitHub has reported for release assets since 2025.
 *   A draft's `html_url` and download URLs name an `untagged-<n>` path; the
 *   published release names the tag, as on github.com.
 * - 422 `ReleaseAsset already_exists` on an upload of a taken name: the
 *   recorded second call of `release-assets-conflict`.
 * - 404 from `GET /releases/tags/{tag}` for drafts, 422 `Release
 *   already_exists` (field `tag_name`) when a published release has the tag,
 *   and duplicate drafts of one tag being allowed: GitHub's REST reference for
 *   releases and softprops/action-gh-release issues #445 and #705.
 * - 403 "Resource not accessible by integration": GitHub's answer when
 *   `GITHUB_TOKEN` lacks a permission, with `x-accepted-github-permissions`.
 * - 403 "You have exceeded a secondary rate limit" with `retry-after`:
 *   GitHub's REST rate-limit documentation.
 * - A 502 on an upload can leave an empty asset in state `starter`, so the
 *   retried upload meets 422 `already_exists` (GitHub's release-asset docs).
 */
export interface GitHubReleases {
  /** Value for `GITHUB_API_URL`. */
  readonly url: string
  /** Method and path (with query) of every request received, in order. */
  readonly requests: readonly { method: string; path: string; authorization: string }[]
  /** The releases as they are now, drafts included, oldest first. */
  releases(): StoredRelease[]
  /** Bytes of an asset of a release, by name. */
  assetBytes(releaseId: number, name: string): Buffer | undefined
  /** Answers the next matching request(s) with a failure instead of handling them. */
  fail(fault: Fault): void
  /** Runs before a create is handled (to let "another run" act in between). */
  beforeCreate(hook: (() => void) | undefined): void
  /** Adds a release as if made earlier (by hand or by another run). */
  addRelease(release: { tag: string; draft: boolean; name?: string }): StoredRelease
  /** Adds an asset as if uploaded earlier. */
  addAsset(releaseId: number, name: string, bytes: Buffer, state?: string): void
  close(): Promise<void>
}

export interface Fault {
  readonly method: string
  /** Matched against the path without the query. */
  readonly path: RegExp
  readonly status: number
  readonly body: unknown
  readonly headers?: Readonly<Record<string, string>>
  /** How many matching requests fail. @default 1 */
  readonly times?: number
  /** For uploads: leave an empty `starter` asset behind, as a failed upload can. */
  readonly leaveStarter?: boolean
  /** Drop the connection without an answer (ECONNRESET, "socket hang up") instead. */
  readonly reset?: boolean
}

export interface StoredRelease {
  id: number
  tag: string
  name: string
  draft: boolean
  targetCommitish: string
  assets: StoredAsset[]
}

interface StoredAsset {
  id: number
  name: string
  label: string
  state: string
  contentType: string
  bytes: Buffer
}

const DOCS = 'https://docs.github.com/rest/releases'

export const PERMISSION_DENIED_BODY = {
  message: 'Resource not accessible by integration',
  documentation_url: `${DOCS}/releases#create-a-release`,
  status: '403',
}

export const SECONDARY_RATE_LIMIT_BODY = {
  message:
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:00000:0000000:0000000:00000000.',
  documentation_url:
    'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits',
}

export const SERVER_ERROR_BODY = { message: 'Server Error' }

function json(response: ServerResponse, status: number, body: unknown, headers = {}): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-github-media-type': 'github.v3; format=json',
    ...headers,
  })
  response.end(text)
}

function notFound(response: ServerResponse, doc: string): void {
  json(response, 404, { message: 'Not Found', documentation_url: `${DOCS}/${doc}`, status: '404' })
}

function validationFailed(response: ServerResponse, resource: string, field: string): void {
  json(response, 422, {
    message: 'Validation Failed',
    errors: [{ resource, code: 'already_exists', field }],
    documentation_url: `${DOCS}/${resource === 'Release' ? 'releases#create-a-release' : 'assets#upload-a-release-asset'}`,
    status: '422',
  })
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Serves the releases of `owner/repo` on a free 127.0.0.1 port; requests need `token`. */
export async function startGitHubReleases(options: {
  readonly owner: string
  readonly repo: string
  readonly token: string
}): Promise<GitHubReleases> {
  const { owner, repo } = options
  const releases: StoredRelease[] = []
  const requests: { method: string; path: string; authorization: string }[] = []
  const faults: (Fault & { left: number })[] = []
  let hookBeforeCreate: (() => void) | undefined
  let nextReleaseId = 1000
  let nextAssetId = 5000
  let base = ''
  const web = `https://github.com/${owner}/${repo}`
  const api = (): string => `${base}/repos/${owner}/${repo}`

  const pathTag = (release: StoredRelease): string =>
    release.draft ? `untagged-${release.id}` : release.tag
  const assetJson = (release: StoredRelease, asset: StoredAsset): object => ({
    url: `${api()}/releases/assets/${asset.id}`,
    id: asset.id,
    node_id: `RA_${asset.id}`,
    name: asset.name,
    label: asset.label,
    content_type: asset.contentType,
    state: asset.state,
    size: asset.bytes.length,
    digest: `sha256:${createHash('sha256').update(asset.bytes).digest('hex')}`,
    download_count: 0,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    browser_download_url: `${web}/releases/download/${pathTag(release)}/${asset.name}`,
  })
  const releaseJson = (release: StoredRelease): object => ({
    url: `${api()}/releases/${release.id}`,
    assets_url: `${api()}/releases/${release.id}/assets`,
    upload_url: `${base}/api/uploads/repos/${owner}/${repo}/releases/${release.id}/assets{?name,label}`,
    html_url: `${web}/releases/tag/${pathTag(release)}`,
    id: release.id,
    node_id: `RE_${release.id}`,
    tag_name: release.tag,
    target_commitish: release.targetCommitish,
    name: release.name,
    draft: release.draft,
    prerelease: false,
    created_at: '2026-01-01T00:00:00Z',
    published_at: release.draft ? null : '2026-01-01T00:00:00Z',
    assets: release.assets.map((asset) => assetJson(release, asset)),
    tarball_url: `${api()}/tarball/${release.tag}`,
    zipball_url: `${api()}/zipball/${release.tag}`,
    body: null,
  })
  const addAsset = (
    release: StoredRelease,
    name: string,
    bytes: Buffer,
    state: string,
    label = '',
  ) => {
    const asset: StoredAsset = {
      id: nextAssetId++,
      name,
      label,
      state,
      contentType: 'application/octet-stream',
      bytes,
    }
    release.assets.push(asset)
    return asset
  }
  const findAsset = (id: number): [StoredRelease, StoredAsset] | undefined => {
    for (const release of releases) {
      const asset = release.assets.find((item) => item.id === id)
      if (asset !== undefined) return [release, asset]
    }
    return undefined
  }

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const method = request.method ?? 'GET'
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const authorization = request.headers.authorization ?? ''
    requests.push({ method, path: `${url.pathname}${url.search}`, authorization })
    const body = await readBody(request)

    if (authorization !== `token ${options.token}` && authorization !== `Bearer ${options.token}`) {
      json(response, 401, { message: 'Bad credentials', status: '401' })
      return
    }
    const fault = faults.find(
      (item) => item.left > 0 && item.method === method && item.path.test(url.pathname),
    )
    if (fault !== undefined) {
      fault.left -= 1
      if (fault.leaveStarter === true) {
        const id = /\/releases\/(\d+)\/assets$/.exec(url.pathname)?.[1]
        const release = releases.find((item) => item.id === Number(id))
        const name = url.searchParams.get('name') ?? ''
        if (release !== undefined) addAsset(release, name, Buffer.alloc(0), 'starter')
      }
      if (fault.reset === true) {
        request.socket.destroy()
        return
      }
      json(response, fault.status, fault.body, fault.headers)
      return
    }

    const uploads = `/api/uploads/repos/${owner}/${repo}/releases/`
    if (url.pathname.startsWith(uploads) && method === 'POST') {
      const release = releases.find(
        (item) =>
          item.id === Number(/^(\d+)\/assets$/.exec(url.pathname.slice(uploads.length))?.[1]),
      )
      if (release === undefined) return notFound(response, 'assets#upload-a-release-asset')
      const name = url.searchParams.get('name') ?? ''
      if (
        request.headers['content-length'] === undefined ||
        request.headers['content-type'] === undefined
      ) {
        json(response, 400, { message: 'Content-Length and Content-Type are required' })
        return
      }
      if (release.assets.some((asset) => asset.name === name)) {
        return validationFailed(response, 'ReleaseAsset', 'name')
      }
      const asset = addAsset(release, name, body, 'uploaded', url.searchParams.get('label') ?? '')
      asset.contentType = request.headers['content-type']
      json(response, 201, assetJson(release, asset))
      return
    }

    const prefix = `/repos/${owner}/${repo}/releases`
    if (!url.pathname.startsWith(prefix)) return notFound(response, 'releases')
    const route = url.pathname.slice(prefix.length)
    const input =
      body.length > 0 ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {}

    if (route === '' && method === 'GET') {
      const perPage = Number(url.searchParams.get('per_page') ?? '30')
      const page = Number(url.searchParams.get('page') ?? '1')
      const newestFirst = [...releases].sort((a, b) => b.id - a.id)
      json(response, 200, newestFirst.slice((page - 1) * perPage, page * perPage).map(releaseJson))
      return
    }
    if (route === '' && method === 'POST') {
      hookBeforeCreate?.()
      const tag = String(input.tag_name)
      if (releases.some((release) => release.tag === tag && !release.draft)) {
        return validationFailed(response, 'Release', 'tag_name')
      }
      const release: StoredRelease = {
        id: nextReleaseId++,
        tag,
        name: typeof input.name === 'string' ? input.name : tag,
        draft: input.draft === true,
        targetCommitish:
          typeof input.target_commitish === 'string' ? input.target_commitish : 'main',
        assets: [],
      }
      releases.push(release)
      json(response, 201, releaseJson(release))
      return
    }
    const byTag = /^\/tags\/(.+)$/.exec(route)
    if (byTag !== null && method === 'GET') {
      const release = releases.find(
        (item) => item.tag === decodeURIComponent(byTag[1] ?? '') && !item.draft,
      )
      if (release === undefined) return notFound(response, 'releases#get-a-release-by-tag-name')
      json(response, 200, releaseJson(release))
      return
    }
    const assetRoute = /^\/assets\/(\d+)$/.exec(route)
    if (assetRoute !== null) {
      const found = findAsset(Number(assetRoute[1]))
      if (found === undefined) return notFound(response, 'assets')
      const [release, asset] = found
      if (method === 'DELETE') {
        release.assets.splice(release.assets.indexOf(asset), 1)
        response.writeHead(204).end()
        return
      }
      if (method === 'PATCH') {
        const name = typeof input.name === 'string' ? input.name : asset.name
        if (release.assets.some((item) => item !== asset && item.name === name)) {
          return validationFailed(response, 'ReleaseAsset', 'name')
        }
        asset.name = name
        if (typeof input.label === 'string') asset.label = input.label
        json(response, 200, assetJson(release, asset))
        return
      }
    }
    const releaseRoute = /^\/(\d+)(\/assets)?$/.exec(route)
    const release = releases.find((item) => item.id === Number(releaseRoute?.[1]))
    if (releaseRoute === null || release === undefined) return notFound(response, 'releases')
    if (releaseRoute[2] !== undefined && method === 'GET') {
      json(
        response,
        200,
        release.assets.map((asset) => assetJson(release, asset)),
      )
      return
    }
    if (method === 'PATCH') {
      if (
        input.draft === false &&
        releases.some((item) => item !== release && item.tag === release.tag && !item.draft)
      ) {
        return validationFailed(response, 'Release', 'tag_name')
      }
      if (typeof input.draft === 'boolean') release.draft = input.draft
      if (typeof input.name === 'string') release.name = input.name
      json(response, 200, releaseJson(release))
      return
    }
    if (method === 'DELETE') {
      releases.splice(releases.indexOf(release), 1)
      response.writeHead(204).end()
      return
    }
    if (method === 'GET') {
      json(response, 200, releaseJson(release))
      return
    }
    notFound(response, 'releases')
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      json(response, 500, { message: String(error) })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url: base,
    requests,
    releases: () => [...releases].sort((a, b) => a.id - b.id),
    assetBytes: (releaseId, name) =>
      releases.find((item) => item.id === releaseId)?.assets.find((asset) => asset.name === name)
        ?.bytes,
    fail: (fault) => faults.push({ ...fault, left: fault.times ?? 1 }),
    beforeCreate: (hook) => {
      hookBeforeCreate = hook
    },
    addRelease: ({ tag, draft, name }) => {
      const release: StoredRelease = {
        id: nextReleaseId++,
        tag,
        name: name ?? tag,
        draft,
        targetCommitish: 'main',
        assets: [],
      }
      releases.push(release)
      return release
    },
    addAsset: (releaseId, name, bytes, state = 'uploaded') => {
      const release = releases.find((item) => item.id === releaseId)
      if (release === undefined) throw new Error(`no release ${releaseId}`)
      addAsset(release, name, bytes, state, name)
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
