import { quoteInput } from '../errors.js'
import { plannedEntryFor } from '../plan/planned-entry.js'
import { findYamlFiles } from './find-yaml-files.js'
import { type LoadedSpicepodManifest, loadSpicepodManifest } from './load-spicepod-manifest.js'
import { requireRegularFile } from './require-regular-file.js'
import { resolveSpicepodLink } from './resolve-spicepod-link.js'
import { describeField, spicepodError } from './spicepod-error.js'
import { type SpicepodPlanContext } from './spicepod-plan-context.js'

/**
 * Loads the manifests the root manifest lists under `dependencies` —
 * `spicepods/<dep>/spicepod.yaml` (or `.yml`), or `<dep>/spicepod.yaml` for a
 * dependency starting with `/` — and plans each as `<folder>/spicepod.yaml`.
 * As in Spice, dependencies of dependencies are not followed.
 *
 * @throws PackwrightError `SPICEPOD_LINK_INVALID`, `SPICEPOD_LINK_NOT_FOUND`,
 *   `SPICEPOD_PARSE_FAILED`, `SPICEPOD_READ_FAILED`, `SPICEPOD_ZIP_FAILED`, `ABORTED`.
 */
export async function loadSpicepodDependencies(
  context: SpicepodPlanContext,
  root: LoadedSpicepodManifest,
): Promise<LoadedSpicepodManifest[]> {
  const manifestPath = root.entry.path
  const dependencies: LoadedSpicepodManifest[] = []
  for (const [index, dependency] of root.document.dependencies.entries()) {
    const details = { manifest: manifestPath, field: `dependencies[${index}]` }
    const path = resolveSpicepodLink(dependency, 'dependency', details, '')
    const folder = dependency.startsWith('/') ? path : `spicepods/${path}`
    const { found, tried } = await findYamlFiles(context, folder, ['spicepod'], details)
    const match = found[0]
    if (match === undefined) {
      throw spicepodError(
        'SPICEPOD_LINK_NOT_FOUND',
        `${describeField(details)} names ${quoteInput(dependency)}, but neither ${tried.join(' nor ')} exists.`,
        { ...details, path: `${folder}/spicepod.yaml` },
      )
    }
    requireRegularFile(match.entry, details, 'The dependency manifest')
    dependencies.push(await loadSpicepodManifest(context, match.entry, folder))
    context.planned.add(plannedEntryFor(match.entry, match.zipPath), describeField(details))
  }
  return dependencies
}
