import { comparePaths } from '../_internal/compare-paths.js'
import { type ErrorCode, PackwrightError, isPackwrightError, quoteInput } from '../errors.js'
import { type Logger, noopLogger } from '../logger.js'
import { createPackageBudget } from '../plan/package-budget.js'
import { type PlannedEntry } from '../plan/planned-entry.js'
import { unpackageableNameError } from '../source/source-name-errors.js'
import { type SourceEntry, type SourceReader } from '../source/source-reader.js'
import { findZipPathProblem } from '../zip/zip-path.js'
import { collectedProblemsError } from './collected-problems-error.js'
import { compilePathGlobs } from './compile-path-globs.js'
import { isDefaultIgnored } from './default-ignored-names.js'
import { loadIgnoreFileRules } from './load-ignore-file-rules.js'
import { resolveSymlinkTarget } from './resolve-symlink-target.js'
import { throwIfAborted } from '../_internal/abort.js'
import { type ZipLimits, resolveZipLimits } from '../zip/read/zip-limits.js'

/** The ignore files read by default, in gitignore syntax. */
export const DEFAULT_IGNORE_FILE_NAMES: readonly string[] = ['.packwrightignore', '.cfignore']

/**
 * Read by default in folders without any of {@link DEFAULT_IGNORE_FILE_NAMES},
 * as npm pack reads `.gitignore` where a folder has no `.npmignore`.
 */
export const DEFAULT_FALLBACK_IGNORE_FILE_NAMES: readonly string[] = ['.gitignore']

/** Problems of single files and links, collected through a pass and reported together. */
const COLLECTED_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'SYMLINK_ESCAPES_ROOT',
  'SYMLINK_CYCLE',
  'SYMLINK_TARGET_MISSING',
])

/** What a directory selection chose, and which ignore files it applied. */
export interface DirectorySelection {
  readonly entries: PlannedEntry[]
  /** Reader paths of the ignore files read and applied, outermost first. */
  readonly ignoreFiles: readonly string[]
}

export interface SelectDirectoryFilesOptions {
  readonly reader: SourceReader
  /** Reader path of the package root. @default '' (the whole source) */
  readonly root?: string
  /** Globs of files to package, relative to the root. @default ['**'] */
  readonly include?: readonly string[]
  /** Globs of files to leave out, relative to the root. @default [] */
  readonly exclude?: readonly string[]
  /** Base names of gitignore-syntax files honoured at every depth. @default ['.packwrightignore', '.cfignore'] */
  readonly ignoreFileNames?: readonly string[]
  /**
   * Base names honoured in folders that hold none of `ignoreFileNames`.
   * @default ['.gitignore']
   */
  readonly fallbackIgnoreFileNames?: readonly string[]
  /**
   * Root-relative paths never selected, whatever the patterns say: the
   * files a run writes itself, so that packaging them twice gives one result.
   */
  readonly leaveOut?: (path: string) => boolean
  /** Package what symlinks point to instead of the links themselves. @default false */
  readonly followSymlinks?: boolean
  /** Return an empty list instead of failing when nothing is selected. @default false */
  readonly allowEmpty?: boolean
  /**
   * Limits of the package's readers (see `DEFAULT_ZIP_LIMITS`): selection stops
   * as soon as the entries (folder entries included), their total size or
   * their central directory would pass them. @default DEFAULT_ZIP_LIMITS
   */
  readonly limits?: Partial<ZipLimits>
  readonly signal?: AbortSignal
  readonly logger?: Logger
}

function normalizeRoot(root: string): string {
  const trimmed = root.replace(/^\/+/, '').replace(/\/+$/, '')
  if (trimmed === '' || trimmed === '.') return ''
  const segments = trimmed.split('/')
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Invalid package root ${quoteInput(root)}: expected a relative folder path without \`.\`, \`..\` or empty segments.`,
      { details: { root } },
    )
  }
  return trimmed
}

/**
 * Chooses the files of a directory package: everything under `root` that an
 * include glob matches, no exclude glob matches, no ignore file ignores and
 * no default ignore (`.git`, `.hg`, `.svn`, `_darcs`, `.DS_Store`) names.
 * Symlinks are kept as links when they resolve inside the root, or replaced by
 * what they point to when `followSymlinks` is set. Entries are sorted by zip path.
 *
 * @throws PackwrightError `SELECTION_PATTERN_INVALID` for a bad glob or ignore file,
 *   `SYMLINK_ESCAPES_ROOT`, `SYMLINK_CYCLE`, `SYMLINK_TARGET_MISSING` (when following),
 *   `SELECTION_EMPTY` when nothing is selected and `allowEmpty` is not set,
 *   `PACKAGE_LIMIT_EXCEEDED` as soon as the selection passes `limits`
 *   (following links can repeat a folder many times over),
 *   `SOURCE_PATH_INVALID` for a selected file whose path the package path
 *   rules refuse (control characters, backslashes: a file left out on purpose,
 *   by an exclude pattern or an ignore file, is no error; names that are not
 *   UTF-8 are refused by the readers, as no pattern can name them),
 *   `INVALID_ARGUMENT` for a bad root, `ABORTED`; reader errors pass through.
 */
