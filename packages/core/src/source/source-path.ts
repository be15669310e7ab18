import { PackwrightError, quoteInput } from '../errors.js'

/**
 * Checks a path handed to a reader: relative, `/`-separated, no empty, `.` or
 * `..` segments, no NUL. `''` is accepted only for listing (the whole source).
 *
 * @throws PackwrightError `SOURCE_PATH_INVALID` naming the path and the rule.
 */
export function assertSourcePath(path: string, where: string, allowRoot = false): void {
  if (path === '' && allowRoot) return
  let problem: string | undefined
  if (path === '') problem = 'is empty'
  else if (path.includes('\0')) problem = 'contains a NUL character'
  else if (path.startsWith('/')) problem = 'is absolute'
  else {
    const segments = path.split('/')
    if (segments.includes('..')) problem = 'has a `..` segment'
    else if (segments.some((segment) => segment === '' || segment === '.')) {
      problem = 'has an empty or `.` segment'
    }
  }
  if (problem !== undefined) {
    throw new PackwrightError(
      'SOURCE_PATH_INVALID',
      `Invalid path ${quoteInput(path)} for ${where}: it ${problem}; expected a relative POSIX path inside the source.`,
      { details: { path: quoteInput(path), problem } },
    )
  }
}

/** A list prefix without its optional trailing `/`, validated. */
export function normaliseListPrefix(prefix: string, where: string): string {
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix
  assertSourcePath(trimmed, where, true)
  return trimmed
}
