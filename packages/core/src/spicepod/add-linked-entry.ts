import { PackwrightError, quoteInput } from '../errors.js'
import { plannedEntryFor } from '../plan/planned-entry.js'
import { resolveSymlinkTarget } from '../selection/resolve-symlink-target.js'
import { type SourceEntry } from '../source/source-reader.js'
import { findZipPathProblem } from '../zip/zip-path.js'
import { type SpicepodErrorDetails, spicepodError } from './spicepod-error.js'
import { type SpicepodPlanContext } from './spicepod-plan-context.js'

/**
 * Plans a file or symlink that a manifest links (`from` says which field, for
 * messages). A symlink must stay inside the package root, and brings what it
 * points to, so the package never holds a dangling link.
 *
 * @throws PackwrightError `SPICEPOD_LINK_INVALID` when its path breaks the
 *   package path rules (control characters, backslashes), `SYMLINK_ESCAPES_ROOT`,
 *   `SYMLINK_CYCLE`, `SYMLINK_TARGET_MISSING`, `SPICEPOD_ZIP_FAILED`,
 *   `SPICEPOD_READ_FAILED`, `ABORTED`.
 */
export async function addLinkedEntry(
  context: SpicepodPlanContext,
  entry: SourceEntry,
  details: SpicepodErrorDetails,
  from: string,
): Promise<void> {
  const { source, planned } = context
  const zipPath = source.packagePath(entry.path)
  // A linked folder may hold names the package cannot store: report them, never drop them.
  const nameProblem = findZipPathProblem(zipPath)
  if (nameProblem !== undefined) {
    throw spicepodError(
      'SPICEPOD_LINK_INVALID',
      `${from} brings in ${quoteInput(entry.path)}, whose path ${nameProblem.reason}; expected a relative POSIX path of printable characters, without backslashes.`,
      { ...details, path: quoteInput(zipPath), problem: nameProblem.reason },
      { hint: 'Rename the file, or move it out of the linked folder.' },
    )
  }
  if (entry.kind === 'file') {
    planned.add(plannedEntryFor(entry, zipPath), from)
    return
  }
  const target = entry.linkTarget ?? ''
  const resolution = await resolveSymlinkTarget(zipPath, target, (path) =>
    source.stat(path, details),
  )
  if (resolution.kind === 'escapes') {
    throw new PackwrightError(
      'SYMLINK_ESCAPES_ROOT',
      `Symlink ${quoteInput(entry.path)} -> ${quoteInput(target)}, linked by ${from}, leaves the package root: it ${resolution.reason}.`,
      {
        hint: 'Point the link at a path inside the manifest folder.',
        details: { ...details, path: zipPath, linkTarget: target },
      },
    )
  }
  if (resolution.kind === 'cycle') {
    throw new PackwrightError(
      'SYMLINK_CYCLE',
      `Symlink ${quoteInput(entry.path)} -> ${quoteInput(target)}, linked by ${from}, is part of a cycle of symlinks.`,
      { details: { ...details, path: zipPath, linkTarget: target } },
    )
  }
  planned.add(plannedEntryFor(entry, zipPath), from)
  await addSymlinkTarget(context, entry, zipPath, resolution.path, details, from)
}

/**
 * Plans what a linked symlink points to: the first symlink on the way to it
 * (which brings its own target in turn) and the final file or folder at
 * `finalPath`, the fully resolved package path.
 */
async function addSymlinkTarget(
  context: SpicepodPlanContext,
  link: SourceEntry,
  linkZipPath: string,
  finalPath: string,
  details: SpicepodErrorDetails,
  from: string,
): Promise<void> {
  const { source, planned } = context
  const via = `the target of symlink ${quoteInput(linkZipPath)} (${from})`
  const hops = lexicalTarget(linkZipPath, link.linkTarget ?? '')
  for (let end = 1; end <= hops.length; end++) {
    const prefix = hops.slice(0, end).join('/')
    const hop = await source.stat(prefix, details)
    if (hop === undefined) continue
    if (hop.kind === 'symlink' && !planned.has(prefix)) {
      await addLinkedEntry(context, hop, details, via)
    }
    break
  }
  if (finalPath === '' || planned.has(finalPath)) return
  const target = await source.stat(finalPath, details)
  if (target !== undefined) {
    planned.add(plannedEntryFor(target, finalPath), via)
    return
  }
  const listed = await source.list(finalPath, details)
  if (listed.length === 0) {
    throw new PackwrightError(
      'SYMLINK_TARGET_MISSING',
      `Symlink ${quoteInput(link.path)} -> ${quoteInput(link.linkTarget ?? '')}, linked by ${from}, points to ${quoteInput(finalPath)}, where there is neither a file nor a folder with files.`,
      {
        hint: 'Fix or remove the link: the package would hold a dangling symlink.',
        details: { ...details, path: linkZipPath, linkTarget: link.linkTarget },
      },
    )
  }
  for (const listedEntry of listed) {
    if (!planned.has(source.packagePath(listedEntry.path))) {
      await addLinkedEntry(context, listedEntry, details, via)
    }
  }
}

/**
 * The package path a symlink's target names, taken literally (without
 * following other symlinks), as segments; empty when it climbs out.
 */
function lexicalTarget(linkPath: string, target: string): string[] {
  const segments = linkPath.split('/').slice(0, -1)
  for (const segment of target.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment !== '..') segments.push(segment)
    else if (segments.pop() === undefined) return []
  }
  return segments
}
