import { PackwrightError, quoteInput } from '../errors.js'
import { type Logger, noopLogger } from '../logger.js'
import { type PlannedEntry } from '../plan/planned-entry.js'
import { type SourceReader } from '../source/source-reader.js'
import { findZipPathProblem } from '../zip/zip-path.js'
import { addManifestLinks } from './add-manifest-links.js'
import { loadSpicepodDependencies } from './load-spicepod-dependencies.js'
import { loadRootManifest } from './load-spicepod-manifest.js'
import { PlannedSpicepodEntries } from './planned-spicepod-entries.js'
import { DEFAULT_MAX_SPICEPOD_YAML_BYTES } from './read-spicepod-yaml.js'
import { type SpicepodPlanContext } from './spicepod-plan-context.js'
import { SpicepodSource } from './spicepod-source.js'

export { DEFAULT_MAX_SPICEPOD_YAML_BYTES } from './read-spicepod-yaml.js'

/** The name the root manifest always has in a spicepod package. */
export const SPICEPOD_MANIFEST_NAME = 'spicepod.yaml'

export interface PlanSpicepodPackageOptions {
  readonly reader: SourceReader
  /** Reader path of the root manifest; its folder becomes the package root. */
  readonly manifestPath: string
  /** Largest manifest or component YAML file to parse, in bytes. @default 1048576 */
  readonly maxYamlBytes?: number
  /** Most YAML alias expansions per document (alias bombs fail fast). @default 20 */
  readonly maxAliasCount?: number
  readonly signal?: AbortSignal
  readonly logger?: Logger
}

/**
 * Plans a spicepod package: the root manifest (stored as `spicepod.yaml`) and
 * every file it links — dependency manifests, component `ref:` files, view
 * `sql_ref` files and dataset `file:` sources, folders expanded — with zip
 * paths relative to the root manifest's folder (the package root), sorted by
 * zip path. Each manifest's links resolve from its own folder (a dependency's
 * from `spicepods/<dep>/`), or from the package root when they start with `/`.
 * A file linked twice is planned once; a linked symlink brings its target.
 *
 * @throws PackwrightError `SPICEPOD_READ_FAILED`, `SPICEPOD_PARSE_FAILED`,
 *   `SPICEPOD_COMPONENT_PARSE_FAILED`, `SPICEPOD_LINK_INVALID`,
 *   `SPICEPOD_LINK_NOT_FOUND`, `SPICEPOD_ZIP_FAILED` (two files for one zip
 *   path), `SYMLINK_ESCAPES_ROOT`, `SYMLINK_CYCLE`, `SYMLINK_TARGET_MISSING`,
 *   `INVALID_ARGUMENT`, `ABORTED`;
 *   the reader's own PackwrightErrors pass through.
 */
export async function planSpicepodPackage(
  options: PlanSpicepodPackageOptions,
): Promise<PlannedEntry[]> {
  const logger = options.logger ?? noopLogger
  const manifestPath = checkManifestPath(options.manifestPath)
  const packageRoot = parentOf(manifestPath)
  const context: SpicepodPlanContext = {
    source: new SpicepodSource(options.reader, packageRoot, options.signal),
    planned: new PlannedSpicepodEntries(logger),
    yamlLimits: {
      maxBytes: options.maxYamlBytes ?? DEFAULT_MAX_SPICEPOD_YAML_BYTES,
      maxAliasCount: options.maxAliasCount,
    },
    signal: options.signal,
  }

  const root = await loadRootManifest(context, manifestPath)
  context.planned.add(
    {
      zipPath: SPICEPOD_MANIFEST_NAME,
      sourcePath: manifestPath,
      kind: 'file',
      size: root.entry.size,
      executable: root.entry.executable,
    },
    'the root manifest',
  )
  const manifests = [root, ...(await loadSpicepodDependencies(context, root))]
  for (const manifest of manifests) await addManifestLinks(context, manifest)

  const entries = context.planned.sorted()
  logger.debug(
    `Planned ${entries.length} files for spicepod ${quoteInput(manifestPath)} (${manifests.length} manifests; package root ${packageRoot === '' ? 'the source root' : quoteInput(packageRoot)}).`,
  )
  return entries
}

/**
 * The manifest path without leading `/`s, checked to be a clean relative path.
 *
 * @throws PackwrightError `INVALID_ARGUMENT`.
 */
function checkManifestPath(raw: string): string {
  const manifestPath = raw.replace(/^\/+/, '')
  const problem = findZipPathProblem(manifestPath)
  if (manifestPath === '' || problem !== undefined) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Invalid spicepod manifest path ${quoteInput(raw)}: it ${problem?.reason ?? 'is empty'}.`,
      { details: { manifest: raw } },
    )
  }
  return manifestPath
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}
