import { findControlCharacter } from '../_internal/control-characters.js'
import { type ErrorCode, PackwrightError, quoteInput } from '../errors.js'

export interface ZipPathProblem {
  readonly code: ErrorCode
  /** What is wrong, as the end of a sentence ("contains a `..` segment"). */
  readonly reason: string
}

// A `..` segment, and an empty or `.` segment, found by one linear scan
// (splitting a deep name into thousands of strings costs far more).
const TRAVERSAL_SEGMENT = /(?:^|\/)\.\.(?:\/|$)/
const EMPTY_OR_DOT_SEGMENT = /(?:^|\/)\.?(?:\/|$)/

/**
 * Checks one entry name against the package path rules: relative, POSIX
 * separators, no NUL, no control characters (C0, DEL, C1, bidi controls,
 * U+2028/U+2029: they make a name render differently from what is stored),
 * no `..`, and canonical (no empty or `.` segments). Directory entries end
 * with exactly one `/`. Runs in time linear in the name's length.
 *
 * Returns the first problem found, or undefined when the name is valid.
 */
export function findZipPathProblem(name: string, isDirectory = false): ZipPathProblem | undefined {
  if (name.includes('\0')) return { code: 'ZIP_ENTRY_PATH_NUL', reason: 'contains a NUL character' }
  const control = findControlCharacter(name)
  if (control !== undefined) {
    return {
      code: 'ZIP_ENTRY_PATH_CONTROL_CHARACTER',
      reason: `contains a control character (${control})`,
    }
  }
  if (name.includes('\\')) {
    return { code: 'ZIP_ENTRY_PATH_BACKSLASH', reason: 'contains a backslash (use `/`)' }
  }
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) {
    return { code: 'ZIP_ENTRY_PATH_ABSOLUTE', reason: 'is absolute' }
  }
  const body = isDirectory && name.endsWith('/') ? name.slice(0, -1) : name
  if (TRAVERSAL_SEGMENT.test(body)) {
    return { code: 'ZIP_ENTRY_PATH_TRAVERSAL', reason: 'contains a `..` segment' }
  }
  if (EMPTY_OR_DOT_SEGMENT.test(body)) {
    return { code: 'ZIP_ENTRY_PATH_NON_CANONICAL', reason: 'has an empty or `.` segment' }
  }
  return undefined
}

/**
 * Throws `ZIP_PATH_INVALID` unless `name` is a valid file entry name.
 * `where` says where the name came from, for the message.
 */
export function assertZipPath(name: string, where: string): void {
  const problem = findZipPathProblem(name)
  if (problem !== undefined) {
    throw new PackwrightError(
      'ZIP_PATH_INVALID',
      `Invalid package path ${quoteInput(name)} from ${where}: it ${problem.reason}.`,
      {
        hint: 'Package paths are relative POSIX paths of printable characters, without `.`, `..` or empty segments.',
        details: { path: name, rule: problem.code },
      },
    )
  }
}

/** Every ancestor directory of a file path, outermost first, each with a trailing `/`. */
export function ancestorDirectories(path: string): string[] {
  const parts = path.split('/')
  const result: string[] = []
  for (let i = 1; i < parts.length; i++) result.push(`${parts.slice(0, i).join('/')}/`)
  return result
}
