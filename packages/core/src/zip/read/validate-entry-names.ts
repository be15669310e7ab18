import { quoteInput } from '../../errors.js'
import { type ZipProblem } from './validate-zip-report.js'
import { type ZipEntryKind } from './zip-entry-info.js'
import { findZipPathProblem } from '../zip-path.js'
import { type NameTreeFolder, ZipNameTree } from './zip-name-tree.js'

/**
 * Checks entry names as a set: each against the package path rules, no name
 * twice, and no file or symlink where another entry needs a directory
 * (explicitly, or implied by a deeper path). Runs in time and memory linear
 * in the total length of the names, whatever their depth or shared prefixes:
 * each name is checked by one scan, hashed once for duplicates, and inserted
 * once into a path-compressed tree (at most 2n + 1 folders for n names).
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

  // In a path-compressed tree of the names, a file or symlink that another
  // name continues with `/` has something stored below it.
  const tree = new ZipNameTree<string>()
  const folders = new Map<string, NameTreeFolder<string>>()
  for (const name of seen) folders.set(name, tree.insert(name, name))
  const reported = new Set<string>()
  for (const { name, kind } of entries) {
    if (kind === 'directory' || reported.has(name)) continue
    const below = tree.valueBelow(folders.get(name) as NameTreeFolder<string>)
    if (below === undefined) continue
    reported.add(name)
    const directory = `${name}/`
    const what = seen.has(directory)
      ? `a directory entry ${quoteInput(directory)}`
      : `entry ${quoteInput(below)}, which needs it to be a directory`
    problems.push({
      code: 'ZIP_ENTRY_FILE_DIRECTORY_CONFLICT',
      message: `Entry ${quoteInput(name)} is a ${kind}, but the zip also holds ${what}.`,
      entry: name,
    })
  }
  return problems
}
