import { execFile } from 'node:child_process'
import { createServer, type ServerResponse } from 'node:http'
import { type AddressInfo } from 'node:net'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

/**
 * A stand-in for the three GitHub REST endpoints that read a repository at a
 * commit (commit, recursive tree, raw blob), answering from a local git
 * repository so tests can compare the REST path with the object-database path.
 */
export interface GitHubApi {
  /** Value for `GITHUB_API_URL`. */
  readonly url: string
  /** Path and Authorization header of every request received. */
  readonly requests: readonly { path: string; authorization: string | undefined }[]
  close(): Promise<void>
}

async function git(repoDir: string, args: string[]): Promise<Buffer> {
  const { stdout } = await execFileAsync('git', ['-C', repoDir, ...args], {
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
  })
  return stdout
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  response.end(JSON.stringify(body))
}

/** Serves `owner/repo` from `repoDir` on a free 127.0.0.1 port; requests need `Bearer <token>`. */
export async function startGitHubApi(options: {
  readonly repoDir: string
  readonly owner: string
  readonly repo: string
  readonly token: string
}): Promise<GitHubApi> {
  const prefix = `/repos/${options.owner}/${options.repo}/`
  const requests: { path: string; authorization: string | undefined }[] = []

  const answer = async (path: string, response: ServerResponse): Promise<void> => {
    const route = path.slice(prefix.length)
    const commit = /^commits\/([0-9a-f]{7,64})$/.exec(route)
    if (commit?.[1] !== undefined) {
      const text = (await git(options.repoDir, ['show', '-s', '--format=%H%n%T%n%cI', commit[1]]))
        .toString('utf8')
        .trim()
      const [sha, tree, date] = text.split('\n')
      json(response, 200, { sha, commit: { tree: { sha: tree }, committer: { date } } })
      return
    }
    const tree = /^git\/trees\/([0-9a-f]{40,64})\?recursive=1$/.exec(route)
    if (tree?.[1] !== undefined) {
      const listing = (await git(options.repoDir, ['ls-tree', '-r', '-t', '-l', '-z', tree[1]]))
        .toString('utf8')
        .split('\0')
        .filter((line) => line !== '')
      const entries = listing.map((line) => {
        const tab = line.indexOf('\t')
        const [mode = '', type = '', sha = '', size = '-'] = line.slice(0, tab).split(/\s+/)
        return {
          path: line.slice(tab + 1),
          mode,
          type,
          sha,
          ...(type === 'blob' ? { size: Number(size) } : {}),
        }
      })
      json(response, 200, { sha: tree[1], tree: entries, truncated: false })
      return
    }
    const blob = /^git\/blobs\/([0-9a-f]{40,64})$/.exec(route)
    if (blob?.[1] !== undefined) {
      const bytes = await git(options.repoDir, ['cat-file', 'blob', blob[1]])
      response.writeHead(200, { 'content-type': 'application/vnd.github.raw+json' })
      response.end(bytes)
      return
    }
    json(response, 404, { message: 'Not Found' })
  }

  const server = createServer((request, response) => {
    const path = request.url ?? ''
    requests.push({ path, authorization: request.headers.authorization })
    if (request.headers.authorization !== `Bearer ${options.token}`) {
      json(response, 401, { message: 'Bad credentials' })
      return
    }
    if (request.method !== 'GET' || !path.startsWith(prefix)) {
      json(response, 404, { message: 'Not Found' })
      return
    }
    answer(path, response).catch((error: unknown) => {
      json(response, 500, { message: String(error) })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
