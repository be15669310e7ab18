import { Readable } from 'node:stream'
import { PackwrightError, quoteInput } from '../errors.js'
import { type Logger, noopLogger } from '../logger.js'
import {
  GITHUB_JSON_MEDIA_TYPE,
  GITHUB_RAW_MEDIA_TYPE,
  type GitHubRequester,
  createGitHubRequester,
} from './github-request.js'
import { createConcurrencyLimit } from '../_internal/create-concurrency-limit.js'
import { mapWithConcurrency } from '../_internal/map-with-concurrency.js'
import { type ReadOptions, type SourceEntry, type SourceReader } from './source-reader.js'
import { SourceEntryIndex } from './source-entry-index.js'
import { assertSourcePath, normaliseListPrefix } from './source-path.js'
import { abortedError, combineSignals, throwIfAborted } from '../_internal/abort.js'

export interface GitHubReaderOptions {
  readonly owner: string
  readonly repo: string
  /** A commit SHA (or a branch or tag name). */
  readonly ref: string
  /** REST API base URL. @default 'https://api.github.com' */
  readonly apiBaseUrl?: string | undefined
  /** Sent as `Authorization: Bearer …`; never logged or put in errors. */
  readonly token?: string | undefined
  /** Injected fetch (tests, proxies). @default globalThis.fetch */
  readonly fetch?: typeof fetch | undefined
  readonly signal?: AbortSignal | undefined
  readonly logger?: Logger | undefined
  /** Blob requests in flight at once. @default 8 */
  readonly concurrency?: number | undefined
  /** Retries after a 5xx answer or a network failure. @default 3 */
  readonly retries?: number | undefined
  /** First retry delay in ms, doubled on each retry. @default 1000 */
  readonly retryDelayMs?: number | undefined
}

interface RemoteBlob {
  readonly entry: SourceEntry
  readonly sha: string
}

const SEGMENT = /^[A-Za-z0-9._-]+$/

function encodePath(text: string): string {
  return text.split('/').map(encodeURIComponent).join('/')
}

function unexpected(what: string, problem: string): PackwrightError {
  return new PackwrightError(
    'GITHUB_REQUEST_FAILED',
    `Unexpected answer from GitHub for ${what}: ${problem}.`,
    { details: { request: what, problem } },
  )
}

