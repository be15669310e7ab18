import picomatch from 'picomatch'
import { PackwrightError, quoteInput } from '../errors.js'

/** A compiled list of globs: true when a path, or one of its ancestor folders, matches any of them. */
export type PathGlobMatcher = (path: string) => boolean

function patternProblem(pattern: string): string | undefined {
  if (pattern === '') return 'is empty'
  if (pattern.includes('\0')) return 'contains a NUL character'
  if (pattern.startsWith('/')) return 'is absolute (patterns are relative to the package root)'
  if (pattern.split('/').includes('..')) return 'contains a `..` segment'
  if (pattern.startsWith('!') && !pattern.startsWith('!(')) {
    return 'is a negation (`!`); list the paths to leave out under exclude instead'
  }
  return undefined
}

/**
 * Compiles `patterns` (picomatch syntax, dotfiles matched) into one matcher.
 * A folder pattern covers everything under the folder: `exclude: ['build']`
 * leaves out `build/a/b.js`. `option` names the list in messages.
 *
 * @throws PackwrightError `SELECTION_PATTERN_INVALID` for an empty, absolute,
 *   `..`, negated or malformed pattern (unbalanced brackets, braces or parentheses).
 */
export function compilePathGlobs(
  patterns: readonly string[],
  option: 'include' | 'exclude',
): PathGlobMatcher {
  const matchers = patterns.map((pattern, index) => {
    const fail = (reason: string, cause?: unknown): never => {
      throw new PackwrightError(
        'SELECTION_PATTERN_INVALID',
        `Invalid ${option} pattern ${quoteInput(pattern)} (${option}[${index}]): it ${reason}.`,
        {
          hint: 'Patterns are picomatch globs relative to the package root, such as `src/**` or `**/*.log`; escape literal brackets with `\\`.',
          details: { option, index, pattern },
          ...(cause === undefined ? {} : { cause }),
        },
      )
    }
    const problem = patternProblem(pattern)
    if (problem !== undefined) return fail(problem)
    try {
      return picomatch(pattern, { dot: true, strictBrackets: true })
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      return fail(`is malformed (${reason})`, error)
    }
  })
  return (path) => {
    if (matchers.length === 0) return false
    let candidate = path
    for (;;) {
      if (matchers.some((matches) => matches(candidate))) return true
      const slash = candidate.lastIndexOf('/')
      if (slash < 0) return false
      candidate = candidate.slice(0, slash)
    }
  }
}
