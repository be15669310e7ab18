import { PackwrightError, quoteInput } from '../errors.js'
import { type SourceEntry, type SourceReader } from '../source/source-reader.js'
import { isDefaultIgnored } from './default-ignored-names.js'
import { GitignoreRuleSet } from './gitignore-rule-set.js'
import { throwIfAborted } from '../_internal/abort.js'

/** Ignore files larger than this are refused rather than parsed. */
const MAX_IGNORE_FILE_BYTES = 1024 * 1024

/** The gitignore-style rules of every ignore file in a tree, applied the way git applies them. */
export interface IgnoreFileRules {
  /** Root-relative paths of the ignore files that were read, outermost first. */
  readonly files: readonly string[]
  /**
   * True when `path` (root-relative) is ignored: by a rule for itself, or because
   * a folder above it is ignored (which no deeper negation can undo, as in git).
   */
  isIgnored(path: string, isDirectory?: boolean): boolean
}

export interface LoadIgnoreFileRulesOptions {
  readonly reader: SourceReader
  /** Reader path of the root (`''` for the whole source). */
  readonly root: string
  /** Every entry under the root, with root-relative paths. */
  readonly entries: readonly SourceEntry[]
  /** Base names of ignore files, such as `.packwrightignore`. */
  readonly fileNames: readonly string[]
  /**
   * Base names read only in folders that hold none of `fileNames`, such as
   * `.gitignore` (npm pack's rule: a folder's own packaging ignore file
   * replaces its `.gitignore`). @default []
   */
  readonly fallbackFileNames?: readonly string[]
  readonly signal?: AbortSignal | undefined
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

/**
 * Reads the ignore files found among `entries` (at the root and in sub-folders;
 * a nested file governs its own subtree and wins over outer ones, negations
 * included; a fallback file only where its folder has none of the main ones)
 * and returns the combined rules. Ignore files inside ignored
 * folders are not read, as git does not read them either.
 *
 * @throws PackwrightError `SELECTION_PATTERN_INVALID` when an ignore file is
 *   larger than 1 MiB or not UTF-8; reader errors pass through.
 */
export async function loadIgnoreFileRules(
  options: LoadIgnoreFileRulesOptions,
): Promise<IgnoreFileRules> {
  const names = new Set(options.fileNames)
  const fallbackNames = new Set(options.fallbackFileNames ?? [])
  const foldersWithOwnFile = new Set(
    options.entries
      .filter((entry) => entry.kind === 'file' && names.has(baseName(entry.path)))
      .map((entry) => parentOf(entry.path)),
  )
  const candidates = options.entries
    .filter(
      (entry) =>
        entry.kind === 'file' &&
        (names.has(baseName(entry.path)) ||
          (fallbackNames.has(baseName(entry.path)) &&
            !foldersWithOwnFile.has(parentOf(entry.path)))),
    )
    .sort(
      (a, b) => a.path.split('/').length - b.path.split('/').length || (a.path < b.path ? -1 : 1),
    )

  // Rules per folder (root-relative, '' for the root); a folder may hold several ignore files.
  const rulesByFolder = new Map<string, GitignoreRuleSet>()
  const files: string[] = []
  const decisionCache = new Map<string, boolean>()

  const decide = (path: string, isDirectory: boolean): boolean => {
    const key = isDirectory ? `${path}/` : path
    const cached = decisionCache.get(key)
    if (cached !== undefined) return cached
    let result = false
    let folder = parentOf(path)
    for (;;) {
      const rules = rulesByFolder.get(folder)
      if (rules !== undefined) {
        const relative = folder === '' ? path : path.slice(folder.length + 1)
        const decision = rules.test(relative, isDirectory)
        if (decision === 'ignored') {
          result = true
          break
        }
        if (decision === 'unignored') break
      }
      if (folder === '') break
      folder = parentOf(folder)
    }
    decisionCache.set(key, result)
    return result
  }

  const isIgnored = (path: string, isDirectory = false): boolean => {
    if (rulesByFolder.size === 0) return false
    for (let slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
      if (decide(path.slice(0, slash), true)) return true
    }
    return decide(path, isDirectory)
  }

  for (const entry of candidates) {
    throwIfAborted(options.signal)
    const folder = parentOf(entry.path)
    if (isDefaultIgnored(entry.path) || (folder !== '' && isIgnored(folder, true))) continue
    const readerPath = options.root === '' ? entry.path : `${options.root}/${entry.path}`
    if (entry.size > MAX_IGNORE_FILE_BYTES) {
      throw new PackwrightError(
        'SELECTION_PATTERN_INVALID',
        `Ignore file ${quoteInput(readerPath)} is ${entry.size} bytes; ignore files are limited to ${MAX_IGNORE_FILE_BYTES} bytes.`,
        { details: { path: readerPath, size: entry.size } },
      )
    }
    const bytes = await options.reader.readBytes(
      readerPath,
      options.signal === undefined ? {} : { signal: options.signal },
    )
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    } catch (error) {
      throw new PackwrightError(
        'SELECTION_PATTERN_INVALID',
        `Ignore file ${quoteInput(readerPath)} is not valid UTF-8 text.`,
        { cause: error, details: { path: readerPath } },
      )
    }
    const rules = rulesByFolder.get(folder) ?? new GitignoreRuleSet()
    rules.add(text)
    rulesByFolder.set(folder, rules)
    decisionCache.clear()
    files.push(entry.path)
  }

  return { files, isIgnored }
}
