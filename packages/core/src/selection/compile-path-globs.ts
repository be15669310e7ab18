import { PackwrightError, quoteInput } from '../errors.js'
import { buildGlobAutomaton } from './glob-automaton.js'
import { GlobSyntaxError } from './glob-syntax.js'
import { parsePathGlob } from './parse-path-glob.js'

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
 * Compiles `patterns` (picomatch syntax, dotfiles matched; see `parsePathGlob`)
 * into one matcher that reads a path once, left to right, without
 * backtracking: its time grows linearly with the path's length, whatever the
 * patterns (`*a*a*a*a*b` included). A folder pattern covers everything under
 * the folder: `exclude: ['build']` leaves out `build/a/b.js`. `option` names
 * the list in messages.
 *
 * @throws PackwrightError `SELECTION_PATTERN_INVALID` for an empty, absolute,
 *   `..`, negated or malformed pattern (unbalanced brackets, braces or
 *   parentheses), and for a `!(…)` group.
 */
export function compilePathGlobs(
  patterns: readonly string[],
  option: 'include' | 'exclude',
): PathGlobMatcher {
  const nodes = patterns.map((pattern, index) => {
    const fail = (reason: string, cause?: unknown): never => {
      throw new PackwrightError(
        'SELECTION_PATTERN_INVALID',
        `Invalid ${option} pattern ${quoteInput(pattern)} (${option}[${index}]): it ${reason}.`,
        {
          hint: 'Patterns are globs relative to the package root, such as `src/**` or `**/*.log`; escape literal brackets with `\\`.',
          details: { option, index, pattern },
          ...(cause === undefined ? {} : { cause }),
        },
      )
    }
    const problem = patternProblem(pattern)
    if (problem !== undefined) return fail(problem)
    try {
      return { node: parsePathGlob(pattern) }
    } catch (error) {
      if (error instanceof GlobSyntaxError) return fail(error.reason, error)
      throw error
    }
  })
  if (nodes.length === 0) return () => false
  // The default include: every path matches, so no path needs reading.
  if (patterns.every((pattern) => pattern === '**')) return () => true
  const automaton = buildGlobAutomaton(nodes)
  return (path) => automaton.matchesSelfOrAncestor(path)
}
