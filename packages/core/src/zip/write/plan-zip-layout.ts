import { comparePaths } from '../../_internal/compare-paths.js'
import { PackwrightError, quoteInput } from '../../errors.js'
import { type PlannedEntry } from '../../plan/planned-entry.js'
import { assertZipPath } from '../zip-path.js'

/** A folder entry of the archive (`a/`, `a/b/`): added for every ancestor folder. */
export interface ZipLayoutFolder {
  readonly kind: 'directory'
  /** The folder's name, ending with `/`. */
  readonly zipPath: string
}

/** One entry of the archive, in the order it is written: a planned file or symlink, or a folder. */
export type ZipLayoutItem = PlannedEntry | ZipLayoutFolder

function assertPlannable(entry: PlannedEntry): void {
  assertZipPath(entry.zipPath, `source path ${quoteInput(entry.sourcePath)}`)
  if (entry.kind !== 'file' && entry.kind !== 'symlink') {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Invalid kind ${quoteInput(String(entry.kind))} for package path ${quoteInput(entry.zipPath)}: expected "file" or "symlink".`,
      { details: { path: entry.zipPath, field: 'kind' } },
    )
  }
  if (!Number.isSafeInteger(entry.size) || entry.size < 0) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Invalid size ${String(entry.size)} for package path ${quoteInput(entry.zipPath)}: expected a whole number of bytes, 0 or more.`,
      { details: { path: entry.zipPath, field: 'size' } },
    )
  }
}

/** The planned entry named exactly `name` in `sorted`, if any (binary search). */
function findNamed(sorted: readonly PlannedEntry[], name: string): PlannedEntry | undefined {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((sorted[middle] as PlannedEntry).zipPath < name) low = middle + 1
    else high = middle
  }
  const found = sorted[low]
  return found?.zipPath === name ? found : undefined
}

/**
 * Validates planned entries and lays out the archive: every file and symlink
 * plus a folder entry (`a/`, `a/b/`) for each ancestor folder, sorted by name
 * in code-unit order, so each folder comes before its contents.
 *
 * The planned entries themselves are the layout's items (no copies): the
 * names are sorted once, and each folder is put just before the first name
 * inside it, which is where sorting would put it. So a package of many small
 * files costs one array more than its plan.
 *
 * @throws PackwrightError `ZIP_PATH_INVALID` for a name that breaks the path
 * rules, `ZIP_DUPLICATE_ENTRY` for a name given twice or a file name that is
 * also the folder of another entry, `INVALID_ARGUMENT` for a bad kind or size.
 */
export function planZipLayout(entries: readonly PlannedEntry[]): ZipLayoutItem[] {
  for (const entry of entries) assertPlannable(entry)
  // Stable: of two entries with one name, the one given first stays first.
  const sorted = [...entries].sort((a, b) => comparePaths(a.zipPath, b.zipPath))
  const items: ZipLayoutItem[] = []
  /** The folder of the previous entry, with its trailing `/` ('' at the root). */
  let openFolder = ''
  let previous: PlannedEntry | undefined
  for (const entry of sorted) {
    const name = entry.zipPath
    if (previous !== undefined && previous.zipPath === name) {
      throw new PackwrightError(
        'ZIP_DUPLICATE_ENTRY',
        `Package path ${quoteInput(name)} is given twice (from ${quoteInput(previous.sourcePath)} and ${quoteInput(entry.sourcePath)}).`,
        {
          hint: 'Each file may appear once in a package; remove or rename one of them.',
          details: { path: name, sources: [previous.sourcePath, entry.sourcePath] },
        },
      )
    }
    previous = entry
    const folder = name.slice(0, name.lastIndexOf('/') + 1)
    if (folder !== openFolder) {
      // Folders already written are the ones this name shares with the previous one.
      let shared = 0
      for (let at = 0; at < folder.length && at < openFolder.length; at++) {
        if (folder.charCodeAt(at) !== openFolder.charCodeAt(at)) break
        if (folder.charCodeAt(at) === 0x2f) shared = at + 1
      }
      for (
        let slash = folder.indexOf('/', shared);
        slash !== -1;
        slash = folder.indexOf('/', slash + 1)
      ) {
        const folderName = folder.slice(0, slash + 1)
        const clash = findNamed(sorted, folderName.slice(0, -1))
        if (clash !== undefined) {
          throw new PackwrightError(
            'ZIP_DUPLICATE_ENTRY',
            `Package path ${quoteInput(clash.zipPath)} (from ${quoteInput(clash.sourcePath)}) is a ${clash.kind}, but ${quoteInput(name)} needs it to be a folder.`,
            {
              hint: 'A name can be a file or a folder in a package, not both.',
              details: { path: clash.zipPath, conflict: 'file-and-folder', inside: name },
            },
          )
        }
        items.push({ kind: 'directory', zipPath: folderName })
      }
      openFolder = folder
    }
    items.push(entry)
  }
  return items
}