async function readJson(response: Response, what: string): Promise<unknown> {
  try {
    return await response.json()
  } catch (error) {
    throw new PackwrightError(
      'GITHUB_REQUEST_FAILED',
      `GitHub's answer for ${what} is not valid JSON.`,
      { cause: error, details: { request: what } },
    )
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Reads a GitHub repository at a commit over the REST API: the commit (for
 * its time and tree), the recursive tree (modes, sizes, symlinks), then blobs
 * on demand, streamed as raw bytes with bounded concurrency.
 *
 * @throws PackwrightError `GITHUB_TREE_TRUNCATED` when the tree is too big
 *   for one answer, `GITHUB_AUTH_FAILED`, `GITHUB_RATE_LIMITED`,
 *   `GITHUB_FORBIDDEN`, `GITHUB_NOT_FOUND`, `GITHUB_REQUEST_FAILED`,
 *   `INVALID_ARGUMENT` (bad owner, repo or base URL), `ABORTED`.
 */
export async function createGitHubReader(options: GitHubReaderOptions): Promise<SourceReader> {
  const { owner, repo, ref, signal } = options
  const logger = options.logger ?? noopLogger
  for (const [field, value] of [
    ['owner', owner],
    ['repo', repo],
  ] as const) {
    if (!SEGMENT.test(value) || value === '.' || value === '..') {
      throw new PackwrightError(
        'INVALID_ARGUMENT',
        `Invalid GitHub ${field} ${quoteInput(value)}: expected letters, digits, \`.\`, \`_\` or \`-\`.`,
        { details: { field } },
      )
    }
  }
  if (
    ref === '' ||
    ref.startsWith('-') ||
    ref.split('/').some((part) => part === '' || part === '..')
  ) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Invalid git ref ${quoteInput(ref)}: expected a commit SHA or a branch or tag name.`,
      { details: { field: 'ref' } },
    )
  }
  const requester: GitHubRequester = createGitHubRequester({
    apiBaseUrl: options.apiBaseUrl,
    token: options.token,
    fetch: options.fetch,
    signal,
    logger,
    retries: options.retries,
    retryDelayMs: options.retryDelayMs,
  })
  const limit = createConcurrencyLimit(Math.max(1, options.concurrency ?? 8))
  const repoPath = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`

  // 1. The commit: its SHA, committer time and tree.
  const commitPath = `${repoPath}/commits/${encodePath(ref)}`
  const commitWhat = `GET ${requester.apiBaseUrl}${commitPath}`
  const commit = await readJson(
    await requester.get(commitPath, { accept: GITHUB_JSON_MEDIA_TYPE }),
    commitWhat,
  )
  if (!isRecord(commit) || typeof commit.sha !== 'string' || !isRecord(commit.commit)) {
    throw unexpected(commitWhat, 'no commit `sha`')
  }
  const commitSha = commit.sha
  const tree = commit.commit.tree
  if (!isRecord(tree) || typeof tree.sha !== 'string' || !/^[0-9a-f]{40,64}$/.test(tree.sha)) {
    throw unexpected(commitWhat, 'no `commit.tree.sha`')
  }
  const committer = commit.commit.committer
  const committedAt =
    isRecord(committer) && typeof committer.date === 'string' ? Date.parse(committer.date) : NaN
  const sourceDateEpoch = Number.isFinite(committedAt) ? Math.floor(committedAt / 1000) : undefined

  // 2. The whole tree in one answer.
  const treePath = `${repoPath}/git/trees/${tree.sha}?recursive=1`
  const treeWhat = `GET ${requester.apiBaseUrl}${treePath}`
  const treeBody = await readJson(
    await requester.get(treePath, { accept: GITHUB_JSON_MEDIA_TYPE }),
    treeWhat,
  )
  if (!isRecord(treeBody) || !Array.isArray(treeBody.tree)) {
    throw unexpected(treeWhat, 'no `tree` array')
  }
  if (treeBody.truncated === true) {
    throw new PackwrightError(
      'GITHUB_TREE_TRUNCATED',
      `The tree of ${owner}/${repo} at ${commitSha.slice(0, 12)} is too large for GitHub to list in one answer (truncated: true); packaging only part of it would be wrong.`,
      {
        hint: 'Package a local checkout instead: a `git:{repoDir}#{sha}` source or a local folder.',
        details: { owner, repo, commit: commitSha, entries: treeBody.tree.length },
      },
    )
  }
  const blobs: RemoteBlob[] = []
  const submodules: string[] = []
  for (const item of treeBody.tree) {
    if (!isRecord(item) || typeof item.path !== 'string' || typeof item.type !== 'string') {
      throw unexpected(treeWhat, 'a tree entry without `path` or `type`')
    }
    if (item.type === 'commit') {
      submodules.push(item.path)
      continue
    }
    if (item.type !== 'blob') continue
    if (
      typeof item.sha !== 'string' ||
      typeof item.size !== 'number' ||
      typeof item.mode !== 'string'
    ) {
      throw unexpected(
        treeWhat,
        `the blob ${quoteInput(item.path)} has no \`sha\`, \`size\` or \`mode\``,
      )
    }
    const symlink = item.mode === '120000'
    blobs.push({
      entry: {
        path: item.path,
        kind: symlink ? 'symlink' : 'file',
        size: item.size,
        executable: !symlink && (parseInt(item.mode, 8) & 0o111) !== 0,
      },
      sha: item.sha,
    })
  }
  if (submodules.length > 0) {
    logger.warn(
      `Skipping ${submodules.length} git submodule${submodules.length === 1 ? '' : 's'} (submodules are not packaged): ${submodules.slice(0, 10).join(', ')}${submodules.length > 10 ? ', …' : ''}`,
    )
  }

  const blobPath = (sha: string): string => `${repoPath}/git/blobs/${encodeURIComponent(sha)}`
  const where = `${owner}/${repo} at ${commitSha.slice(0, 12)}`
  const sizeMismatch = (entry: SourceEntry, actual: number): PackwrightError =>
    new PackwrightError(
      'SOURCE_READ_FAILED',
      `GitHub sent ${actual} bytes for ${quoteInput(entry.path)} of ${where}, but the tree lists ${entry.size}.`,
      { details: { path: entry.path, expected: entry.size, actual } },
    )
  const fetchBlob = async (blob: RemoteBlob, callSignal?: AbortSignal): Promise<Buffer> => {
    const response = await limit(() =>
      requester.get(blobPath(blob.sha), { accept: GITHUB_RAW_MEDIA_TYPE, signal: callSignal }),
    )
    let bytes: Buffer
    try {
      bytes = Buffer.from(await response.arrayBuffer())
    } catch (error) {
      if (callSignal?.aborted === true || signal?.aborted === true) {
        throw abortedError(callSignal ?? signal, `Reading ${quoteInput(blob.entry.path)}`)
      }
      throw new PackwrightError(
        'GITHUB_REQUEST_FAILED',
        `The download of ${quoteInput(blob.entry.path)} from ${where} broke off.`,
        { cause: error, details: { path: blob.entry.path } },
      )
    }
    if (bytes.length !== blob.entry.size) throw sizeMismatch(blob.entry, bytes.length)
    return bytes
  }

  // Symlink targets are part of the listing, so fetch them now.
  const entries = await mapWithConcurrency(blobs, 8, async (blob) => {
    if (blob.entry.kind !== 'symlink') return blob.entry
    const target = (await fetchBlob(blob)).toString('utf8')
    return { ...blob.entry, linkTarget: target }
  })
  const index = new SourceEntryIndex(entries)
  const shas = new Map(blobs.map((blob) => [blob.entry.path, blob.sha]))
  logger.debug(`GitHub ${owner}/${repo} at ${commitSha}: ${index.size} files`)

  const lookup = (path: string): RemoteBlob => {
    assertSourcePath(path, where)
    const entry = index.get(path)
    const sha = shas.get(path)
    if (entry === undefined || sha === undefined) {
      throw new PackwrightError('SOURCE_NOT_FOUND', `No file at ${quoteInput(path)} in ${where}.`, {
        details: { path, commit: commitSha },
      })
    }
    return { entry, sha }
  }

  const host = requester.apiBaseUrl === 'https://api.github.com' ? '' : ` (${requester.apiBaseUrl})`
  return {
    description: `GitHub ${owner}/${repo} at ${commitSha.slice(0, 12)}${host}`,
    sourceDateEpoch,

    // eslint-disable-next-line @typescript-eslint/require-await
    async list(prefix: string, readOptions?: ReadOptions): Promise<SourceEntry[]> {
      throwIfAborted(combineSignals(signal, readOptions?.signal), 'Listing the GitHub tree')
      return index.list(normaliseListPrefix(prefix, where))
    },

    // eslint-disable-next-line @typescript-eslint/require-await
    async stat(path: string, readOptions?: ReadOptions): Promise<SourceEntry | undefined> {
      assertSourcePath(path, where)
      throwIfAborted(combineSignals(signal, readOptions?.signal), 'Reading the GitHub tree')
      return index.get(path)
    },

    open(path: string, readOptions?: ReadOptions): Readable {
      const callSignal = readOptions?.signal
      let blob: RemoteBlob
      try {
        throwIfAborted(combineSignals(signal, callSignal), `Reading ${quoteInput(path)}`)
        blob = lookup(path)
      } catch (error) {
        return new Readable({ read() {} }).destroy(error as Error)
      }
      if (blob.entry.kind === 'symlink') {
        return Readable.from([Buffer.from(blob.entry.linkTarget ?? '')], { objectMode: false })
      }
      let body: ReadableStreamDefaultReader<Uint8Array> | undefined
      let received = 0
      let starting: Promise<void> | undefined
      const start = async (): Promise<void> => {
        const response = await limit(() =>
          requester.get(blobPath(blob.sha), { accept: GITHUB_RAW_MEDIA_TYPE, signal: callSignal }),
        )
        if (response.body === null) throw sizeMismatch(blob.entry, 0)
        body = response.body.getReader()
        if (readable.destroyed) await body.cancel().catch(() => undefined)
      }
      const readable: Readable = new Readable({
        read: () => {
          void (async () => {
            try {
              starting ??= start()
              await starting
              const reader = body as ReadableStreamDefaultReader<Uint8Array>
              const next = await reader.read()
              if (next.done) {
                if (received !== blob.entry.size) throw sizeMismatch(blob.entry, received)
                readable.push(null)
                return
              }
              received += next.value.byteLength
              if (received > blob.entry.size) throw sizeMismatch(blob.entry, received)
              readable.push(
                Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength),
              )
            } catch (error) {
              const aborted = callSignal?.aborted === true || signal?.aborted === true
              readable.destroy(
                error instanceof PackwrightError
                  ? error
                  : aborted
                    ? abortedError(callSignal ?? signal, `Reading ${quoteInput(path)}`)
                    : new PackwrightError(
                        'GITHUB_REQUEST_FAILED',
                        `The download of ${quoteInput(path)} from ${where} broke off.`,
                        { cause: error, details: { path } },
                      ),
              )
            }
          })()
        },
        destroy: (error, callback) => {
          body?.cancel().catch(() => undefined)
          callback(error)
        },
      })
      return readable
    },

    async readBytes(path: string, readOptions?: ReadOptions): Promise<Buffer> {
      throwIfAborted(combineSignals(signal, readOptions?.signal), `Reading ${quoteInput(path)}`)
      const blob = lookup(path)
      if (blob.entry.kind === 'symlink') return Buffer.from(blob.entry.linkTarget ?? '')
      return fetchBlob(blob, readOptions?.signal)
    },

    close(): Promise<void> {
      return Promise.resolve()
    },
  }
}
