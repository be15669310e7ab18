import { throwIfAborted } from '../_internal/abort.js'
import { addComponentLinks } from './add-component-links.js'
import { addComponentRef } from './add-component-ref.js'
import { type LoadedSpicepodManifest } from './load-spicepod-manifest.js'
import { type SpicepodPlanContext } from './spicepod-plan-context.js'
import { SPICEPOD_SECTIONS } from './validate-spicepod.js'

/**
 * Plans every file one manifest's components link, section by section in
 * Spice's order: inline datasets' `file:` sources and views' `sql_ref`s, and
 * the component file of each `ref:` item (with what it links in turn).
 *
 * @throws PackwrightError as {@link addComponentRef} and {@link addComponentLinks} do.
 */
export async function addManifestLinks(
  context: SpicepodPlanContext,
  manifest: LoadedSpicepodManifest,
): Promise<void> {
  for (const section of SPICEPOD_SECTIONS) {
    for (const item of manifest.document.sections[section]) {
      throwIfAborted(context.signal)
      const details = { manifest: manifest.entry.path, field: `${section}[${item.index}]` }
      if (item.kind === 'ref') {
        const refDetails = { ...details, field: `${details.field}.ref` }
        await addComponentRef(context, section, item.ref, refDetails, manifest.folder)
      } else if (section === 'datasets' || section === 'views') {
        await addComponentLinks(context, section, item.value, details, manifest.folder)
      }
    }
  }
}
