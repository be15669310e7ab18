import { type ErrorCode, PackwrightError, quoteInput } from '../errors.js'

export interface ZipPathProblem {
  readonly code: ErrorCode
  /** What is wrong, as the end of a sentence ("contains a `..` segment"). */
  readonly reason: string
}

// Control characters other than NUL are refused too: they make names that
// render differently from what is stored.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0001-\u001f\u007f]/

/**
 * Checks one entry name against the package path rules: relative, POSIX
 * separators, no NUL or control characters, no `..`, and canonical (no empty
 * or `.` segments). Directory entries end with exactly one `/`.
 *
 * Returns the first problem found, or undefined when the name is valid.
 */
export function findZipPathProblem(name: string, isDirectory = false): ZipPathProblem | undefined {
  if (name.includes('\0')) return { code: 'ZIP_ENTRY_PATH_NUL', reason: 'contains a NUL character' }
  if (name.includes('\\')) {
    return { code: 'ZIP_ENTRY_PATH_BACKSLASH', reason: 'contains a backslash (use `/`)' }
  }
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) {
    return { code: 'ZIP_ENTRY_PATH_ABSOLUTE', reason: 'is absolute' }
  }
  if (CONTROL.test(name)) {
    return { code: 'ZIP_ENTRY_PATH_NON_CANONICAL', reason: 'contains a control character' }
  }
  const body = isDirectory && name.endsWith('/') ? name.slice(0, -1) : name
  const segments = body.split('/')
  if (segments.includes('..')) {
    return { code: 'ZIP_ENTRY_PATH_TRAVERSAL', reason: 'contains a `..` segment' }
  }
  if (segments.some((segment) => segment === '' || segment === '.')) {
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
        hint: 'Package paths are relative POSIX paths without `.`, `..` or empty segments.',
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
