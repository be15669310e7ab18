import { isUtf8 } from 'node:buffer'
import { type Dirent, type Stats, constants, lstatSync } from 'node:fs'
import { type FileHandle, lstat, open, readdir, readlink, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { Readable } from 'node:stream'
import { comparePaths } from '../_internal/compare-paths.js'
import { PackwrightError, quoteInput } from '../errors.js'
import { mapWithConcurrency } from '../_internal/map-with-concurrency.js'
import { type ReadOptions, type SourceEntry, type SourceReader } from './source-reader.js'
import { nonUtf8LinkTargetError, nonUtf8NameError } from './source-name-errors.js'
import { collectedProblemsError } from '../selection/collected-problems-error.js'
import { assertSourcePath, normaliseListPrefix } from './source-path.js'
import { abortedError, combineSignals, throwIfAborted } from '../_internal/abort.js'

export interface LocalFolderReaderOptions {
  /** Cancels every operation of the reader. */
  readonly signal?: AbortSignal
}

const READDIR_CONCURRENCY = 16
const CHUNK_SIZE = 64 * 1024
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK

function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

function isMissing(error: unknown): boolean {
  const code = errnoCode(error)
  return code === 'ENOENT' || code === 'ENOTDIR'
}

function readFailed(path: string, action: string, error: unknown): PackwrightError {
  if (error instanceof PackwrightError) return error
  const code = errnoCode(error)
  if (code === 'ABORT_ERR') return abortedError(undefined, `Reading ${quoteInput(path)}`)
  return new PackwrightError(
    'SOURCE_READ_FAILED',
    `Could not ${action} ${quoteInput(path)} in the local folder${code === undefined ? '' : ` (${code})`}.`,
    { cause: error, details: { path, ...(code === undefined ? {} : { errno: code }) } },
  )
}

function notFound(path: string, root: string): PackwrightError {
  return new PackwrightError(
    'SOURCE_NOT_FOUND',
    `No file at ${quoteInput(path)} in the local folder ${quoteInput(root)}.`,
    { details: { path } },
  )
}

/**
 * A size below 1 GiB as a small integer. `Stats` sizes are doubles, and V8
 * gives each object that stores a double its own 16-byte box: for a listing of
 * 200,000 files that is 3 MB per copy of the size (listing, plan, result).
 */
function asSmallInteger(size: number): number {
  return size < 0x40000000 ? size | 0 : size
}

/**
 * V8 keeps a joined path as a rope of its parts. Reading one character makes
 * it one flat string, and the garbage collector then drops the rope: about
 * 30 bytes less per listed path.
 */
function flattened(path: string): string {
  path.charCodeAt(0)
  return path
}

function specialFile(path: string, stats: Stats | Dirent): PackwrightError {
  const kind = stats.isFIFO()
    ? 'a named pipe (FIFO)'
    : stats.isSocket()
      ? 'a socket'
      : stats.isBlockDevice() || stats.isCharacterDevice()
        ? 'a device file'
        : 'not a regular file, folder or symlink'
  return new PackwrightError(
    'SOURCE_READ_FAILED',
    `Cannot package ${quoteInput(path)}: it is ${kind}; only regular files, folders and symlinks can be packaged.`,
    {
      hint: 'Remove it from the folder or exclude it from the selection.',
      details: { path, kind },
    },
  )
}

type Opened = { kind: 'file'; handle: FileHandle } | { kind: 'symlink'; target: string }

/**
 * Reads a folder on disk: paths relative to `root`, `/` separators, dotfiles
 * included; symlinks are reported (with their target) and never followed.
 *
 * @throws PackwrightError `SOURCE_NOT_FOUND` when `root` is missing or not a
 *   folder; the reader's methods throw `SOURCE_READ_FAILED` for special files
 *   (FIFOs, sockets, devices) and unreadable paths, `SOURCE_PATH_INVALID` for
 *   paths outside the root and, from `list`, for a listed name or symlink
 *   target that is not valid UTF-8 (it could be neither stored nor matched),
 *   `ABORTED` when cancelled.
 */
export async function createLocalFolderReader(
  root: string,
  options: LocalFolderReaderOptions = {},
): Promise<SourceReader> {
  const rootDir = resolve(root)
  throwIfAborted(options.signal, 'Opening the local folder')
  let rootStats: Stats
  try {
    rootStats = await stat(rootDir)
  } catch (error) {
    if (isMissing(error)) {
      throw new PackwrightError(
        'SOURCE_NOT_FOUND',
        `The local folder ${quoteInput(root)} does not exist.`,
        { cause: error, details: { path: rootDir } },
      )
    }
    throw readFailed(rootDir, 'open the folder', error)
  }
  if (!rootStats.isDirectory()) {
    throw new PackwrightError('SOURCE_NOT_FOUND', `${quoteInput(root)} is not a folder.`, {
      hint: 'Name the folder that holds the files to package.',
      details: { path: rootDir },
    })
  }

  const where = `the local folder ${rootDir}`
  const description = `local folder ${rootDir}`
  // Reader paths are checked or listed relative paths without `.` or `..`
  // segments: joined by hand, as path.join would normalise each of them again.
  const rootPrefix = rootDir.endsWith('/') ? rootDir : `${rootDir}/`
  const absolute = (path: string): string => (path === '' ? rootDir : rootPrefix + path)
  // Folders already known to be real folders (not symlinks), so paths through
  // a symlinked folder are never read.
  const realFolders = new Map<string, Promise<boolean>>()
  const isRealFolder = (path: string): Promise<boolean> => {
    let known = realFolders.get(path)
    if (known === undefined) {
      known = lstat(absolute(path)).then(
        (stats) => stats.isDirectory(),
        () => false,
      )
      realFolders.set(path, known)
    }
    return known
  }
  // The same knowledge, for synchronous callers; folders met while listing are real by construction.
  const realFoldersSync = new Map<string, boolean>()
  const isRealFolderSync = (path: string): boolean => {
    let known = realFoldersSync.get(path)
    if (known === undefined) {
      try {
        known = lstatSync(absolute(path)).isDirectory()
      } catch {
        known = false
      }
      realFoldersSync.set(path, known)
    }
    return known
  }
  const ancestorsAreFolders = async (path: string): Promise<boolean> => {
    let slash = path.indexOf('/')
    while (slash >= 0) {
      if (!(await isRealFolder(path.slice(0, slash)))) return false
      slash = path.indexOf('/', slash + 1)
    }
    return true
  }

  // Read as bytes: a target that is not UTF-8 would otherwise be changed without a word.
  const readLinkTarget = async (path: string): Promise<string> => {
    const target = await readlink(absolute(path), { encoding: 'buffer' })
    if (!isUtf8(target)) throw nonUtf8LinkTargetError(path, target, description)
    return target.toString('utf8')
  }
  const fileEntry = (path: string, stats: Stats): SourceEntry => ({
    path,
    kind: 'file',
    size: asSmallInteger(stats.size),
    executable: (stats.mode & 0o111) !== 0,
  })
  const entryFor = async (path: string, stats: Stats): Promise<SourceEntry | undefined> => {
    if (stats.isFile()) return fileEntry(path, stats)
    if (stats.isSymbolicLink()) {
      const linkTarget = await readLinkTarget(path)
      return {
        path,
        kind: 'symlink',
        size: Buffer.byteLength(linkTarget),
        executable: false,
        linkTarget,
      }
    }
    if (stats.isDirectory()) return undefined
    throw specialFile(path, stats)
  }

  const openNoFollow = async (path: string, signal: AbortSignal | undefined): Promise<Opened> => {
    assertSourcePath(path, where)
    throwIfAborted(signal, `Reading ${quoteInput(path)}`)
    if (!(await ancestorsAreFolders(path))) throw notFound(path, root)
    let handle: FileHandle
    try {
      handle = await open(absolute(path), OPEN_FLAGS)
    } catch (error) {
      if (errnoCode(error) === 'ELOOP') {
        try {
          return { kind: 'symlink', target: await readLinkTarget(path) }
        } catch (linkError) {
          throw readFailed(path, 'read the symlink', linkError)
        }
      }
      if (isMissing(error)) throw notFound(path, root)
      throw readFailed(path, 'open', error)
    }
    try {
      const stats = await handle.stat()
      if (stats.isDirectory()) {
        throw new PackwrightError(
          'SOURCE_READ_FAILED',
          `Cannot read ${quoteInput(path)}: it is a folder, not a file.`,
          { details: { path } },
        )
      }
      if (!stats.isFile()) throw specialFile(path, stats)
      return { kind: 'file', handle }
    } catch (error) {
      await handle.close()
      throw readFailed(path, 'open', error)
    }
  }

  /** The errors for the names in folder `dir` (in byte order) that are not valid UTF-8. */
  const nonUtf8Names = async (dir: string): Promise<PackwrightError[]> => {
    const names = await readdir(absolute(dir), { encoding: 'buffer' })
    const folder = dir === '' ? Buffer.alloc(0) : Buffer.from(`${dir}/`)
    return names
      .filter((name) => !isUtf8(name))
      .sort((a, b) => Buffer.compare(a, b))
      .map((name) => nonUtf8NameError(Buffer.concat([folder, name]), description))
  }

  return {
    description,
    sourceDateEpoch: undefined,

    async list(prefix: string, readOptions?: ReadOptions): Promise<SourceEntry[]> {
      const folder = normaliseListPrefix(prefix, where)
      const signal = combineSignals(options.signal, readOptions?.signal)
      throwIfAborted(signal, 'Listing the local folder')
      if (folder !== '') {
        if (!(await ancestorsAreFolders(folder))) return []
        try {
          if (!(await lstat(absolute(folder))).isDirectory()) return []
        } catch (error) {
          if (isMissing(error)) return []
          throw readFailed(folder, 'list', error)
        }
      }
      // One pass per folder level: each name is read with its attributes,
      // synchronously and in a plain loop. For tens of thousands of small
      // files a promise (or a directory entry object) per file costs more than
      // the system call, and the garbage it leaves grows the heap for the
      // whole run. Only symlinks wait, for their targets.
      const entries: SourceEntry[] = []
      // Names, folders and files that cannot be packaged: collected through
      // the whole listing and reported together.
      const problems: PackwrightError[] = []
      let folders = [folder]
      while (folders.length > 0) {
        throwIfAborted(signal, 'Listing the local folder')
        const listings = await mapWithConcurrency(folders, READDIR_CONCURRENCY, async (dir) => {
          try {
            const names = await readdir(absolute(dir))
            // A name that is not UTF-8 decodes with U+FFFD and then names no
            // file: read such a folder again as bytes to report it.
            if (names.some((name) => name.includes('\uFFFD'))) {
              const invalid = await nonUtf8Names(dir)
              if (invalid.length > 0) {
                problems.push(...invalid)
                return names.filter((name) => !name.includes('\uFFFD'))
              }
            }
            return names
          } catch (error) {
            // A folder removed while listing lists nothing.
            if (isMissing(error)) return []
            const failure = readFailed(dir === '' ? '.' : dir, 'list', error)
            if (failure.code === 'ABORTED') throw failure
            problems.push(failure)
            return []
          }
        })
        const next: string[] = []
        for (const [index, names] of listings.entries()) {
          const dir = folders[index] as string
          for (const name of names) {
            const path = dir === '' ? name : flattened(`${dir}/${name}`)
            let entry: SourceEntry | undefined
            try {
              // Missing: removed while listing.
              const stats = lstatSync(absolute(path), { throwIfNoEntry: false })
              if (stats === undefined) continue
              if (stats.isDirectory()) {
                next.push(path)
                realFoldersSync.set(path, true)
                continue
              }
              entry = stats.isFile() ? fileEntry(path, stats) : await entryFor(path, stats)
            } catch (error) {
              if (isMissing(error)) continue
              const failure = readFailed(path, 'read the attributes of', error)
              if (failure.code === 'ABORTED') throw failure
              problems.push(failure)
              continue
            }
            if (entry !== undefined) entries.push(entry)
          }
        }
        folders = next
      }
      throwIfAborted(signal, 'Listing the local folder')
      if (problems.length > 0) throw collectedProblemsError(problems, description)
      return entries.sort((a, b) => comparePaths(a.path, b.path))
    },

    async stat(path: string, readOptions?: ReadOptions): Promise<SourceEntry | undefined> {
      assertSourcePath(path, where)
      throwIfAborted(combineSignals(options.signal, readOptions?.signal), 'Reading attributes')
      if (!(await ancestorsAreFolders(path))) return undefined
      try {
        return await entryFor(path, await lstat(absolute(path)))
      } catch (error) {
        if (isMissing(error)) return undefined
        throw readFailed(path, 'read the attributes of', error)
      }
    },

    open(path: string, readOptions?: ReadOptions): Readable {
      const signal = combineSignals(options.signal, readOptions?.signal)
      async function* chunks(): AsyncGenerator<Buffer> {
        const opened = await openNoFollow(path, signal)
        if (opened.kind === 'symlink') {
          yield Buffer.from(opened.target)
          return
        }
        try {
          for (;;) {
            throwIfAborted(signal, `Reading ${quoteInput(path)}`)
            const buffer = Buffer.allocUnsafe(CHUNK_SIZE)
            let bytesRead: number
            try {
              ;({ bytesRead } = await opened.handle.read(buffer, 0, CHUNK_SIZE, null))
            } catch (error) {
              throw readFailed(path, 'read', error)
            }
            if (bytesRead === 0) return
            yield buffer.subarray(0, bytesRead)
          }
        } finally {
          await opened.handle.close()
        }
      }
      return Readable.from(chunks(), { objectMode: false })
    },

    async readBytes(path: string, readOptions?: ReadOptions): Promise<Buffer> {
      const signal = combineSignals(options.signal, readOptions?.signal)
      const opened = await openNoFollow(path, signal)
      if (opened.kind === 'symlink') return Buffer.from(opened.target)
      try {
        return await opened.handle.readFile(signal === undefined ? {} : { signal })
      } catch (error) {
        if (signal?.aborted === true) throw abortedError(signal, `Reading ${quoteInput(path)}`)
        throw readFailed(path, 'read', error)
      } finally {
        await opened.handle.close()
      }
    },

    localFilePath(path: string): string | undefined {
      assertSourcePath(path, where)
      for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
        if (!isRealFolderSync(path.slice(0, slash))) return undefined
      }
      return absolute(path)
    },

    close(): Promise<void> {
      return Promise.resolve()
    },
  }
}
