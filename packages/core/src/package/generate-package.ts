import { PackwrightError, quoteInput } from '../errors.js'
import { noopLogger } from '../logger.js'
import { resolve } from 'node:path'
import { selectDirectory } from '../selection/select-directory-files.js'
import { openSourceReader } from '../source/open-source-reader.js'
import { parseSourceSpec } from '../source/parse-source-spec.js'
import type { SourceReader } from '../source/source-reader.js'
import { planSpicepodPackage } from '../spicepod/plan-spicepod-package.js'
import { spicepodError } from '../spicepod/spicepod-error.js'
import { writeDeterministicZip } from '../zip/write/write-deterministic-zip.js'
import { type ZipLimits, resolveZipLimits } from '../zip/read/zip-limits.js'
import { createPackageBudget } from '../plan/package-budget.js'
import type { GeneratedPackage, GeneratePackageOptions } from './generate-package-options.js'
import type { PlannedEntry } from '../plan/planned-entry.js'
import { ownOutputsInside } from './own-outputs.js'

const MANIFEST_NAMES = ['spicepod.yaml', 'spicepod.yml']

/** Which kind of package a source path makes, and the manifest or root it starts from. */
async function choosePackageMode(
  reader: SourceReader,
  path: string,
  mode: 'auto' | 'spicepod' | 'directory',
  signal: AbortSignal | undefined,
): Promise<{ mode: 'spicepod'; manifestPath: string } | { mode: 'directory'; root: string }> {
  const entry = path === '' ? undefined : await reader.stat(path, { signal })
  const isManifestName = /\.ya?ml$/i.test(path)
  if (mode !== 'spicepod' && entry?.kind === 'file' && !isManifestName) {
    throw spicepodError(
      'SPICEPOD_PARSE_FAILED',
      `${quoteInput(path)} in ${reader.description} is a file, not a folder or a spicepod manifest: a file source must be a spicepod manifest (a .yaml or .yml file).`,
      { path },
      {
        hint: 'Give the folder that holds the file to package it as a directory, or give a spicepod manifest.',
      },
    )
  }
  if (mode === 'directory' || (mode === 'auto' && !(entry?.kind === 'file' && isManifestName))) {
    return { mode: 'directory', root: path }
  }
  if (entry !== undefined) return { mode: 'spicepod', manifestPath: path }
  for (const name of MANIFEST_NAMES) {
    const candidate = path === '' ? name : `${path}/${name}`
    if ((await reader.stat(candidate, { signal })) !== undefined) {
      return { mode: 'spicepod', manifestPath: candidate }
    }
  }
  throw spicepodError(
    'SPICEPOD_READ_FAILED',
    `No spicepod manifest ${path === '' ? '' : `at ${quoteInput(path)} `}in ${reader.description}.`,
    { path },
    { hint: 'Name the manifest file, or a folder holding spicepod.yaml.' },
  )
}

/**
 * Refuses a plan that readers applying `limits` would refuse: too many entries
 * (folder entries included), too many bytes, too large a central directory,
 * too long a name. Runs before anything is written.
 */
function assertWithinLimits(entries: readonly PlannedEntry[], limits: ZipLimits, mode: string) {
  const budget = createPackageBudget({
    limits,
    activity: `planning the ${mode} package`,
    remedy: 'Package fewer or smaller files',
  })
  for (const entry of entries) budget.add(entry)
}

/**
 * Packages a source: parses the spec, opens its reader, plans the entries
 * (spicepod links or directory selection), checks the plan against the
 * readers' limits and writes the deterministic zip.
 *
 * @throws PackwrightError with the code of whichever step failed, among them
 *   `PACKAGE_LIMIT_EXCEEDED` when `packwright inspect` (with `limits`) would
 *   refuse the package; nothing is left at `outFile` on failure.
 */
export async function generatePackage(options: GeneratePackageOptions): Promise<GeneratedPackage> {
  const { signal } = options
  const logger = options.logger ?? noopLogger
  const limits = resolveZipLimits(options.limits)
  const spec =
    typeof options.source === 'string'
      ? parseSourceSpec(options.source, { allowRefs: options.allowRefs ?? false })
      : options.source
  const { reader, path } = await openSourceReader(spec, {
    ...(options.github === undefined ? {} : { github: options.github }),
    allowRefs: options.allowRefs ?? false,
    signal,
    logger,
  })
  try {
    const choice = await choosePackageMode(reader, path, options.mode ?? 'auto', signal)
    let entries: PlannedEntry[]
    let ignoreFiles: readonly string[] = []
    if (choice.mode === 'spicepod') {
      const directoryOnly = (['include', 'exclude', 'followSymlinks'] as const).filter(
        (name) => options[name] !== undefined && options[name] !== false,
      )
      if (directoryOnly.length > 0) {
        throw new PackwrightError(
          'INVALID_ARGUMENT',
          `${directoryOnly.join(', ')} only apply to directory packages, but ${JSON.stringify(choice.manifestPath)} is packaged as a spicepod (its manifest decides what goes in).`,
          {
            hint: 'Leave those options out, or package the folder as a directory (mode: directory).',
            details: { options: directoryOnly },
          },
        )
      }
      entries = await planSpicepodPackage({
        reader,
        manifestPath: choice.manifestPath,
        signal,
        logger,
      })
    } else {
      const ownOutputs =
        spec.kind === 'local' && choice.root === ''
          ? ownOutputsInside(resolve(spec.path), resolve(options.outFile), options.outputPaths)
          : undefined
      const selection = await selectDirectory({
        reader,
        root: choice.root,
        include: options.include,
        exclude: options.exclude,
        ...(options.ignoreFiles === false
          ? { ignoreFileNames: [], fallbackIgnoreFileNames: [] }
          : {}),
        ...(ownOutputs === undefined ? {} : { leaveOut: ownOutputs }),
        followSymlinks: options.followSymlinks ?? false,
        allowEmpty: options.allowEmpty ?? false,
        limits,
        signal,
        logger,
      })
      entries = selection.entries
      ignoreFiles = selection.ignoreFiles
    }
    assertWithinLimits(entries, limits, choice.mode)
    const bytesTotal = entries.reduce((sum, entry) => sum + entry.size, 0)
    options.onProgress?.({
      phase: 'listing',
      filesDone: 0,
      filesTotal: entries.length,
      bytesDone: 0,
      bytesTotal,
    })
    logger.info(
      `packaging ${entries.length} files (${choice.mode} mode) from ${reader.description}`,
    )
    const onProgress = options.onProgress
    const written = await writeDeterministicZip({
      entries,
      reader,
      outFile: options.outFile,
      sourceDateEpoch: options.sourceDateEpoch,
      compressionLevel: options.compressionLevel,
      compressionRatioLimit: {
        ratio: limits.maxCompressionRatio,
        minBytes: limits.ratioCheckMinBytes,
      },
      signal,
      logger,
      ...(onProgress === undefined
        ? {}
        : { onProgress: (p) => onProgress({ phase: 'writing', ...p }) }),
    })
    return {
      path: written.path,
      sha256: written.sha256,
      size: written.size,
      entries: written.entries,
      mode: choice.mode,
      sourceDateEpoch: written.sourceDateEpoch,
      sourceDescription: reader.description,
      sourceCommit: reader.commit,
      ignoreFiles,
    }
  } finally {
    await reader.close()
  }
}
