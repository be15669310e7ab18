import { findControlCharacter } from '../../_internal/control-characters.js'
import { quoteInput } from '../../errors.js'
import {
  MAX_SYMLINK_HOPS,
  MAX_SYMLINK_RESOLUTION_STEPS,
  type SymlinkFailure,
  resolveZipSymlinks,
} from './resolve-zip-symlinks.js'
import { type ZipProblem } from './validate-zip-report.js'

/**
 * Checks every symlink of an archive: its target holds no control character
 * (`ZIP_SYMLINK_TARGET_CONTROL_CHARACTER`: C0, DEL, C1, bidi controls,
 * U+2028/U+2029), and it resolves inside the archive's root, through the
 * other symlinks of the archive (`ZIP_SYMLINK_ESCAPES_ROOT`: absolute or
 * empty targets, climbs above the root, loops, too long a walk). Time and
 * memory are linear in the total length of the link names and targets (see
 * {@link resolveZipSymlinks}).
 *
 * @param links symlink entry name → target
 */
export function validateSymlinks(links: ReadonlyMap<string, string>): ZipProblem[] {
  const failures = resolveZipSymlinks(links)
  const problems: ZipProblem[] = []
  for (const [name, target] of links) {
    const control = findControlCharacter(target)
    if (control !== undefined) {
      problems.push({
        code: 'ZIP_SYMLINK_TARGET_CONTROL_CHARACTER',
        message: `Symlink ${quoteInput(name)} has a target ${quoteInput(target)} containing a control character (${control}); expected a target of printable characters.`,
        entry: name,
      })
      continue
    }
    const failure = failures.get(name)
    if (failure !== undefined) {
      problems.push({
        code: 'ZIP_SYMLINK_ESCAPES_ROOT',
        message: `Symlink ${quoteInput(name)} → ${quoteInput(target)} ${describeFailure(failure)}; expected a relative target that stays inside the zip.`,
        entry: name,
      })
    }
  }
  return problems
}

function describeFailure(failure: SymlinkFailure): string {
  switch (failure.kind) {
    case 'bad-target':
      return failure.through === undefined
        ? failure.problem
        : `resolves through symlink ${quoteInput(failure.through)}, which ${failure.problem}`
    case 'above-root':
      return failure.throughLinks
        ? 'points above the zip root through other symlinks in the zip'
        : 'points above the zip root'
    case 'loop':
      return `goes through more than ${MAX_SYMLINK_HOPS} symlinks (a loop)`
    case 'too-many-steps':
      return `cannot be resolved within ${MAX_SYMLINK_RESOLUTION_STEPS} steps`
  }
}
