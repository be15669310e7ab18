import { isUtf8 } from 'node:buffer'
import { resolve } from 'node:path'
import { Readable } from 'node:stream'
import { PackwrightError, quoteInput } from '../errors.js'
import { type Logger, noopLogger } from '../logger.js'
import { GitCatFile } from './git-cat-file.js'
import { gitFailed, runGit, summariseGitStderr } from './run-git.js'
import { type ReadOptions, type SourceEntry, type SourceReader } from './source-reader.js'
import { SourceEntryIndex } from './source-entry-index.js'
import {
  nonUtf8LinkTargetError,
  nonUtf8NameError,
  unaddressablePathError,
} from './source-name-errors.js'
import { assertSourcePath, findSourcePathProblem, normaliseListPrefix } from './source-path.js'
import { abortedError, combineSignals, throwIfAborted } from '../_internal/abort.js'

export interface GitRepositoryReaderOptions {
  /** The repository (its working-tree folder or its git dir). */
  readonly repoDir: string
  /** A commit SHA, or anything `git rev-parse` resolves to a commit. */
  readonly rev: string
  /** Cancels every operation of the reader (and ends its git process). */
  readonly signal?: AbortSignal
  readonly logger?: Logger
}

interface TreeBlob {
  readonly entry: SourceEntry
  readonly objectId: string
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

async function resolveCommit(repoDir: string, rev: string, signal?: AbortSignal): Promise<string> {
  const args = ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]
  const result = await runGit(repoDir, args, { signal })
  const sha = result.stdout.toString('utf8').trim()
  if (result.exitCode === 0 && /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(sha)) return sha
  const stderr = summariseGitStderr(result.stderr)
  // Exit 1 is `--verify` saying no such commit (or, with a message, that the
  // object is not a commit); git's fatal errors exit 128.
  if (result.exitCode === 1) {
    throw new PackwrightError(
      'GIT_COMMIT_NOT_FOUND',
      `No commit ${quoteInput(rev)} in the git repository ${quoteInput(repoDir)}${stderr === '' ? '' : ` (${stderr})`}.`,
      {
        hint: 'Fetch the commit (git fetch) or check the SHA; shallow clones may not have it.',
        details: { repoDir, rev: quoteInput(rev) },
      },
    )
  }
  throw gitFailed(args, repoDir, stderr)
}

/** The committer time of a raw commit object, in seconds since the epoch. */
function committerTime(commit: Buffer): number | undefined {
  const headerEnd = commit.indexOf('\n\n')
  const header = commit.subarray(0, headerEnd < 0 ? commit.length : headerEnd).toString('utf8')
  for (const line of header.split('\n')) {
    if (!line.startsWith('committer ')) continue
    const match = /> (-?\d+) [+-]\d{4}$/.exec(line)
    return match === null ? undefined : Number(match[1])
  }
  return undefined
}

/**
 * A tree path the reader cannot hand out: not valid UTF-8, or not a usable
 * path (a `..`, `.` or empty segment, which only hand-made trees hold), an
 * entry that is neither a file, a symlink nor a submodule, or a symlink whose
 * target is not valid UTF-8.
 */
interface RefusedPath {
  readonly bytes: Buffer
  /** The error to throw, given the reader's description. */
  readonly error: (where: string) => PackwrightError
}

