import { type SourceEntry } from '../source/source-reader.js'
import { type SpicepodErrorDetails } from './spicepod-error.js'
import { type SpicepodPlanContext } from './spicepod-plan-context.js'

/** A YAML file found in a linked folder, and the zip path it is stored at (always `.yaml`). */
export interface FoundYamlFile {
  readonly entry: SourceEntry
  readonly zipPath: string
}

/**
 * Looks for `<folder>/<name>.yaml`, else `<folder>/<name>.yml`, for each of
 * `names`, returning what exists and every package path tried (for messages).
 *
 * @throws PackwrightError `SPICEPOD_READ_FAILED`, `ABORTED`.
 */
export async function findYamlFiles(
  context: SpicepodPlanContext,
  folder: string,
  names: readonly string[],
  details: SpicepodErrorDetails,
): Promise<{ found: FoundYamlFile[]; tried: string[] }> {
  const found: FoundYamlFile[] = []
  const tried: string[] = []
  for (const name of names) {
    for (const extension of ['yaml', 'yml']) {
      const path = `${folder}/${name}.${extension}`
      tried.push(path)
      const entry = await context.source.stat(path, details)
      if (entry !== undefined) {
        found.push({ entry, zipPath: `${folder}/${name}.yaml` })
        break
      }
    }
  }
  return { found, tried }
}
