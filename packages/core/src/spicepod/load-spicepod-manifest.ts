import { quoteInput } from '../errors.js'
import { type SourceEntry } from '../source/source-reader.js'
import { readSpicepodYaml } from './read-spicepod-yaml.js'
import { requireRegularFile } from './require-regular-file.js'
import { spicepodError } from './spicepod-error.js'
import { type SpicepodPlanContext } from './spicepod-plan-context.js'
import { type SpicepodDocument, validateSpicepod } from './validate-spicepod.js'

/** A manifest read and validated, with the folder its links resolve from. */
export interface LoadedSpicepodManifest {
  /** The manifest file in the source (its `path` is a reader path). */
  readonly entry: SourceEntry
  /** Package-relative folder its links resolve from (`''` for the root manifest). */
  readonly folder: string
  readonly document: SpicepodDocument
}

/**
 * Reads, parses and validates the manifest file `entry`, whose links resolve from `folder`.
 *
 * @throws PackwrightError `SPICEPOD_PARSE_FAILED`, `SPICEPOD_READ_FAILED`, `ABORTED`.
 */
export async function loadSpicepodManifest(
  context: SpicepodPlanContext,
  entry: SourceEntry,
  folder: string,
): Promise<LoadedSpicepodManifest> {
  const details = { manifest: entry.path }
  const value = await readSpicepodYaml(context, entry, 'SPICEPOD_PARSE_FAILED', details)
  const validation = validateSpicepod(value)
  if (!validation.ok) {
    throw spicepodError('SPICEPOD_PARSE_FAILED', `${entry.path}: ${validation.reason}.`, details)
  }
  return { entry, folder, document: validation.document }
}

/**
 * Finds and loads the root manifest at `manifestPath` (a reader path inside
 * the context's package root), which must be a regular file.
 *
 * @throws PackwrightError `SPICEPOD_READ_FAILED` (missing or unreadable),
 *   `SPICEPOD_LINK_INVALID` (a symlink), `SPICEPOD_PARSE_FAILED`, `ABORTED`.
 */
export async function loadRootManifest(
  context: SpicepodPlanContext,
  manifestPath: string,
): Promise<LoadedSpicepodManifest> {
  const { source } = context
  const details = { manifest: manifestPath }
  const entry = await source.stat(source.packagePath(manifestPath), details)
  if (entry === undefined) {
    throw spicepodError(
      'SPICEPOD_READ_FAILED',
      `The spicepod manifest ${quoteInput(manifestPath)} does not exist in ${source.description}.`,
      { ...details, path: manifestPath },
    )
  }
  requireRegularFile(entry, details, 'The spicepod manifest')
  return loadSpicepodManifest(context, entry, '')
}
