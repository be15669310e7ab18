import { PackwrightError, quoteInput } from '../errors.js'

/**
 * What makes `path` unusable as a reader path — absolute, empty, `.` or `..`
 * segments, a NUL — as the end of a sentence ("has a `..` segment"), or
 * undefined when it is a relative POSIX path inside the source.
 */
export function findSourcePathProblem(path: string): string | undefined {
  if (path === '') return 'is empty'
  if (path.includes('\0')) return 'contains a NUL character'
  if (path.startsWith('/')) return 'is absolute'
  const segments = path.split('/')
  if (segments.includes('..')) return 'has a `..` segment'
  if (segments.some((segment) => segment === '' || segment === '.')) {
    return 'has an empty or `.` segment'
  }
  return undefined
}

/**
 * Checks a path handed to a reader: relative, `/`-separated, no empty, `.` or
 * `..` segments, no NUL. `''` is accepted only for listing (the whole source).
 *
 * @throws PackwrightError `SOURCE_PATH_INVALID` naming the path and the rule.
 */
export function assertSourcePath(path: string, where: string, allowRoot = false): void {
  if (path === '' && allowRoot) return
  const problem = findSourcePathProblem(path)
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
