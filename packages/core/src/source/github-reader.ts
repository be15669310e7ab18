import { Readable } from 'node:stream'
import { PackwrightError, quoteInput } from '../errors.js'
import { type Logger, noopLogger } from '../logger.js'
import {
  GITHUB_JSON_MEDIA_TYPE,
  GITHUB_RAW_MEDIA_TYPE,
  type GitHubRequester,
  createGitHubRequester,
} from './github-request.js'
import { type GitHubTimeouts } from './github-timeouts.js'
import { type GitHubTreeBlob, parseGitHubTree } from './github-tree.js'
import { createConcurrencyLimit } from '../_internal/create-concurrency-limit.js'
import { mapWithConcurrency } from '../_internal/map-with-concurrency.js'
import { type ReadOptions, type SourceEntry, type SourceReader } from './source-reader.js'
import { SourceEntryIndex } from './source-entry-index.js'
import { assertSourcePath, normaliseListPrefix } from './source-path.js'
import { combineSignals, throwIfAborted } from '../_internal/abort.js'

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
  /**
   * Connect, idle, per-request and whole-read timeouts; see `GitHubTimeouts`
   * for the defaults. The whole-read deadline counts from this call.
   */
  readonly timeouts?: GitHubTimeouts | undefined
  /**
   * Largest commit or tree answer (JSON) accepted, in bytes. GitHub lists at
   * most 100,000 tree entries (about 7 MB of entries, some 30 MB of JSON with
   * their URLs) before it truncates, so 64 MiB holds any answer it gives
   * while bounding what a hostile server can make us hold. @default 67108864
   */
  readonly maxJsonBytes?: number | undefined
}

const DEFAULT_MAX_JSON_BYTES = 64 * 1024 * 1024

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

function parseJson(body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown
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
 * on demand, streamed as raw bytes with bounded concurrency. Every request
 * has timeouts, every body is checked against its size while it streams,
 * and every tree entry is either listed or refused (submodules, which hold
 * no files, are reported through the logger, as the git reader does).
 *
 * @throws PackwrightError `GITHUB_TREE_TRUNCATED` when the tree is too big
 *   for one answer, `SOURCE_PATH_INVALID` and `GITHUB_TREE_ENTRY_UNSUPPORTED`
 *   for tree entries that cannot be packaged, `GITHUB_AUTH_FAILED`,
 *   `GITHUB_RATE_LIMITED`, `GITHUB_FORBIDDEN`, `GITHUB_NOT_FOUND`,
 *   `GITHUB_REQUEST_FAILED`, `GITHUB_TIMEOUT`, `GITHUB_SIZE_MISMATCH`,
 *   `GITHUB_RESPONSE_TOO_LARGE`, `INVALID_ARGUMENT` (bad owner, repo, base
 *   URL, timeout or limit), `ABORTED`.
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
  const maxJsonBytes = options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES
  if (!Number.isSafeInteger(maxJsonBytes) || maxJsonBytes <= 0) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Invalid \`maxJsonBytes\` ${String(maxJsonBytes)}: expected a positive whole number of bytes.`,
      { details: { field: 'maxJsonBytes' } },
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
    timeouts: options.timeouts,
  })
  try {
    return await readCommitTree(options, requester, maxJsonBytes, logger)
  } catch (error) {
    await requester.close()
    throw error
  }
}

