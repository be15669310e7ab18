import { setMaxListeners } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type GeneratePackageOptions,
  type GeneratedPackage,
  type PackageProgress,
  PACKWRIGHT_ANNOTATIONS,
  PackwrightError,
  type ResourceEntry,
  type ResourceManifest,
  type ResourcePool,
  type SourceSpec,
  createRebuildSource,
  generatePackage,
  openZip,
  parseSourceSpec,
  planResourceUpload,
  quoteInput,
  toResourceDescriptor,
  writeDeterministicZip,
} from '@packwright/core'
import type { CfPackageState } from './cf-resources.js'
import type { PackwrightClient } from './packwright-client.js'
import { pushError } from './push-errors.js'
import { readGitCommitAnnotations } from './read-git-commit-annotations.js'

/** How a source is packaged: the options of `packwright generate`. */
export type PackagingOptions = Omit<
  GeneratePackageOptions,
  'source' | 'outFile' | 'signal' | 'onProgress' | 'logger'
>

/** One step of a push, for progress displays. */
export type PushProgress =
  | { readonly phase: 'packaging'; readonly progress: PackageProgress }
  | { readonly phase: 'matching'; readonly done: number; readonly total: number }
  | { readonly phase: 'zipping'; readonly done: number; readonly total: number }
  | { readonly phase: 'uploading'; readonly sent: number; readonly total: number }
  | { readonly phase: 'processing'; readonly state: string }

export interface PushPackageOptions {
  readonly client: PackwrightClient
  /** A source spec, as `packwright generate` takes it. */
  readonly source: string
  /** The app the package belongs to; created when the server has none of that name. */
  readonly appName: string
  /** The `packwright.dev/version` annotation. @default the commit SHA, for git sources */
  readonly version?: string | undefined
  readonly packaging?: PackagingOptions
  /** Where the package and upload zips are written while pushing. @default os.tmpdir() */
  readonly workFolder?: string
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: PushProgress) => void
}

export interface PushResult {
  /** Files and symlinks in the package. */
  readonly files: number
  /** Bytes of their content. */
  readonly totalBytes: number
  /** Bytes of the package zip. */
  readonly packageBytes: number
  /** Bytes of the `bits` zip uploaded (0 when every file matched). */
  readonly bytesSent: number
  /** Bytes of every request body: resource matching, `resources` and `bits`. */
  readonly requestBytes: number
  /** Files the server already held, by sha1. */
  readonly filesMatched: number
  /** Files that went in the `bits` zip. */
  readonly filesSent: number
  /** The package digest, as `packwright generate` gives it and the server reported it. */
  readonly sha256: string
  readonly guid: string
  readonly appGuid: string
  readonly appCreated: boolean
  readonly state: CfPackageState
  readonly durationMs: number
  readonly annotations: Readonly<Record<string, string>>
}

/** The entry time the server writes unless a package names its own (1980-01-01T00:00:00Z). */
const SERVER_SOURCE_DATE_EPOCH = 315_532_800

/** The latest entry time a zip can hold (2107-12-31T23:59:59Z). */
const LATEST_ZIP_EPOCH = 4_354_819_199

/**
 * The entry-time annotation for a package stamped `sourceDateEpoch`: none for
 * the server's default, else the time as the zip holds it (whole seconds,
 * within the zip's range), so the server writes the same entries.
 */
function sourceDateEpochAnnotation(sourceDateEpoch: number): Record<string, string> {
  const seconds = Math.min(
    Math.max(Math.floor(sourceDateEpoch), SERVER_SOURCE_DATE_EPOCH),
    LATEST_ZIP_EPOCH,
  )
  return seconds === SERVER_SOURCE_DATE_EPOCH
    ? {}
    : { [PACKWRIGHT_ANNOTATIONS.sourceDateEpoch]: String(seconds) }
}

const EMPTY_POOL: ResourcePool = {
  size: () => Promise.resolve(undefined),
  open: () => {
    throw new Error('the empty pool holds nothing')
  },
}

/** Writes the zip of `upload` paths, read from the package zip itself. */
async function writeUploadZip(
  packageZip: GeneratedPackage,
  upload: ReadonlySet<string>,
  outFile: string,
  options: {
    readonly limits?: PackagingOptions['limits']
    readonly compressionLevel?: number | undefined
    readonly signal?: AbortSignal | undefined
    readonly onProgress?: (done: number, total: number) => void
  },
): Promise<{ path: string; size: number }> {
  const archive = await openZip(
    packageZip.path,
    options.limits === undefined ? {} : { limits: options.limits },
  )
  try {
    const rebuild = await createRebuildSource({ archive, resources: [], pool: EMPTY_POOL })
    const entries = rebuild.entries.filter((entry) => upload.has(entry.zipPath))
    const written = await writeDeterministicZip({
      entries,
      reader: rebuild.reader,
      outFile,
      sourceDateEpoch: packageZip.sourceDateEpoch,
      ...(options.compressionLevel === undefined
        ? {}
        : { compressionLevel: options.compressionLevel }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.onProgress === undefined
        ? {}
        : { onProgress: (p) => options.onProgress?.(p.bytesDone, p.bytesTotal) }),
    })
    return { path: written.path, size: written.size }
  } finally {
    await archive.close()
  }
}

