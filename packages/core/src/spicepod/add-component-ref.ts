import { quoteInput } from '../errors.js'
import { plannedEntryFor } from '../plan/planned-entry.js'
import { type SourceEntry } from '../source/source-reader.js'
import { addComponentLinks } from './add-component-links.js'
import { findDatasetProblem, findViewProblem } from './find-component-problem.js'
import { findYamlFiles } from './find-yaml-files.js'
import { readSpicepodYaml } from './read-spicepod-yaml.js'
import { requireRegularFile } from './require-regular-file.js'
import { resolveSpicepodLink } from './resolve-spicepod-link.js'
import { type SpicepodErrorDetails, describeField, spicepodError } from './spicepod-error.js'
import { type SpicepodPlanContext } from './spicepod-plan-context.js'
import { type SpicepodSection } from './validate-spicepod.js'

/** Base names of the file a `ref:` folder holds, per section; tools accept both spellings. */
const REF_BASENAMES: Readonly<Record<SpicepodSection, readonly string[]>> = {
  catalogs: ['catalog'],
  datasets: ['dataset'],
  views: ['view'],
  models: ['model'],
  embeddings: ['embeddings'],
  tools: ['tool', 'tools'],
}

/**
 * Plans the component file of a `ref: <dir>` item — `<dir>/<kind>.yaml`, else
 * `.yml`, stored as `.yaml` — resolved from `folder`. Dataset and view files
 * are parsed too, and what they link is planned, also resolved from `folder`
 * (the folder of the pod that refers to them); other kinds are copied unread.
 *
 * @throws PackwrightError `SPICEPOD_LINK_INVALID`, `SPICEPOD_LINK_NOT_FOUND`,
 *   `SPICEPOD_COMPONENT_PARSE_FAILED`, and what {@link addComponentLinks} throws.
 */
export async function addComponentRef(
  context: SpicepodPlanContext,
  section: SpicepodSection,
  ref: string,
  details: SpicepodErrorDetails,
  folder: string,
): Promise<void> {
  const refFolder = resolveSpicepodLink(ref, 'ref', details, folder)
  const { found, tried } = await findYamlFiles(context, refFolder, REF_BASENAMES[section], {
    ...details,
    path: refFolder,
  })
  if (found.length === 0) {
    throw spicepodError(
      'SPICEPOD_LINK_NOT_FOUND',
      `${describeField(details)} is ${quoteInput(ref)}, but none of ${tried.join(', ')} exists.`,
      { ...details, path: refFolder },
    )
  }
  for (const { entry, zipPath } of found) {
    requireRegularFile(entry, { ...details, path: zipPath }, 'The component file')
    context.planned.add(plannedEntryFor(entry, zipPath), describeField(details))
  }
  if (section !== 'datasets' && section !== 'views') return
  for (const { entry } of found) await followComponentFile(context, section, entry, folder)
}

/** Parses a referenced dataset or view file and plans what it links. */
async function followComponentFile(
  context: SpicepodPlanContext,
  section: 'datasets' | 'views',
  entry: SourceEntry,
  folder: string,
): Promise<void> {
  const details = { manifest: entry.path }
  const value = await readSpicepodYaml(context, entry, 'SPICEPOD_COMPONENT_PARSE_FAILED', details)
  const problem = section === 'datasets' ? findDatasetProblem(value) : findViewProblem(value)
  if (problem !== undefined) {
    throw spicepodError('SPICEPOD_COMPONENT_PARSE_FAILED', `${entry.path}: ${problem}.`, details)
  }
  await addComponentLinks(context, section, value, { ...details, field: '' }, folder)
}
