import { PackwrightError, quoteInput } from '../errors.js'
import { type SourceEntry } from './source-reader.js'

/** A file or symlink of a GitHub tree, with the blob that holds its content. */
export interface GitHubTreeBlob {
  readonly entry: SourceEntry
  readonly sha: string
}

export interface GitHubTreeListing {
  readonly blobs: GitHubTreeBlob[]
  /** Paths of submodule entries (mode 160000): commits of other repositories, not files. */
  readonly submodules: string[]
}

/** Longest symlink target accepted, in bytes (Linux's PATH_MAX). */
export const MAX_SYMLINK_TARGET_BYTES = 4096

/**
 * Characters a packaged path must not hold: C0 controls (NUL included), DEL,
 * C1 controls, the bidirectional marks, embeddings, overrides and isolates
 * (they make a name display as another), the backslash (a separator on
 * Windows), and unpaired UTF-16 surrogates (no UTF-8 form).
 */
const UNSAFE_CHARACTER =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\\]|\p{Cs}/u

const BLOB_MODES: Readonly<Record<string, { kind: 'file' | 'symlink'; executable: boolean }>> = {
  '100644': { kind: 'file', executable: false },
  // Written by old versions of git; git itself reads it as 100644.
  '100664': { kind: 'file', executable: false },
  '100755': { kind: 'file', executable: true },
  '120000': { kind: 'symlink', executable: false },
}
const TREE_MODE = '040000'
const SUBMODULE_MODE = '160000'

function describeCharacter(character: string): string {
  if (character === '\0') return 'a NUL character'
  if (character === '\\') return 'a backslash'
  const code = character.charCodeAt(0)
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
  if (code >= 0xd800 && code <= 0xdfff) return `an unpaired UTF-16 surrogate (${hex})`
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `the control character ${hex}`
  return `the bidirectional control character ${hex}`
}

/** Why a tree path cannot be packaged, or undefined when it can. */
export function treePathProblem(path: string): string | undefined {
  if (path === '') return 'is empty'
  if (path.startsWith('/')) return 'is absolute'
  const unsafe = UNSAFE_CHARACTER.exec(path)
  if (unsafe !== null) return `contains ${describeCharacter(unsafe[0])}`
  const segments = path.split('/')
  if (segments.includes('..')) return 'has a `..` segment (it would leave the package)'
  if (segments.includes('.')) return 'has a `.` segment'
  if (segments.includes('')) return 'has an empty segment (`//` or a trailing `/`)'
  return undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Checks every entry of a recursive GitHub tree answer and returns its files
 * and symlinks. Nothing is skipped silently: a path that cannot be packaged
 * safely, a duplicate, or an entry of an unknown type or mode fails naming
 * the path; submodules are returned for the caller to report.
 *
 * @throws PackwrightError `SOURCE_PATH_INVALID` (unsafe, duplicate or
 *   conflicting path), `GITHUB_TREE_ENTRY_UNSUPPORTED` (unknown type or mode,
 *   over-long symlink), `GITHUB_REQUEST_FAILED` (an entry missing its fields).
 */
export function parseGitHubTree(
  items: readonly unknown[],
  where: string,
  what: string,
): GitHubTreeListing {
  const blobs: GitHubTreeBlob[] = []
  const submodules: string[] = []
  const seen = new Set<string>()
  /** Paths that hold content (files, symlinks, submodules): nothing may sit below them. */
  const leaves = new Set<string>()

  const malformed = (problem: string): PackwrightError =>
    new PackwrightError(
      'GITHUB_REQUEST_FAILED',
      `Unexpected answer from GitHub for ${what}: ${problem}.`,
      { details: { request: what, problem } },
    )
  const invalidPath = (path: string, problem: string): PackwrightError =>
    new PackwrightError(
      'SOURCE_PATH_INVALID',
      `The GitHub tree of ${where} lists the path ${quoteInput(path)}, which ${problem}; such a path is neither packaged nor skipped.`,
      {
        hint: 'Rename or remove the entry in the repository, or package a local checkout where you can fix it.',
        details: { path: quoteInput(path), problem },
      },
    )
  const unsupported = (path: string, problem: string, facts: Record<string, unknown>) =>
    new PackwrightError(
      'GITHUB_TREE_ENTRY_UNSUPPORTED',
      `The GitHub tree of ${where} has an entry at ${quoteInput(path)} that cannot be packaged: ${problem}.`,
      {
        hint: 'Only files (modes 100644, 100755), symlinks (120000), folders and submodules can appear in a package source.',
        details: { path: quoteInput(path), ...facts },
      },
    )

  for (const item of items) {
    if (!isRecord(item) || typeof item.path !== 'string') {
      throw malformed('a tree entry without a `path`')
    }
    const { path } = item
    const problem = treePathProblem(path)
    if (problem !== undefined) throw invalidPath(path, problem)
    if (seen.has(path)) throw invalidPath(path, 'is listed twice')
    seen.add(path)
    const { type, mode } = item
    if (typeof type !== 'string' || typeof mode !== 'string') {
      throw malformed(`the entry ${quoteInput(path)} has no \`type\` or \`mode\``)
    }
    const facts = { type: type.slice(0, 40), mode: mode.slice(0, 40) }
    if (type === 'tree' && mode === TREE_MODE) continue
    if (type === 'commit' && mode === SUBMODULE_MODE) {
      submodules.push(path)
      leaves.add(path)
      continue
    }
    const blobMode = type === 'blob' ? BLOB_MODES[mode] : undefined
    if (blobMode === undefined) {
      throw unsupported(
        path,
        `type ${JSON.stringify(facts.type)} with mode ${JSON.stringify(facts.mode)} is not a file, symlink, folder or submodule`,
        facts,
      )
    }
    const { sha, size } = item
    if (typeof sha !== 'string' || !/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(sha)) {
      throw malformed(`the blob ${quoteInput(path)} has no valid \`sha\``)
    }
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw malformed(`the blob ${quoteInput(path)} has no valid \`size\``)
    }
    if (blobMode.kind === 'symlink' && size > MAX_SYMLINK_TARGET_BYTES) {
      throw unsupported(
        path,
        `it is a symlink whose target is ${size} bytes long, more than the ${MAX_SYMLINK_TARGET_BYTES} a path can have`,
        { ...facts, size },
      )
    }
    leaves.add(path)
    blobs.push({ entry: { path, size, ...blobMode }, sha })
  }
  for (const path of seen) {
    for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
      const parent = path.slice(0, slash)
      if (leaves.has(parent)) {
        throw invalidPath(path, `is below ${quoteInput(parent)}, which is a file, not a folder`)
      }
    }
  }
  return { blobs, submodules }
}