/**
 * A signal that follows `outer` and may carry any number of listeners: the
 * zip writer reads many entries at once, each listening for the abort.
 */
function manyListenerSignal(outer: AbortSignal): AbortSignal {
  const controller = new AbortController()
  setMaxListeners(0, controller.signal)
  if (outer.aborted) controller.abort(outer.reason)
  else outer.addEventListener('abort', () => controller.abort(outer.reason), { once: true })
  return controller.signal
}

/** Both passes saw the same files, or the source changed during the push. */
function assertSameFiles(manifest: readonly ResourceEntry[], generated: GeneratedPackage): void {
  let index = 0
  for (const entry of generated.entries) {
    const seen = manifest[index++]
    if (
      seen === undefined ||
      seen.path !== entry.path ||
      seen.sha1 !== entry.sha1 ||
      seen.mode !== entry.mode
    ) {
      const path = seen?.path ?? entry.path
      throw new PackwrightError(
        'ZIP_SOURCE_CHANGED',
        `${quoteInput(path)} changed while it was being pushed.`,
        { hint: 'Push again once nothing writes to the source.', details: { path } },
      )
    }
  }
  if (index !== manifest.length) {
    throw new PackwrightError('ZIP_SOURCE_CHANGED', 'Files were removed while being pushed.', {
      hint: 'Push again once nothing writes to the source.',
    })
  }
}

function sumSizes(manifest: ResourceManifest): number {
  return manifest.reduce((sum, entry) => sum + entry.size, 0)
}

/**
 * Pushes a source to the server with resource matching: packages it as
 * `packwright generate` does, makes sure the app exists, creates a package,
 * asks which files the server already holds, uploads only the others (with
 * the matched list) in one streamed request, waits until the server has
 * assembled the package, and checks that the server's sha256 is the local
 * package's. Git sources annotate the package with their commit, and a
 * package stamped other than 1980-01-01 with its entry time.
 *
 * @throws PackwrightError `PUSH_PACKAGE_FAILED` when the server fails the
 *   package, `PUSH_CHECKSUM_MISMATCH` when its sha256 differs from the local
 *   package's, any other `PUSH_…` code from the client, and core's codes
 *   from packaging.
 */
