import { type Hash, createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import {
  type InspectedEntry,
  type ZipArchive,
  type ZipEntryInfo,
  type ZipLimits,
  createRebuildSource,
  isPackwrightError,
  openZip,
  resolveZipLimits,
  validateZip,
  writeDeterministicZip,
} from '@packwright/core'
import { sourceDateEpochOf } from '../annotations/packwright-annotations.js'
import type { PackageRecord } from '../storage/metadata-store.js'
import type { ServerStorage } from '../storage/server-storage.js'
import type { UploadResource } from '../upload/parse-upload-resources.js'
import { AssemblyFailure, RESOURCE_CHECKSUM_MISMATCH_MESSAGE } from './assembly-failure.js'
import { blobStoreResourcePool } from './blob-store-resource-pool.js'
import { checkUploadResources } from './check-upload-resources.js'
import { INTERRUPTED_ASSEMBLY_MESSAGE } from './fail-interrupted-assemblies.js'
import { forEachConcurrently } from './for-each-concurrently.js'
import { zipFailureMessage } from './zip-failure-message.js'

export interface AssemblyOptions {
  readonly storage: ServerStorage
  /** Folder for the package zip being written (on the data folder's file system). */
  readonly workFolder: string
  /** Limits every uploaded zip and the final package must stay within. */
  readonly zipLimits?: Partial<ZipLimits>
  /** Worker threads deflating the package (0: none). */
  readonly threads: number
  /** Sizes of uploaded files that enter the resource pool, both inclusive. */
  readonly poolSizes: { readonly minimum: number; readonly maximum: number }
  timestamp(): string
  /** Where unexpected failures are logged (their text never reaches a client). */
  logError(error: unknown): void
}

export interface AssemblyInput {
  readonly packageGuid: string
  /** The uploaded zip; removed once assembly ends. */
  readonly bitsFile: string | undefined
  readonly resources: readonly UploadResource[]
}

/** Pool blobs one assembly writes at a time. */
const POOL_PUTS_AT_ONCE = 8

function findChecksumMismatch(error: unknown): string | undefined {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (isPackwrightError(cause, 'CHECKSUM_MISMATCH')) {
      const expected = cause.details.expected
      if (typeof expected === 'string') return expected
    }
  }
  return undefined
}

/** The bytes of a file, fed to `hash` as they are read (one pass for storing and hashing). */
async function* hashedWhileRead(path: string, hash: Hash): AsyncIterable<Uint8Array> {
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer)
    yield chunk as Buffer
  }
}

/** Mode bits that let a file enter the pool: numerically at least 0600, as Cloud Controller. */
function poolableMode(entry: InspectedEntry): boolean {
  return Number.parseInt(entry.mode, 8) >= 0o600
}

/**
 * Moves a package in PROCESSING_UPLOAD to READY or FAILED: validates the
 * uploaded zip, adds its new files to the resource pool, rebuilds the full
 * file set from the zip and the pooled resources (each blob verified by sha1
 * as read), writes core's deterministic zip of it and stores that by sha256.
 * Every failure becomes FAILED with a `data.error`; a package that is no
 * longer in PROCESSING_UPLOAD (e.g. deleted) is left as it is.
 */
export async function assemblePackage(
  input: AssemblyInput,
  options: AssemblyOptions,
): Promise<PackageRecord | undefined> {
  const { metadata } = options.storage
  try {
    return await buildPackage(input, options, (sha256, zipFile) =>
      // Stored and named under the lock: a deletion in between cannot take the zip.
      options.storage.packageZipLock.run(sha256, async () => {
        const sha1 = createHash('sha1')
        await options.storage.packages.put(sha256, hashedWhileRead(zipFile, sha1))
        const ready = await metadata.transitionPackage(input.packageGuid, 'PROCESSING_UPLOAD', {
          state: 'READY',
          sha1: sha1.digest('hex'),
          sha256,
          error: null,
          updatedAt: options.timestamp(),
        })
        // Deleted while assembling: keep no zip that no package names.
        if (ready === undefined && (await metadata.countPackagesWithSha256(sha256)) === 0) {
          await options.storage.packages.delete(sha256)
        }
        return ready
      }),
    )
  } catch (error) {
    const message = await failureMessage(error, options)
    return await metadata.transitionPackage(input.packageGuid, 'PROCESSING_UPLOAD', {
      state: 'FAILED',
      error: message,
      updatedAt: options.timestamp(),
    })
  } finally {
    if (input.bitsFile !== undefined) await unlink(input.bitsFile).catch(() => undefined)
  }
}

/**
 * Ends an assembly that never started because the server stopped first: the
 * package becomes FAILED as if a restart had found it, and its upload is removed.
 */
