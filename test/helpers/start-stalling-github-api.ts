import { createServer } from 'node:http'
import { type AddressInfo } from 'node:net'

/** A GitHub REST stand-in whose one blob download starts and then never ends. */
export interface StallingGitHubApi {
  /** Value for `--github-api-url`. */
  readonly url: string
  /** The commit to name in a `github:` source. */
  readonly commitSha: string
  /** Resolves once a blob download has started sending bytes. */
  readonly blobStarted: Promise<void>
  close(): Promise<void>
}

const COMMIT_SHA = 'c'.repeat(40)
const TREE_SHA = 'd'.repeat(40)
const BLOB_SHA = 'b'.repeat(40)

/**
 * Serves `owner/repo` at one commit holding `path` of `size` bytes on a free
 * 127.0.0.1 port: the commit and tree answer at once, the blob sends its
 * first `headBytes` and then stalls, so only an abort can end the download.
 */
export async function startStallingGitHubApi(options: {
  readonly owner: string
  readonly repo: string
  readonly path: string
  readonly size: number
  readonly headBytes: number
}): Promise<StallingGitHubApi> {
  const prefix = `/repos/${options.owner}/${options.repo}`
  let markStarted!: () => void
  const blobStarted = new Promise<void>((resolve) => (markStarted = resolve))
  const server = createServer((request, response) => {
    const path = request.url ?? ''
    const json = (body: unknown): void => {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
      response.end(JSON.stringify(body))
    }
    if (path === `${prefix}/commits/${COMMIT_SHA}`) {
      json({
        sha: COMMIT_SHA,
        commit: { tree: { sha: TREE_SHA }, committer: { date: '2024-05-06T07:08:09Z' } },
      })
    } else if (path === `${prefix}/git/trees/${TREE_SHA}?recursive=1`) {
      json({
        sha: TREE_SHA,
        truncated: false,
        tree: [
          { path: options.path, mode: '100644', type: 'blob', sha: BLOB_SHA, size: options.size },
        ],
      })
    } else if (path === `${prefix}/git/blobs/${BLOB_SHA}`) {
      response.writeHead(200, {
        'content-type': 'application/vnd.github.raw+json',
        'content-length': String(options.size),
      })
      response.write(Buffer.alloc(options.headBytes, 0x61), () => markStarted())
    } else {
      response.writeHead(404, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ message: 'Not Found' }))
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    commitSha: COMMIT_SHA,
    blobStarted,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