export async function pushPackage(options: PushPackageOptions): Promise<PushResult> {
  const started = Date.now()
  const { client, onProgress } = options
  const signal = options.signal === undefined ? undefined : manyListenerSignal(options.signal)
  const spec: SourceSpec = parseSourceSpec(options.source, {
    allowRefs: options.packaging?.allowRefs ?? false,
  })
  const workFolder = await mkdtemp(join(options.workFolder ?? tmpdir(), 'packwright-push-'))
  // The package pass runs beside the server's work; it stops when the push fails.
  const packagePass = new AbortController()
  setMaxListeners(0, packagePass.signal)
  signal?.addEventListener('abort', () => packagePass.abort(signal.reason), { once: true })
  let packageJob: Promise<GeneratedPackage> | undefined
  try {
    const level = options.packaging?.compressionLevel
    const generate = (
      file: string,
      compressionLevel: number | undefined,
      passSignal: AbortSignal | undefined,
      report?: (progress: PackageProgress) => void,
    ) =>
      generatePackage({
        ...options.packaging,
        source: spec,
        outFile: join(workFolder, file),
        ...(compressionLevel === undefined ? {} : { compressionLevel }),
        ...(passSignal === undefined ? {} : { signal: passSignal }),
        ...(report === undefined ? {} : { onProgress: report }),
      })
    const reportPackaging =
      onProgress === undefined
        ? undefined
        : (progress: PackageProgress) => onProgress({ phase: 'packaging', progress })
    // Two passes over the source: a stored zip first, quick to write, whose
    // manifest drives matching and whose entries the bits are cut from; then
    // `generate`'s own zip, deflated while the server matches and assembles.
    // GitHub sources are read once: a second pass would download them again.
    const twoPasses = spec.kind !== 'github' && level !== 0
    const listing = await generate(
      twoPasses ? 'listing.zip' : 'package.zip',
      twoPasses ? 0 : level,
      signal,
      reportPackaging,
    )
    packageJob = twoPasses
      ? generate('package.zip', level, packagePass.signal)
      : Promise.resolve(listing)
    packageJob.catch(() => undefined)
    // Plain objects, whether core hands the entries over as an array or a compact list.
    const manifest: ResourceEntry[] = [...listing.entries]
    const commit = await readGitCommitAnnotations(spec, options.version, signal)
    const annotations: Record<string, string> = {
      ...(Object.keys(commit).length > 0
        ? commit
        : options.version === undefined
          ? {}
          : { [PACKWRIGHT_ANNOTATIONS.version]: options.version }),
      // A commit source is stamped with its commit time: the server writes the same.
      ...sourceDateEpochAnnotation(listing.sourceDateEpoch),
    }

    const { app, created } = await client.ensureApp(options.appName, signal)
    const pkg = await client.createPackage(app.guid, { annotations }, signal)

    const descriptors = manifest.filter((entry) => entry.kind === 'file').map(toResourceDescriptor)
    const matched = await client.matchResources(descriptors, {
      ...(signal === undefined ? {} : { signal }),
      onProgress: (done, total) => onProgress?.({ phase: 'matching', done, total }),
    })
    const known = new Set(matched.map((resource) => resource.checksum.value.toLowerCase()))
    const plan = planResourceUpload(manifest, known)

    let bits: { path: string; size: number } | undefined
    if (plan.resources.length === 0) {
      // Nothing matched: the package zip itself is the upload.
      const whole = await packageJob
      bits = { path: whole.path, size: whole.size }
      onProgress?.({ phase: 'zipping', done: whole.size, total: whole.size })
    } else if (plan.upload.length > 0) {
      bits = await writeUploadZip(
        listing,
        new Set(plan.upload.map((entry) => entry.path)),
        join(workFolder, 'bits.zip'),
        {
          limits: options.packaging?.limits,
          compressionLevel: level,
          signal,
          onProgress: (done, total) => onProgress?.({ phase: 'zipping', done, total }),
        },
      )
    }
    const uploaded = await client.uploadPackage(pkg.guid, {
      resources: plan.resources,
      ...(bits === undefined ? {} : { bits }),
      ...(signal === undefined ? {} : { signal }),
      onBitsProgress: (sent, total) => onProgress?.({ phase: 'uploading', sent, total }),
    })
    onProgress?.({ phase: 'processing', state: uploaded.package.state })
    const final =
      uploaded.jobUrl === undefined &&
      (uploaded.package.state === 'READY' || uploaded.package.state === 'FAILED')
        ? uploaded.package
        : await client.waitForPackage(pkg.guid, {
            jobUrl: uploaded.jobUrl,
            ...(signal === undefined ? {} : { signal }),
            onPoll: (state) => onProgress?.({ phase: 'processing', state }),
          })
    if (final.state !== 'READY') {
      const reason = final.data.error ?? 'the server gave no reason'
      throw pushError(
        'PUSH_PACKAGE_FAILED',
        `The server could not assemble package ${final.guid} (${final.state}): ${reason}`,
        {
          hint: 'Push again; if it fails the same way, the server log says more.',
          details: { guid: final.guid, state: final.state },
        },
      )
    }
    const generated = await packageJob
    assertSameFiles(manifest, generated)
    const serverSha256 = final.data.checksum?.value ?? null
    if (serverSha256 !== generated.sha256) {
      throw pushError(
        'PUSH_CHECKSUM_MISMATCH',
        `The server's package ${final.guid} has sha256 ${serverSha256 === null ? 'none' : quoteInput(serverSha256)}, but \`packwright generate\` gives ${generated.sha256} for ${generated.sourceDescription}.`,
        {
          hint: 'The server built different bytes from the same files: do not use this package, and report it with both zips.',
          details: { guid: final.guid, expected: generated.sha256, actual: serverSha256 },
        },
      )
    }
    const requestBytes =
      uploaded.requestBytes +
      descriptors
        .filter((descriptor) => descriptor.size_in_bytes > 0)
        .reduce((sum, descriptor) => sum + JSON.stringify(descriptor).length + 1, 0)
    return {
      files: manifest.length,
      totalBytes: sumSizes(manifest),
      packageBytes: generated.size,
      bytesSent: bits?.size ?? 0,
      requestBytes,
      filesMatched: plan.resources.length,
      filesSent: plan.upload.length,
      sha256: generated.sha256,
      guid: final.guid,
      appGuid: app.guid,
      appCreated: created,
      state: final.state,
      durationMs: Date.now() - started,
      annotations,
    }
  } finally {
    packagePass.abort()
    await packageJob?.catch(() => undefined)
    await rm(workFolder, { recursive: true, force: true })
  }
}
