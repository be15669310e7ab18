import { quoteInput } from '../../errors.js'
import { comparePaths } from '../../_internal/compare-paths.js'
import { type ZipProblem } from './validate-zip-report.js'
import { type ZipEntryKind } from './zip-entry-info.js'
import { findZipPathProblem } from '../zip-path.js'

/**
 * Checks entry names as a set: each against the package path rules, no name
 * twice, and no file or symlink where another entry needs a directory
 * (explicitly, or implied by a deeper path). Runs in O(n log n) time and O(n)
 * memory whatever the depth of the paths.
 */
export function validateEntryNames(
  entries: readonly { readonly name: string; readonly kind: ZipEntryKind }[],
): ZipProblem[] {
  const problems: ZipProblem[] = []
  for (const { name, kind } of entries) {
    const problem = findZipPathProblem(name, kind === 'directory')
    if (problem !== undefined) {
      problems.push({
        code: problem.code,
        message: `Entry ${quoteInput(name)} ${problem.reason}; expected a relative POSIX path of printable characters, without empty, \`.\` or \`..\` segments.`,
        entry: name,
      })
    }
  }

  const seen = new Set<string>()
  for (const { name } of entries) {
    if (seen.has(name)) {
      problems.push({
        code: 'ZIP_ENTRY_DUPLICATE',
        message: `Entry ${quoteInput(name)} appears more than once; each name must be unique.`,
        entry: name,
      })
    }
    seen.add(name)
  }

  // All names starting with `x/` sit together in code-unit order, so one
  // binary search per file tells whether something needs `x` to be a directory.
  const sorted = [...seen].sort(comparePaths)
  const reported = new Set<string>()
  for (const { name, kind } of entries) {
    if (kind === 'directory' || reported.has(name)) continue
    const prefix = `${name}/`
    const at = lowerBound(sorted, prefix)
    const child = sorted[at]
    if (child?.startsWith(prefix) === true) {
      reported.add(name)
      const what =
        child === prefix
          ? `a directory entry ${quoteInput(child)}`
          : `entry ${quoteInput(child)}, which needs it to be a directory`
      problems.push({
        code: 'ZIP_ENTRY_FILE_DIRECTORY_CONFLICT',
        message: `Entry ${quoteInput(name)} is a ${kind}, but the zip also holds ${what}.`,
        entry: name,
      })
    }
  }
  return problems
}

function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (comparePaths(sorted[middle] as string, value) < 0) low = middle + 1
    else high = middle
  }
  return low
}