/** Parses `git ls-tree -r -z -l` output into blobs, submodule paths and refused paths. */
function parseLsTree(
  output: Buffer,
  repoDir: string,
): { blobs: TreeBlob[]; submodules: string[]; refused: RefusedPath[] } {
  const blobs: TreeBlob[] = []
  const submodules: string[] = []
  const refused: RefusedPath[] = []
  let start = 0
  while (start < output.length) {
    let end = output.indexOf(0, start)
    if (end < 0) end = output.length
    const record = output.subarray(start, end)
    start = end + 1
    const tab = record.indexOf(9)
    if (tab < 0) {
      throw gitFailed(
        ['ls-tree'],
        repoDir,
        `unexpected output record ${quoteInput(record.toString('utf8'), 80)}`,
      )
    }
    const [mode = '', type = '', objectId = '', sizeText = ''] = record
      .subarray(0, tab)
      .toString('latin1')
      .split(/ +/)
    const bytes = record.subarray(tab + 1)
    const path = bytes.toString('utf8')
    // Invalid UTF-8 decodes with U+FFFD: such a path would be packaged renamed.
    if (path.includes('\uFFFD') && !isUtf8(bytes)) {
      refused.push({ bytes, error: (where) => nonUtf8NameError(bytes, where) })
      continue
    }
    const pathProblem = findSourcePathProblem(path)
    if (pathProblem !== undefined) {
      refused.push({ bytes, error: (where) => unaddressablePathError(path, pathProblem, where) })
      continue
    }
    if (type === 'commit') {
      submodules.push(path)
      continue
    }
    if (type !== 'blob') {
      const reason = `is a tree entry of type ${quoteInput(type)} (mode ${mode}), which is neither a file, a symlink nor a submodule`
      refused.push({ bytes, error: (where) => unaddressablePathError(path, reason, where) })
      continue
    }
    const size = Number(sizeText)
    if (mode === '120000') {
      blobs.push({
        entry: { path, kind: 'symlink', size, executable: false },
        objectId,
      })
    } else {
      const executable = (parseInt(mode, 8) & 0o111) !== 0
      blobs.push({ entry: { path, kind: 'file', size, executable }, objectId })
    }
  }
  return { blobs, submodules, refused }
}

/** The error for the first refused path under the folder `prefix` (`''`: anywhere), if any. */
function refusedPathError(
  refused: readonly RefusedPath[],
  prefix: string,
  where: string,
): PackwrightError | undefined {
  const folder = Buffer.from(prefix === '' ? '' : `${prefix}/`)
  const found = refused.find(({ bytes }) => bytes.subarray(0, folder.length).equals(folder))
  return found?.error(where)
}

/**
 * Reads one commit of a local git repository from its object database, never
 * from the working tree: modes and symlinks come from the commit's tree, and
 * blobs are streamed through one long-lived `git cat-file --batch` process.
 *
 * @throws PackwrightError `GIT_COMMIT_NOT_FOUND` when `rev` names no commit,
 *   `GIT_FAILED` when the folder is not a repository or git fails,
 *   `INVALID_ARGUMENT` for an unusable `rev`, `ABORTED` when cancelled; `list`
 *   throws `SOURCE_PATH_INVALID` when the listed folder holds a path that is
 *   not valid UTF-8, has a `..`, `.` or empty segment, is a tree entry of an
 *   unknown type or a symlink whose target is not valid UTF-8, so no file of
 *   the commit is silently left out or changed.
 *   Submodules are not packaged: they are skipped with a warning through the logger.
 */
