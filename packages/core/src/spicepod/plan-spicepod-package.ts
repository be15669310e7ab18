import { comparePaths } from '../_internal/compare-paths.js'
import { PackwrightError, isPackwrightError, quoteInput } from '../errors.js'
import { type Logger, noopLogger } from '../logger.js'
import { type PlannedEntry, plannedEntryFor } from '../plan/planned-entry.js'
import { resolveSymlinkTarget } from '../selection/resolve-symlink-target.js'
import { throwIfAborted } from '../_internal/abort.js'
import { type SourceEntry, type SourceReader } from '../source/source-reader.js'
import { findZipPathProblem } from '../zip/zip-path.js'
import { findDatasetProblem, findViewProblem } from './find-component-problem.js'
import {
  hasExtension,
  normalizeSpicepodLink,
  type SpicepodLinkStyle,
} from './normalize-spicepod-link.js'
import { parseYamlMapping } from './parse-yaml-mapping.js'
import { type SpicepodErrorDetails, spicepodError } from './spicepod-error.js'
import {
  SPICEPOD_SECTIONS,
  type SpicepodDocument,
  type SpicepodSection,
  validateSpicepod,
} from './validate-spicepod.js'

/** The name the root manifest always has in a spicepod package. */
export const SPICEPOD_MANIFEST_NAME = 'spicepod.yaml'

/** Largest manifest or component file parsed by default (1 MiB). */
export const DEFAULT_MAX_SPICEPOD_YAML_BYTES = 1024 * 1024

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

/** Base names of the file a `ref:` folder holds, per section; tools accept both spellings. */
const REF_BASENAMES: Readonly<Record<SpicepodSection, readonly string[]>> = {
  catalogs: ['catalog'],
  datasets: ['dataset'],
  views: ['view'],
  models: ['model'],
  embeddings: ['embeddings'],
  tools: ['tool', 'tools'],
}

interface LoadedManifest {
  readonly readerPath: string
  /** Package-relative folder its links resolve from (`''` for the root manifest). */
  readonly folder: string
  readonly document: SpicepodDocument
}