/** Reads the commit and its tree, and returns the reader over them. */
async function readCommitTree(
  options: GitHubReaderOptions,
  requester: GitHubRequester,
  maxJsonBytes: number,
  logger: Logger,
): Promise<SourceReader> {
  const { owner, repo, ref, signal } = options
  const limit = createConcurrencyLimit(Math.max(1, options.concurrency ?? 8))
  const repoPath = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`
  const readJson = async (path: string, subject: string): Promise<[unknown, string]> => {
    const what = `GET ${requester.apiBaseUrl}${path}`
    const body = await requester.read(path, {
      accept: GITHUB_JSON_MEDIA_TYPE,
      subject,
      size: { maxBytes: maxJsonBytes },
    })
    return [parseJson(body, what), what]
  }

  // 1. The commit: its SHA, committer time and tree.
  const [commit, commitWhat] = await readJson(
    `${repoPath}/commits/${encodePath(ref)}`,
    `the commit ${quoteInput(ref)}`,
  )
  if (
    !isRecord(commit) ||
    typeof commit.sha !== 'string' ||
    !/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(commit.sha) ||
    !isRecord(commit.commit)
  ) {
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
  const where = `${owner}/${repo} at ${commitSha.slice(0, 12)}`

  // 2. The whole tree in one answer; every entry is checked.
  const [treeBody, treeWhat] = await readJson(
    `${repoPath}/git/trees/${tree.sha}?recursive=1`,
    `the tree of ${where}`,
  )
  if (!isRecord(treeBody) || !Array.isArray(treeBody.tree)) {
    throw unexpected(treeWhat, 'no `tree` array')
  }
  if (treeBody.truncated === true) {
    throw new PackwrightError(
      'GITHUB_TREE_TRUNCATED',
      `The tree of ${where} is too large for GitHub to list in one answer (truncated: true); packaging only part of it would be wrong.`,
      {
        hint: 'Package a local checkout instead: a `git:{repoDir}#{sha}` source or a local folder.',
        details: { owner, repo, commit: commitSha, entries: treeBody.tree.length },
      },
    )
  }
  const { blobs, submodules } = parseGitHubTree(treeBody.tree as unknown[], where, treeWhat)
  if (submodules.length > 0) {
    logger.warn(
      `Skipping ${submodules.length} git submodule${submodules.length === 1 ? '' : 's'} (submodules are not packaged): ${submodules.slice(0, 10).join(', ')}${submodules.length > 10 ? ', …' : ''}`,
    )
  }

  const blobPath = (sha: string): string => `${repoPath}/git/blobs/${encodeURIComponent(sha)}`
  const blobRequest = (blob: GitHubTreeBlob, callSignal: AbortSignal | undefined) => ({
    accept: GITHUB_RAW_MEDIA_TYPE,
    subject: `${quoteInput(blob.entry.path)} of ${where}`,
    path: blob.entry.path,
    size: { exactBytes: blob.entry.size },
    signal: callSignal,
  })
  const fetchBlob = (blob: GitHubTreeBlob, callSignal?: AbortSignal): Promise<Buffer> =>
    limit(() => requester.read(blobPath(blob.sha), blobRequest(blob, callSignal)))

  // Symlink targets are part of the listing, so fetch them now.
  const entries = await mapWithConcurrency(blobs, 8, async (blob) => {
    if (blob.entry.kind !== 'symlink') return blob.entry
    const target = (await fetchBlob(blob)).toString('utf8')
    return { ...blob.entry, linkTarget: target }
  })
  const index = new SourceEntryIndex(entries)
  const shas = new Map(blobs.map((blob) => [blob.entry.path, blob.sha]))
  logger.debug(`GitHub ${owner}/${repo} at ${commitSha}: ${index.size} files`)

  const lookup = (path: string): GitHubTreeBlob => {
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
    commit: commitSha,

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
      let blob: GitHubTreeBlob
      try {
        throwIfAborted(combineSignals(signal, callSignal), `Reading ${quoteInput(path)}`)
        blob = lookup(path)
      } catch (error) {
        return new Readable({ read() {} }).destroy(error as Error)
      }
      if (blob.entry.kind === 'symlink') {
        return Readable.from([Buffer.from(blob.entry.linkTarget ?? '')], { objectMode: false })
      }
      // Starts on the first read; the body is checked against the tree's
      // size while it streams, and destroying the stream cancels the download.
      async function* download(): AsyncGenerator<Buffer, void, undefined> {
        yield* await limit(() =>
          requester.stream(blobPath(blob.sha), blobRequest(blob, callSignal)),
        )
      }
      return Readable.from(download(), { objectMode: false })
    },

    async readBytes(path: string, readOptions?: ReadOptions): Promise<Buffer> {
      throwIfAborted(combineSignals(signal, readOptions?.signal), `Reading ${quoteInput(path)}`)
      const blob = lookup(path)
      if (blob.entry.kind === 'symlink') return Buffer.from(blob.entry.linkTarget ?? '')
      return fetchBlob(blob, readOptions?.signal)
    },

    close(): Promise<void> {
      return requester.close()
    },
  }
}
