/** Names never packaged from a directory, at any depth: version-control data and Finder litter. */
export const DEFAULT_IGNORED_NAMES: readonly string[] = [
  '.git',
  '.hg',
  '.svn',
  '_darcs',
  '.DS_Store',
]

/** True when `name` is a whole segment of `path` (between slashes or the ends). */
function hasSegment(path: string, name: string): boolean {
  for (let at = path.indexOf(name); at >= 0; at = path.indexOf(name, at + 1)) {
    const end = at + name.length
    if ((at === 0 || path[at - 1] === '/') && (end === path.length || path[end] === '/')) {
      return true
    }
  }
  return false
}

/**
 * True when any segment of `path` is one of {@link DEFAULT_IGNORED_NAMES}.
 * Asked once or twice for every listed file: it searches the names in the
 * path instead of splitting the path into segments.
 */
export function isDefaultIgnored(path: string): boolean {
  for (const name of DEFAULT_IGNORED_NAMES) if (hasSegment(path, name)) return true
  return false
}