export async function selectDirectoryFiles(
  options: SelectDirectoryFilesOptions,
): Promise<PlannedEntry[]> {
  return (await selectDirectory(options)).entries
}

/**
 * {@link selectDirectoryFiles}, also telling which ignore files were applied.
 *
 * @throws what {@link selectDirectoryFiles} throws.
 */
export async function selectDirectory(
  options: SelectDirectoryFilesOptions,
): Promise<DirectorySelection> {
  const { reader, signal } = options
  const logger = options.logger ?? noopLogger
  const root = normalizeRoot(options.root ?? '')
  const include = options.include ?? ['**']
  const exclude = options.exclude ?? []
  const isIncluded = compilePathGlobs(include, 'include')
  const isExcluded = compilePathGlobs(exclude, 'exclude')
  const readOptions = signal === undefined ? {} : { signal }
  const toReaderPath = (path: string) => (root === '' ? path : `${root}/${path}`)

  throwIfAborted(signal)
  // Listed at the source root, the entries are used as they are: a copy of
  // each would double the listing of a tree of many files.
  const start = root === '' ? 0 : root.length + 1
  const entries: SourceEntry[] = await reader
    .list(root, readOptions)
    .then((listed) =>
      start === 0 ? listed : listed.map((entry) => ({ ...entry, path: entry.path.slice(start) })),
    )
  throwIfAborted(signal)
  entries.sort((a, b) => comparePaths(a.path, b.path))
  // Only symlinks look entries up by path: index them at the first one.
  let pathIndex: Map<string, SourceEntry> | undefined
  const byPath = () => (pathIndex ??= new Map(entries.map((entry) => [entry.path, entry])))
  // Only followed symlinks ask which folders exist: gather them at the first one.
  let folderSet: Set<string> | undefined
  const folders = (): Set<string> => {
    if (folderSet !== undefined) return folderSet
    folderSet = new Set<string>()
    for (const entry of entries) {
      for (
        let slash = entry.path.indexOf('/');
        slash > 0;
        slash = entry.path.indexOf('/', slash + 1)
      ) {
        folderSet.add(entry.path.slice(0, slash))
      }
    }
    return folderSet
  }

  const rules = await loadIgnoreFileRules({
    reader,
    root,
    entries,
    fileNames: options.ignoreFileNames ?? DEFAULT_IGNORE_FILE_NAMES,
    fallbackFileNames: options.fallbackIgnoreFileNames ?? DEFAULT_FALLBACK_IGNORE_FILE_NAMES,
    signal,
  })

  let ignoredCount = 0
  let excludedCount = 0
  const isSelected = (path: string): boolean => {
    if (isDefaultIgnored(path) || options.leaveOut?.(path) === true || rules.isIgnored(path)) {
      ignoredCount += 1
      return false
    }
    if (!isIncluded(path) || isExcluded(path)) {
      excludedCount += 1
      return false
    }
    return true
  }

  const lookup = (path: string) => byPath().get(path)
  const planned: PlannedEntry[] = []
  // Files and links this pass cannot package: collected, to be reported together.
  const problems: PackwrightError[] = []
  const rootName = root === '' ? 'the source root' : quoteInput(root)
  const budget = createPackageBudget({
    limits: resolveZipLimits(options.limits),
    activity:
      options.followSymlinks === true
        ? `following symlinks under ${rootName}`
        : `selecting files under ${rootName}`,
    remedy:
      options.followSymlinks === true
        ? 'Exclude the links that repeat folders, or package links without following them'
        : 'Select fewer files with include/exclude patterns or an ignore file',
  })
  /** Counts `entry` against the limits before keeping it, so an oversized walk stops early. */
  const plan = (entry: PlannedEntry): void => {
    budget.add(entry)
    planned.push(entry)
  }

  const escapeError = (path: string, target: string, reason: string) =>
    new PackwrightError(
      'SYMLINK_ESCAPES_ROOT',
      `Symlink ${quoteInput(toReaderPath(path))} -> ${quoteInput(target)} leaves the package root: it ${reason}.`,
      {
        hint: 'Point the link at a path inside the package root, or exclude it.',
        details: { path: toReaderPath(path), linkTarget: target, root },
      },
    )
  const cycleError = (path: string, target: string) =>
    new PackwrightError(
      'SYMLINK_CYCLE',
      `Symlink ${quoteInput(toReaderPath(path))} -> ${quoteInput(target)} is part of a cycle of symlinks.`,
      {
        hint:
          options.followSymlinks === true
            ? 'Break the cycle, exclude the link, or package links without following them.'
            : 'Break the cycle or exclude the link: a link that resolves through itself cannot be packaged, even unfollowed.',
        details: { path: toReaderPath(path), linkTarget: target },
      },
    )

  /**
   * Adds the link at real path `linkPath`, packaged at `zipPath`. `expanding`
   * holds the real folders being expanded through followed links, to catch cycles.
   */
  const addSymlink = async (
    entry: SourceEntry,
    zipPath: string,
    expanding: readonly string[],
  ): Promise<void> => {
    const target = entry.linkTarget ?? ''
    const resolution = await resolveSymlinkTarget(entry.path, target, lookup)
    if (resolution.kind === 'escapes') throw escapeError(entry.path, target, resolution.reason)
    if (resolution.kind === 'cycle') throw cycleError(entry.path, target)
    if (options.followSymlinks !== true) {
      plan({
        zipPath,
        sourcePath: toReaderPath(entry.path),
        kind: 'symlink',
        size: entry.size,
        executable: false,
        linkTarget: target,
      })
      return
    }
    const real = resolution.path
    const file = byPath().get(real)
    if (file !== undefined && file.kind === 'file') {
      plan({
        zipPath,
        sourcePath: toReaderPath(real),
        kind: 'file',
        size: file.size,
        executable: file.executable,
      })
      return
    }
    if (real !== '' && !folders().has(real)) {
      throw new PackwrightError(
        'SYMLINK_TARGET_MISSING',
        `Symlink ${quoteInput(toReaderPath(entry.path))} -> ${quoteInput(target)} points to ${quoteInput(toReaderPath(real))}, which does not exist, so it cannot be followed.`,
        {
          hint: 'Fix or remove the link, exclude it, or package links without following them.',
          details: { path: toReaderPath(entry.path), linkTarget: target },
        },
      )
    }
    const insideTarget = real === '' || entry.path.startsWith(`${real}/`)
    if (insideTarget || expanding.includes(real)) throw cycleError(entry.path, target)
    await addFolder(real, zipPath, [...expanding, real])
  }

  /** Adds every selected entry under real folder `folder` ('' is the root) below `zipFolder`. */
  const addFolder = async (
    folder: string,
    zipFolder: string,
    expanding: readonly string[],
  ): Promise<void> => {
    const prefix = folder === '' ? '' : `${folder}/`
    // Entries are sorted, so those under `prefix` are one run starting at its first one.
    for (let index = firstIndexAtOrAfter(prefix); index < entries.length; index++) {
      const entry = entries[index]
      if (entry === undefined || !entry.path.startsWith(prefix)) break
      throwIfAborted(signal)
      const rest = entry.path.slice(prefix.length)
      const zipPath = zipFolder === '' ? rest : `${zipFolder}/${rest}`
      if (!isSelected(zipPath) || (zipPath !== entry.path && isDefaultIgnored(entry.path))) {
        continue
      }
      const nameProblem = findZipPathProblem(zipPath)
      if (nameProblem !== undefined) {
        problems.push(
          unpackageableNameError(toReaderPath(entry.path), nameProblem.reason, reader.description),
        )
        continue
      }
      if (entry.kind === 'symlink') {
        try {
          await addSymlink(entry, zipPath, expanding)
        } catch (error) {
          if (!isPackwrightError(error) || !COLLECTED_CODES.has(error.code)) throw error
          problems.push(error)
        }
        continue
      }
      plan({
        zipPath,
        sourcePath: toReaderPath(entry.path),
        kind: 'file',
        size: entry.size,
        executable: entry.executable,
      })
    }
  }

  const firstIndexAtOrAfter = (path: string): number => {
    let low = 0
    let high = entries.length
    while (low < high) {
      const middle = (low + high) >>> 1
      const entry = entries[middle]
      if (entry !== undefined && comparePaths(entry.path, path) < 0) low = middle + 1
      else high = middle
    }
    return low
  }

  await addFolder('', '', [])
  if (problems.length > 0) {
    throw collectedProblemsError(
      problems,
      root === '' ? reader.description : `${quoteInput(root)} in ${reader.description}`,
    )
  }
  planned.sort((a, b) => comparePaths(a.zipPath, b.zipPath))

  logger.debug(
    `Selected ${planned.length} of ${entries.length} entries under ${root === '' ? 'the source root' : quoteInput(root)} ` +
      `(${ignoredCount} ignored, ${excludedCount} not matching include/exclude, ${rules.files.length} ignore files read).`,
  )

  if (planned.length === 0 && options.allowEmpty !== true) {
    const where =
      root === ''
        ? `the root of ${reader.description}`
        : `${quoteInput(root)} in ${reader.description}`
    throw new PackwrightError(
      'SELECTION_EMPTY',
      `No files were selected from ${where}: ${entries.length} entries found, ${ignoredCount} ignored, ` +
        `${excludedCount} not matching include ${JSON.stringify(include)} / exclude ${JSON.stringify(exclude)}.`,
      {
        hint:
          entries.length === 0
            ? 'The folder holds no files: package another folder, or pass `--allow-empty` to create an empty package.'
            : excludedCount === 0
              ? 'Every file is ignored: check the ignore files (`--no-ignore-files` turns them off), or pass `--allow-empty` to create an empty package.'
              : 'Check the root, the include/exclude patterns and ignore files, or pass `--allow-empty` to create an empty package.',
        details: { root, include, exclude, listed: entries.length, ignored: ignoredCount },
      },
    )
  }
  return { entries: planned, ignoreFiles: rules.files.map(toReaderPath) }
}
