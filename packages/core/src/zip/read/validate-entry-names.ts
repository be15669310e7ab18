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
 * each name is checked by one scan and inserted once into a path-compressed
 * tree (at most 2n + 1 folders for n names), which also finds duplicates.
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

  // Each name is inserted once into a path-compressed tree of the names, which
  // also finds duplicates: the same name always lands on the same folder. No
  // name is hashed as a whole (deep names sharing a long prefix made that the
  // main cost). A file or symlink that another name continues with `/` has
  // something stored below its folder.
  const tree = new ZipNameTree<string>()
  const folders: NameTreeFolder<string>[] = []
  const named = new Set<NameTreeFolder<string>>()
  for (const { name } of entries) {
    const folder = tree.insert(name, name)
    folders.push(folder)
    if (named.has(folder)) {
      problems.push({
        code: 'ZIP_ENTRY_DUPLICATE',
        message: `Entry ${quoteInput(name)} appears more than once; each name must be unique.`,
        entry: name,
      })
    }
    named.add(folder)
  }
  const reported = new Set<NameTreeFolder<string>>()
  let names: Set<string> | undefined
  entries.forEach(({ name, kind }, at) => {
    const folder = folders[at] as NameTreeFolder<string>
    if (kind === 'directory' || reported.has(folder)) return
    const below = tree.valueBelow(folder)
    if (below === undefined) return
    reported.add(folder)
    names ??= new Set(entries.map((entry) => entry.name))
    const directory = `${name}/`
    const what = names.has(directory)
      ? `a directory entry ${quoteInput(directory)}`
      : `entry ${quoteInput(below)}, which needs it to be a directory`
    problems.push({
      code: 'ZIP_ENTRY_FILE_DIRECTORY_CONFLICT',
      message: `Entry ${quoteInput(name)} is a ${kind}, but the zip also holds ${what}.`,
      entry: name,
    })
  })
  return problems
}