export async function abandonAssembly(
  input: AssemblyInput,
  options: AssemblyOptions,
): Promise<PackageRecord | undefined> {
  try {
    return await options.storage.metadata.transitionPackage(
      input.packageGuid,
      'PROCESSING_UPLOAD',
      {
        state: 'FAILED',
        error: INTERRUPTED_ASSEMBLY_MESSAGE,
        updatedAt: options.timestamp(),
      },
    )
  } finally {
    if (input.bitsFile !== undefined) await unlink(input.bitsFile).catch(() => undefined)
  }
}

async function failureMessage(error: unknown, options: AssemblyOptions): Promise<string> {
  if (error instanceof AssemblyFailure) return error.message
  const mismatch = findChecksumMismatch(error)
  if (mismatch !== undefined) {
    await options.storage.pool.delete(mismatch).catch(() => false)
    await options.storage.metadata.removePoolEntry(mismatch).catch(() => false)
    return RESOURCE_CHECKSUM_MISMATCH_MESSAGE
  }
  if (isPackwrightError(error, 'RESOURCE_NOT_CACHED')) {
    // The index named a blob the pool lacks (lost to a power loss, removed by
    // hand): forget it, so the next match asks for the file again.
    const sha1 = error.details.sha1
    if (typeof sha1 === 'string')
      await options.storage.metadata.removePoolEntry(sha1).catch(() => false)
  }
  if (isPackwrightError(error) && error.code.startsWith('RESOURCE_')) {
    return `The app package is invalid: ${error.message}`
  }
  if (isPackwrightError(error) && error.code.startsWith('ZIP_')) {
    return `The app upload is invalid: Invalid zip archive (${error.message.replace(/\.$/, '')}).`
  }
  options.logError(error)
  return 'An unknown error occurred.'
}

/** Validates, pools and writes the package zip, then hands it to `store` before removing it. */
async function buildPackage<T>(
  input: AssemblyInput,
  options: AssemblyOptions,
  store: (sha256: string, zipFile: string) => Promise<T>,
): Promise<T> {
  const limits = resolveZipLimits(options.zipLimits)
  const resources = checkUploadResources(input.resources)
  let archive: ZipArchive | undefined
  let inspected: readonly InspectedEntry[] = []
  if (input.bitsFile !== undefined) {
    const report = await validateZip(input.bitsFile, { limits })
    const [problem] = report.problems
    if (problem !== undefined) throw new AssemblyFailure(zipFailureMessage(problem, limits))
    inspected = report.entries
    archive = await openZip(input.bitsFile, { limits })
  }
  await mkdir(options.workFolder, { recursive: true })
  const outFile = join(
    options.workFolder,
    `package-${input.packageGuid}-${randomBytes(4).toString('hex')}.zip`,
  )
  try {
    if (archive !== undefined) await addToPool(archive, inspected, options)
    const pool = blobStoreResourcePool(options.storage.pool)
    const rebuild = await createRebuildSource({ archive, resources, pool })
    const total = rebuild.entries.reduce((sum, entry) => sum + entry.size, 0)
    if (total > limits.maxTotalUncompressedBytes) {
      throw new AssemblyFailure(
        `The app package is invalid: Package may not be larger than ${limits.maxTotalUncompressedBytes} bytes`,
      )
    }
    // The package's own entry time, when its annotations name one.
    const record = await options.storage.metadata.getPackage(input.packageGuid)
    const sourceDateEpoch = record === undefined ? undefined : sourceDateEpochOf(record.annotations)
    const written = await writeDeterministicZip({
      entries: rebuild.entries,
      reader: rebuild.reader,
      outFile,
      maxThreads: options.threads,
      ...(sourceDateEpoch === undefined ? {} : { sourceDateEpoch }),
    })
    return await store(written.sha256, outFile)
  } finally {
    await archive?.close()
    await unlink(outFile).catch(() => undefined)
  }
}

/** New regular files of the upload, within the poolable sizes and modes, enter the pool. */
async function addToPool(
  archive: ZipArchive,
  inspected: readonly InspectedEntry[],
  options: AssemblyOptions,
): Promise<void> {
  const { pool, metadata } = options.storage
  const { minimum, maximum } = options.poolSizes
  const byName = new Map(archive.entries.map((entry) => [entry.name, entry]))
  const seen = new Set<string>()
  const poolable: { sha1: string; size: number; info: ZipEntryInfo }[] = []
  for (const entry of inspected) {
    const sha1 = entry.sha1
    if (entry.kind !== 'file' || sha1 === undefined || seen.has(sha1)) continue
    if (entry.size < minimum || entry.size > maximum || !poolableMode(entry)) continue
    seen.add(sha1)
    const info = byName.get(entry.path)
    if (info !== undefined) poolable.push({ sha1, size: entry.size, info })
  }
  // Each put waits on its own fsync: several at once keep the disk busy.
  await forEachConcurrently(poolable, POOL_PUTS_AT_ONCE, async ({ sha1, size, info }) => {
    if (!(await pool.exists(sha1))) await pool.put(sha1, archive.openEntry(info))
    await metadata.addPoolEntry({ sha1, size })
  })
}
