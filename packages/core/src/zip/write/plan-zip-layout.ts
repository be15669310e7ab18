import { comparePaths } from '../../_internal/compare-paths.js'
import { PackwrightError, quoteInput } from '../../errors.js'
import { type PlannedEntry } from '../../plan/planned-entry.js'
import { ancestorDirectories, assertZipPath } from '../zip-path.js'

/** One entry of the archive, in the order it is written. */
export type ZipLayoutItem =
  | { readonly kind: 'directory'; readonly name: string }
  | { readonly kind: 'file' | 'symlink'; readonly name: string; readonly entry: PlannedEntry }

/**
 * Validates planned entries and lays out the archive: every file and symlink
 * plus a folder entry (`a/`, `a/b/`) for each ancestor folder, sorted by name
 * in code-unit order, so each folder comes before its contents.
 *
 * @throws PackwrightError `ZIP_PATH_INVALID` for a name that breaks the path
 * rules, `ZIP_DUPLICATE_ENTRY` for a name given twice or a file name that is
 * also the folder of another entry, `INVALID_ARGUMENT` for a bad kind or size.
 */
export function planZipLayout(entries: readonly PlannedEntry[]): ZipLayoutItem[] {
  const files = new Map<string, PlannedEntry>()
  const directories = new Set<string>()
  for (const entry of entries) {
    const where = `source path ${quoteInput(entry.sourcePath)}`
    assertZipPath(entry.zipPath, where)
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
    const earlier = files.get(entry.zipPath)
    if (earlier !== undefined) {
      throw new PackwrightError(
        'ZIP_DUPLICATE_ENTRY',
        `Package path ${quoteInput(entry.zipPath)} is given twice (from ${quoteInput(earlier.sourcePath)} and ${quoteInput(entry.sourcePath)}).`,
        {
          hint: 'Each file may appear once in a package; remove or rename one of them.',
          details: { path: entry.zipPath, sources: [earlier.sourcePath, entry.sourcePath] },
        },
      )
    }
    files.set(entry.zipPath, entry)
    for (const directory of ancestorDirectories(entry.zipPath)) directories.add(directory)
  }
  for (const [path, entry] of files) {
    if (directories.has(`${path}/`)) {
      const inside = [...files.keys()].find((other) => other.startsWith(`${path}/`)) ?? `${path}/…`
      throw new PackwrightError(
        'ZIP_DUPLICATE_ENTRY',
        `Package path ${quoteInput(path)} (from ${quoteInput(entry.sourcePath)}) is a ${entry.kind}, but ${quoteInput(inside)} needs it to be a folder.`,
        {
          hint: 'A name can be a file or a folder in a package, not both.',
          details: { path, conflict: 'file-and-folder', inside },
        },
      )
    }
  }
  const items: ZipLayoutItem[] = [...directories].map((name) => ({ kind: 'directory', name }))
  for (const [name, entry] of files) items.push({ kind: entry.kind, name, entry })
  return items.sort((a, b) => comparePaths(a.name, b.name))
}