function subField(field: string | undefined, key: string): string {
  return field === undefined || field === '' ? key : `${field}.${key}`
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
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
  const { reader, signal } = options
  const logger = options.logger ?? noopLogger
  const maxYamlBytes = options.maxYamlBytes ?? DEFAULT_MAX_SPICEPOD_YAML_BYTES
  const readOptions = signal === undefined ? {} : { signal }

  const manifestPath = options.manifestPath.replace(/^\/+/, '')
  const manifestProblem = findZipPathProblem(manifestPath)
  if (manifestPath === '' || manifestProblem !== undefined) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Invalid spicepod manifest path ${quoteInput(options.manifestPath)}: it ${manifestProblem?.reason ?? 'is empty'}.`,
      { details: { manifest: options.manifestPath } },
    )
  }
  const base = parentOf(manifestPath)
  const toReaderPath = (path: string) => (base === '' ? path : `${base}/${path}`)
  const toPackagePath = (readerPath: string) =>
    base === '' ? readerPath : readerPath.slice(base.length + 1)

  /** Runs a reader call, turning foreign failures into Spice's read failure. */
  const readerCall = async <T>(
    what: string,
    details: SpicepodErrorDetails,
    call: () => Promise<T>,
  ) => {
    throwIfAborted(signal)
    try {
      return await call()
    } catch (error) {
      if (isPackwrightError(error)) throw error
      throw spicepodError(
        'SPICEPOD_READ_FAILED',
        `Could not read ${what} from ${reader.description}: ${error instanceof Error ? error.message : String(error)}`,
        details,
        { cause: error },
      )
    }
  }
  const stat = (readerPath: string, details: SpicepodErrorDetails) =>
    readerCall(quoteInput(readerPath), details, () => reader.stat(readerPath, readOptions))

  const planned = new Map<string, { entry: PlannedEntry; from: string }>()
  const add = (entry: PlannedEntry, from: string) => {
    const existing = planned.get(entry.zipPath)
    if (existing === undefined) {
      planned.set(entry.zipPath, { entry, from })
      return
    }
    if (existing.entry.sourcePath === entry.sourcePath) {
      logger.debug(
        `${entry.zipPath} is linked more than once (${existing.from}; ${from}); packaged once.`,
      )
      return
    }
    throw spicepodError(
      'SPICEPOD_ZIP_FAILED',
      `Two different files would be stored as ${quoteInput(entry.zipPath)}: ${quoteInput(existing.entry.sourcePath)} (${existing.from}) and ${quoteInput(entry.sourcePath)} (${from}).`,
      { path: entry.zipPath },
      { hint: 'Rename one of the files, or link only one of them.' },
    )
  }

  /** Reads and parses one YAML file; `code` says whether it is a manifest or a component. */
  const readYaml = async (
    entry: SourceEntry,
    code: 'SPICEPOD_PARSE_FAILED' | 'SPICEPOD_COMPONENT_PARSE_FAILED',
    details: SpicepodErrorDetails,
  ): Promise<Record<string, unknown>> => {
    const fail = (reason: string, cause?: unknown) =>
      spicepodError(code, `${entry.path}: ${reason}`, details, cause === undefined ? {} : { cause })
    if (entry.size > maxYamlBytes) {
      throw fail(
        `the file is ${entry.size} bytes; YAML files are limited to ${maxYamlBytes} bytes.`,
      )
    }
    const bytes = await readerCall(quoteInput(entry.path), details, () =>
      reader.readBytes(entry.path, readOptions),
    )
    if (bytes.length > maxYamlBytes) {
      throw fail(
        `the file is ${bytes.length} bytes; YAML files are limited to ${maxYamlBytes} bytes.`,
      )
    }
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    } catch (error) {
      throw fail('the file is not valid UTF-8 text.', error)
    }
    const parsed = parseYamlMapping(
      text,
      options.maxAliasCount === undefined ? {} : { maxAliasCount: options.maxAliasCount },
    )
    if (!parsed.ok) throw fail(`${parsed.reason}.`)
    return parsed.value
  }

  const loadManifest = async (entry: SourceEntry, folder: string): Promise<LoadedManifest> => {
    const details = { manifest: entry.path }
    const value = await readYaml(entry, 'SPICEPOD_PARSE_FAILED', details)
    const validation = validateSpicepod(value)
    if (!validation.ok) {
      throw spicepodError('SPICEPOD_PARSE_FAILED', `${entry.path}: ${validation.reason}.`, details)
    }
    return { readerPath: entry.path, folder, document: validation.document }
  }

  const requireRegularFile = (entry: SourceEntry, details: SpicepodErrorDetails, what: string) => {
    if (entry.kind === 'symlink') {
      throw spicepodError(
        'SPICEPOD_LINK_INVALID',
        `${what} ${quoteInput(entry.path)} is a symlink; it must be a regular file.`,
        details,
      )
    }
  }

  // The root manifest.
  const rootEntry = await stat(manifestPath, { manifest: manifestPath })
  if (rootEntry === undefined) {
    throw spicepodError(
      'SPICEPOD_READ_FAILED',
      `The spicepod manifest ${quoteInput(manifestPath)} does not exist in ${reader.description}.`,
      { manifest: manifestPath, path: manifestPath },
    )
  }
  requireRegularFile(rootEntry, { manifest: manifestPath }, 'The spicepod manifest')
  const root = await loadManifest(rootEntry, '')
  add(
    {
      zipPath: SPICEPOD_MANIFEST_NAME,
      sourcePath: manifestPath,
      kind: 'file',
      size: rootEntry.size,
      executable: rootEntry.executable,
    },
    'the root manifest',
  )

  /** The package path a link names: relative to `folder`, or to the package root with a leading `/`. */
  const normalize = (
    raw: string,
    style: SpicepodLinkStyle,
    details: SpicepodErrorDetails,
    folder: string,
  ) => {
    const normalized = normalizeSpicepodLink(raw, style)
    if (!normalized.ok) {
      throw spicepodError(
        'SPICEPOD_LINK_INVALID',
        `\`${details.field}\` in ${details.manifest} is ${quoteInput(raw)}, which ${normalized.reason}.`,
        { ...details, path: raw },
        {
          hint: 'Linked paths are relative to the manifest folder and may not contain `..`, `.` or empty segments.',
        },
      )
    }
    if (normalized.fromRoot || folder === '') return normalized.path
    return `${folder}/${normalized.path}`
  }

  /** Finds `<folder>/<name>.yaml`, else `.yml`, for each name; returns what exists. */
  const findYamlFiles = async (
    folder: string,
    names: readonly string[],
    details: SpicepodErrorDetails,
  ) => {
    const found: { entry: SourceEntry; zipPath: string }[] = []
    const tried: string[] = []
    for (const name of names) {
      for (const extension of ['yaml', 'yml']) {
        const path = `${folder}/${name}.${extension}`
        tried.push(path)
        const entry = await stat(toReaderPath(path), details)
        if (entry !== undefined) {
          found.push({ entry, zipPath: `${folder}/${name}.yaml` })
          break
        }
      }
    }
    return { found, tried }
  }

  // Dependencies (not dependencies of dependencies, as in Spice).
  const manifests: LoadedManifest[] = [root]
  for (const [index, dependency] of root.document.dependencies.entries()) {
    const details = { manifest: manifestPath, field: `dependencies[${index}]` }
    const path = normalize(dependency, 'dependency', details, '')
    const folder = dependency.startsWith('/') ? path : `spicepods/${path}`
    const { found, tried } = await findYamlFiles(folder, ['spicepod'], details)
    const match = found[0]
    if (match === undefined) {
      throw spicepodError(
        'SPICEPOD_LINK_NOT_FOUND',
        `\`${details.field}\` in ${manifestPath} names ${quoteInput(dependency)}, but neither ${tried.join(' nor ')} exists.`,
        { ...details, path: `${folder}/spicepod.yaml` },
      )
    }
    requireRegularFile(match.entry, details, 'The dependency manifest')
    manifests.push(await loadManifest(match.entry, folder))
    add(plannedEntryFor(match.entry, match.zipPath), `\`${details.field}\` in ${manifestPath}`)
  }

  const addLinkedEntry = async (
    entry: SourceEntry,
    details: SpicepodErrorDetails,
    from: string,
  ) => {
    const zipPath = toPackagePath(entry.path)
    if (entry.kind === 'file') {
      add(plannedEntryFor(entry, zipPath), from)
      return
    }
    const target = entry.linkTarget ?? ''
    const resolution = await resolveSymlinkTarget(zipPath, target, (path) =>
      stat(toReaderPath(path), details),
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
    add(plannedEntryFor(entry, zipPath), from)
    await addSymlinkTarget(entry, zipPath, resolution.path, details, from)
  }

  /**
   * Packages what a linked symlink points to — the symlinks on the way and the
   * final file or folder — so the package never holds a dangling link.
   */
  const addSymlinkTarget = async (
    link: SourceEntry,
    linkZipPath: string,
    finalPath: string,
    details: SpicepodErrorDetails,
    from: string,
  ) => {
    const via = `the target of symlink ${quoteInput(linkZipPath)} (${from})`
    const hops = lexicalTarget(linkZipPath, link.linkTarget ?? '')
    for (let end = 1; end <= hops.length; end++) {
      const prefix = hops.slice(0, end).join('/')
      const hop = await stat(toReaderPath(prefix), details)
      if (hop === undefined) continue
      if (hop.kind === 'symlink' && !planned.has(prefix)) await addLinkedEntry(hop, details, via)
      break
    }
    if (finalPath === '' || planned.has(finalPath)) return
    const target = await stat(toReaderPath(finalPath), details)
    if (target !== undefined) {
      add(plannedEntryFor(target, finalPath), via)
      return
    }
    const listed = await readerCall(quoteInput(toReaderPath(finalPath)), details, () =>
      reader.list(toReaderPath(finalPath), readOptions),
    )
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
      if (!planned.has(toPackagePath(listedEntry.path))) {
        await addLinkedEntry(listedEntry, details, via)
      }
    }
  }

  /** Adds a `file:` or `sql_ref` link: a file, or (extension-less, no file there) a folder. */
  const addDirectLink = async (
    raw: string,
    style: 'file' | 'sql_ref',
    details: SpicepodErrorDetails,
    base: string,
  ) => {
    const path = normalize(raw, style, details, base)
    const from = `\`${details.field}\` in ${details.manifest}`
    const linkDetails = { ...details, path }
    const entry = await stat(toReaderPath(path), linkDetails)
    if (entry !== undefined) {
      await addLinkedEntry(entry, linkDetails, from)
      return
    }
    if (hasExtension(path)) {
      throw spicepodError(
        'SPICEPOD_LINK_NOT_FOUND',
        `${from} links ${quoteInput(raw)}, but no file exists at ${quoteInput(path)}.`,
        linkDetails,
      )
    }
    const listed = await readerCall(quoteInput(toReaderPath(path)), linkDetails, () =>
      reader.list(toReaderPath(path), readOptions),
    )
    if (listed.length === 0) {
      throw spicepodError(
        'SPICEPOD_LINK_NOT_FOUND',
        `${from} links ${quoteInput(raw)}, but there is neither a file nor a folder with files at ${quoteInput(path)}.`,
        linkDetails,
        {
          hint: 'A link without an extension is a file when one exists there, else a folder packaged with all its files; an empty folder is an error.',
        },
      )
    }
    for (const listedEntry of listed) await addLinkedEntry(listedEntry, linkDetails, from)
  }

  /** Adds the component file of a `ref:` item and returns it with its zip path. */
  const addRef = async (
    section: SpicepodSection,
    ref: string,
    details: SpicepodErrorDetails,
    base: string,
  ) => {
    const folder = normalize(ref, 'ref', details, base)
    const { found, tried } = await findYamlFiles(folder, REF_BASENAMES[section], {
      ...details,
      path: folder,
    })
    if (found.length === 0) {
      throw spicepodError(
        'SPICEPOD_LINK_NOT_FOUND',
        `\`${details.field}\` in ${details.manifest} is ${quoteInput(ref)}, but none of ${tried.join(', ')} exists.`,
        { ...details, path: folder },
      )
    }
    for (const { entry, zipPath } of found) {
      requireRegularFile(entry, { ...details, path: zipPath }, 'The component file')
      add(plannedEntryFor(entry, zipPath), `\`${details.field}\` in ${details.manifest}`)
    }
    return found
  }

  const addComponentLinks = async (
    section: 'datasets' | 'views',
    component: Record<string, unknown>,
    details: SpicepodErrorDetails,
    base: string,
  ) => {
    if (section === 'datasets') {
      const from = component.from
      if (typeof from === 'string' && from.startsWith('file:')) {
        await addDirectLink(
          from,
          'file',
          { ...details, field: subField(details.field, 'from') },
          base,
        )
      }
      return
    }
    const sqlRef = component.sql_ref
    if (typeof sqlRef === 'string') {
      await addDirectLink(
        sqlRef,
        'sql_ref',
        {
          ...details,
          field: subField(details.field, 'sql_ref'),
        },
        base,
      )
    }
  }

  for (const manifest of manifests) {
    for (const section of SPICEPOD_SECTIONS) {
      for (const item of manifest.document.sections[section]) {
        throwIfAborted(signal)
        const details = { manifest: manifest.readerPath, field: `${section}[${item.index}]` }
        if (item.kind === 'inline') {
          if (section === 'datasets' || section === 'views') {
            await addComponentLinks(section, item.value, details, manifest.folder)
          }
          continue
        }
        const found = await addRef(
          section,
          item.ref,
          { ...details, field: `${details.field}.ref` },
          manifest.folder,
        )
        if (section !== 'datasets' && section !== 'views') continue
        for (const { entry } of found) {
          const componentDetails = { manifest: entry.path }
          const value = await readYaml(entry, 'SPICEPOD_COMPONENT_PARSE_FAILED', componentDetails)
          const problem =
            section === 'datasets' ? findDatasetProblem(value) : findViewProblem(value)
          if (problem !== undefined) {
            throw spicepodError(
              'SPICEPOD_COMPONENT_PARSE_FAILED',
              `${entry.path}: ${problem}.`,
              componentDetails,
            )
          }
          // Links inside a component file resolve from its pod's folder, like the pod's own links.
          await addComponentLinks(
            section,
            value,
            { manifest: entry.path, field: '' },
            manifest.folder,
          )
        }
      }
    }
  }

  const entries = [...planned.values()]
    .map(({ entry }) => entry)
    .sort((a, b) => comparePaths(a.zipPath, b.zipPath))
  logger.debug(
    `Planned ${entries.length} files for spicepod ${quoteInput(manifestPath)} (${manifests.length} manifests; package root ${base === '' ? 'the source root' : quoteInput(base)}).`,
  )
  return entries
}