export async function createGitRepositoryReader(
  options: GitRepositoryReaderOptions,
): Promise<SourceReader> {
  const { rev, signal } = options
  const logger = options.logger ?? noopLogger
  const repoDir = resolve(options.repoDir)
  if (rev === '' || rev.startsWith('-') || CONTROL.test(rev)) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Invalid git revision ${quoteInput(rev)}: expected a commit SHA or a ref name (not empty, no leading \`-\`, no control characters).`,
      { details: { rev: quoteInput(rev) } },
    )
  }
  throwIfAborted(signal, 'Opening the git repository')
  const commit = await resolveCommit(repoDir, rev, signal)

  const catFile = new GitCatFile(repoDir, signal)
  try {
    const commitObject = await catFile.read(commit)
    const sourceDateEpoch = committerTime(commitObject.bytes)
    const listing = await runGit(repoDir, ['ls-tree', '-r', '-z', '-l', '--full-tree', commit], {
      signal,
    })
    if (listing.exitCode !== 0) {
      throw gitFailed(['ls-tree'], repoDir, summariseGitStderr(listing.stderr))
    }
    const { blobs, submodules, refused } = parseLsTree(listing.stdout, repoDir)
    if (submodules.length > 0) {
      const shown = submodules.slice(0, 10).join(', ')
      logger.warn(
        `Skipping ${submodules.length} git submodule${submodules.length === 1 ? '' : 's'} (submodules are not packaged): ${shown}${submodules.length > 10 ? ', …' : ''}`,
      )
    }
    // Symlink targets are part of the listing: ask git for all of them at once.
    throwIfAborted(signal, 'Reading the git tree')
    const targets = await Promise.all(
      blobs.map((blob) =>
        blob.entry.kind === 'symlink' ? catFile.read(blob.objectId) : Promise.resolve(undefined),
      ),
    )
    const entries: SourceEntry[] = []
    const objectIds = new Map<string, string>()
    blobs.forEach((blob, i) => {
      objectIds.set(blob.entry.path, blob.objectId)
      const target = targets[i]?.bytes
      if (target === undefined) {
        entries.push(blob.entry)
        return
      }
      const { path } = blob.entry
      if (isUtf8(target)) {
        entries.push({ ...blob.entry, linkTarget: target.toString('utf8') })
      } else {
        // Decoded, it would point somewhere else: report it when listed.
        refused.push({
          bytes: Buffer.from(path),
          error: (where) => nonUtf8LinkTargetError(path, target, where),
        })
      }
    })
    const index = new SourceEntryIndex(entries)
    logger.debug(`git commit ${commit} of ${repoDir}: ${index.size} files`)
    const where = `git commit ${commit.slice(0, 12)}`

    const lookup = (path: string): { entry: SourceEntry; objectId: string } => {
      assertSourcePath(path, where)
      const entry = index.get(path)
      const objectId = objectIds.get(path)
      if (entry === undefined || objectId === undefined) {
        throw new PackwrightError(
          'SOURCE_NOT_FOUND',
          `No file at ${quoteInput(path)} in ${where} of ${quoteInput(repoDir)}.`,
          { details: { path, commit } },
        )
      }
      return { entry, objectId }
    }
    const checkSize =
      (entry: SourceEntry) =>
      (header: { size: number }): void => {
        if (header.size !== entry.size) {
          throw new PackwrightError(
            'SOURCE_READ_FAILED',
            `The git object for ${quoteInput(entry.path)} has ${header.size} bytes, but the tree lists ${entry.size}.`,
            { details: { path: entry.path, expected: entry.size, actual: header.size } },
          )
        }
      }

    const description = `git repository ${repoDir} at ${commit.slice(0, 12)}`

    return {
      description,
      sourceDateEpoch,
      commit,

      // eslint-disable-next-line @typescript-eslint/require-await
      async list(prefix: string, readOptions?: ReadOptions): Promise<SourceEntry[]> {
        throwIfAborted(combineSignals(signal, readOptions?.signal), 'Listing the git tree')
        const folder = normaliseListPrefix(prefix, where)
        const refusal = refusedPathError(refused, folder, description)
        if (refusal !== undefined) throw refusal
        return index.list(folder)
      },

      // eslint-disable-next-line @typescript-eslint/require-await
      async stat(path: string, readOptions?: ReadOptions): Promise<SourceEntry | undefined> {
        assertSourcePath(path, where)
        throwIfAborted(combineSignals(signal, readOptions?.signal), 'Reading the git tree')
        return index.get(path)
      },

      open(path: string, readOptions?: ReadOptions): Readable {
        const callSignal = combineSignals(signal, readOptions?.signal)
        let found: { entry: SourceEntry; objectId: string }
        try {
          throwIfAborted(callSignal, `Reading ${quoteInput(path)}`)
          found = lookup(path)
        } catch (error) {
          return new Readable({ read() {} }).destroy(error as Error)
        }
        if (found.entry.kind === 'symlink') {
          return Readable.from([Buffer.from(found.entry.linkTarget ?? '')], { objectMode: false })
        }
        const stream = catFile.stream(found.objectId, checkSize(found.entry))
        if (callSignal !== undefined && callSignal !== signal) {
          const onAbort = (): void => {
            stream.destroy(abortedError(callSignal, `Reading ${quoteInput(path)}`))
          }
          callSignal.addEventListener('abort', onAbort, { once: true })
          stream.once('close', () => callSignal.removeEventListener('abort', onAbort))
        }
        return stream
      },

      async readBytes(path: string, readOptions?: ReadOptions): Promise<Buffer> {
        throwIfAborted(combineSignals(signal, readOptions?.signal), `Reading ${quoteInput(path)}`)
        const found = lookup(path)
        if (found.entry.kind === 'symlink') return Buffer.from(found.entry.linkTarget ?? '')
        const object = await catFile.read(found.objectId)
        checkSize(found.entry)({ size: object.bytes.length })
        return object.bytes
      },

      close(): Promise<void> {
        return catFile.close()
      },
    }
  } catch (error) {
    await catFile.close()
    throw error
  }
}
