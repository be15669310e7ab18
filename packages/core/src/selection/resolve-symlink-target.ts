import { type SourceEntry } from '../source/source-reader.js'

/** Where a symlink ends up once its target (and any symlink on the way) is resolved. */
export type SymlinkResolution =
  /** The final path relative to the root (`''` is the root itself); it may not exist. */
  | { readonly kind: 'inside'; readonly path: string }
  /** The target leaves the root; `reason` ends a sentence ("is absolute"). */
  | { readonly kind: 'escapes'; readonly reason: string }
  /** Symlinks point at each other (more hops than any sane tree needs). */
  | { readonly kind: 'cycle' }

/** Finds the entry at a root-relative path (only symlinks matter to the resolver). */
export type SymlinkLookup = (
  path: string,
) => SourceEntry | undefined | Promise<SourceEntry | undefined>

/** As many hops as Linux follows before it reports ELOOP. */
const MAX_HOPS = 40

function isAbsoluteTarget(target: string): boolean {
  return target.startsWith('/') || /^[A-Za-z]:[\\/]/.test(target)
}

/**
 * Resolves the target of the symlink at `linkPath` (relative to a root) lexically,
 * substituting every symlink met on the way, and says whether it stays inside
 * the root. A `..` that climbs above the root escapes even when a later
 * segment would come back in, because the root's own name is not part of a package.
 */
export async function resolveSymlinkTarget(
  linkPath: string,
  linkTarget: string,
  lookup: SymlinkLookup,
): Promise<SymlinkResolution> {
  const resolved = linkPath.split('/').slice(0, -1)
  const first = targetProblem(linkTarget, linkPath)
  if (first !== undefined) return first
  let queue = linkTarget.split('/')
  let hops = 0
  for (;;) {
    const segment = queue.shift()
    if (segment === undefined) break
    if (segment === '' || segment === '.') continue
    if (segment === '..') {
      if (resolved.length === 0) {
        return { kind: 'escapes', reason: 'climbs above the root with `..`' }
      }
      resolved.pop()
      continue
    }
    resolved.push(segment)
    const here = resolved.join('/')
    const entry = await lookup(here)
    if (entry?.kind !== 'symlink') continue
    hops += 1
    if (hops > MAX_HOPS) return { kind: 'cycle' }
    const target = entry.linkTarget ?? ''
    const problem = targetProblem(target, here)
    if (problem !== undefined) return problem
    resolved.pop()
    queue = [...target.split('/'), ...queue]
  }
  return { kind: 'inside', path: resolved.join('/') }
}

function targetProblem(target: string, at: string): SymlinkResolution | undefined {
  if (target === '') {
    return { kind: 'escapes', reason: `has an empty target (at ${JSON.stringify(at)})` }
  }
  if (isAbsoluteTarget(target)) {
    return {
      kind: 'escapes',
      reason: `points to the absolute path ${JSON.stringify(target.slice(0, 200))} (at ${JSON.stringify(at)})`,
    }
  }
  return undefined
}
