import { findControlCharacter } from '../_internal/control-characters.js'
import { type ErrorCode, PackwrightError, quoteInput } from '../errors.js'

export interface ZipPathProblem {
  readonly code: ErrorCode
  /** What is wrong, as the end of a sentence ("contains a `..` segment"). */
  readonly reason: string
}

/**
 * Checks one entry name against the package path rules: relative, POSIX
 * separators, no NUL, no control characters (C0, DEL, C1, bidi controls,
 * U+2028/U+2029: they make a name render differently from what is stored),
 * no `..`, and canonical (no empty or `.` segments). Directory entries end
 * with exactly one `/`. Runs in one scan of the name (splitting a deep name
 * into thousands of strings costs far more); the control character search
 * runs only on a name holding a character outside printable ASCII.
 *
 * Returns the first problem found, or undefined when the name is valid.
 */
export function findZipPathProblem(name: string, isDirectory = false): ZipPathProblem | undefined {
  const end = isDirectory && name.endsWith('/') ? name.length - 1 : name.length
  let nul = false
  let beyondPrintableAscii = false
  let backslash = false
  let traversal = false
  let emptyOrDot = false
  // Length of the current segment of the body (the name without a directory's
  // trailing `/`), and how many of its characters are dots, while all are.
  let segmentLength = 0
  let dots = 0
  for (let at = 0; at < name.length; at++) {
    const unit = name.charCodeAt(at)
    if (unit < 0x20 || unit >= 0x7f) {
      beyondPrintableAscii = true
      if (unit === 0) nul = true
    } else if (unit === 0x5c) {
      backslash = true
    }
    if (at >= end) continue
    if (unit === 0x2f) {
      if (segmentLength === dots) {
        if (dots === 2) traversal = true
        else if (dots < 2) emptyOrDot = true
      }
      segmentLength = 0
      dots = 0
    } else {
      segmentLength++
      if (unit === 0x2e) dots++
    }
  }
  if (segmentLength === dots) {
    if (dots === 2) traversal = true
    else if (dots < 2) emptyOrDot = true
  }

  if (nul) return { code: 'ZIP_ENTRY_PATH_NUL', reason: 'contains a NUL character' }
  const control = beyondPrintableAscii ? findControlCharacter(name) : undefined
  if (control !== undefined) {
    return {
      code: 'ZIP_ENTRY_PATH_CONTROL_CHARACTER',
      reason: `contains a control character (${control})`,
    }
  }
  if (backslash) {
    return { code: 'ZIP_ENTRY_PATH_BACKSLASH', reason: 'contains a backslash (use `/`)' }
  }
  if (name.startsWith('/') || isDriveLetterPrefix(name)) {
    return { code: 'ZIP_ENTRY_PATH_ABSOLUTE', reason: 'is absolute' }
  }
  if (traversal) {
    return { code: 'ZIP_ENTRY_PATH_TRAVERSAL', reason: 'contains a `..` segment' }
  }
  if (emptyOrDot) {
    return { code: 'ZIP_ENTRY_PATH_NON_CANONICAL', reason: 'has an empty or `.` segment' }
  }
  return undefined
}

/** `C:` and the like at the start of a name: a Windows drive. */
function isDriveLetterPrefix(name: string): boolean {
  const letter = name.charCodeAt(0) | 0x20
  return letter >= 0x61 && letter <= 0x7a && name.charCodeAt(1) === 0x3a
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
