/** Names never packaged from a directory, at any depth: version-control data and Finder litter. */
export const DEFAULT_IGNORED_NAMES: readonly string[] = [
  '.git',
  '.hg',
  '.svn',
  '_darcs',
  '.DS_Store',
]

const NAMES = new Set(DEFAULT_IGNORED_NAMES)

/** True when any segment of `path` is one of {@link DEFAULT_IGNORED_NAMES}. */
export function isDefaultIgnored(path: string): boolean {
  return path.split('/').some((segment) => NAMES.has(segment))
}
