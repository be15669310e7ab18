import { quoteInput } from '../../errors.js'
import { type ZipProblem } from './validate-zip-report.js'

/** Most symlinks followed while resolving one link (Linux's limit). */
export const MAX_SYMLINK_HOPS = 40
/** Most path components walked while resolving one link. */
const MAX_RESOLUTION_STEPS = 4096

/**
 * Resolves every symlink of an archive inside the archive's root, following
 * links to other symlinks of the archive (bounded), and reports each one that
 * is absolute, climbs above the root, loops, or cannot be resolved within the
 * bounds. Targets are split on `/` and `\`, so a target that would escape on
 * either kind of system is reported.
 *
 * @param links symlink entry name → target
 */
export function validateSymlinks(links: ReadonlyMap<string, string>): ZipProblem[] {
  const problems: ZipProblem[] = []
  for (const [name, target] of links) {
    const reason = findEscape(name, target, links)
    if (reason !== undefined) {
      problems.push({
        code: 'ZIP_SYMLINK_ESCAPES_ROOT',
        message: `Symlink ${quoteInput(name)} → ${quoteInput(target)} ${reason}; expected a relative target that stays inside the zip.`,
        entry: name,
      })
    }
  }
  return problems
}

function findEscape(
  name: string,
  target: string,
  links: ReadonlyMap<string, string>,
): string | undefined {
  const direct = findTargetProblem(target)
  if (direct !== undefined) return direct
  // `resolved` holds the path walked so far as cumulative prefixes ("a", "a/b", …).
  const resolved: string[] = []
  for (const part of name.split('/').slice(0, -1)) push(resolved, part)
  const pending = components(target).reverse()
  let hops = 0
  let steps = 0
  while (pending.length > 0) {
    if (++steps > MAX_RESOLUTION_STEPS)
      return `cannot be resolved within ${MAX_RESOLUTION_STEPS} steps`
    const part = pending.pop() as string
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (resolved.length === 0) {
        return hops === 0
          ? 'points above the zip root'
          : 'points above the zip root through other symlinks in the zip'
      }
      resolved.pop()
      continue
    }
    push(resolved, part)
    const current = resolved[resolved.length - 1] as string
    const next = links.get(current)
    if (next === undefined) continue
    if (++hops > MAX_SYMLINK_HOPS)
      return `goes through more than ${MAX_SYMLINK_HOPS} symlinks (a loop)`
    const problem = findTargetProblem(next)
    if (problem !== undefined)
      return `resolves through symlink ${quoteInput(current)}, which ${problem}`
    resolved.pop()
    for (const nextPart of components(next).reverse()) pending.push(nextPart)
  }
  return undefined
}

function findTargetProblem(target: string): string | undefined {
  if (target === '') return 'has an empty target'
  if (target.includes('\0')) return 'has a target containing NUL'
  if (/^[\\/]/.test(target) || /^[A-Za-z]:/.test(target)) return 'has an absolute target'
  return undefined
}

function components(target: string): string[] {
  return target.split(/[\\/]/)
}

function push(resolved: string[], part: string): void {
  const parent = resolved[resolved.length - 1]
  resolved.push(parent === undefined ? part : `${parent}/${part}`)
}
