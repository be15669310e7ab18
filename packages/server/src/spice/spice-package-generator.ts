import { randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import {
  type GitHubTimeouts,
  type Logger,
  PackwrightError,
  createGitHubReader,
  generatePackage,
  isPackwrightError,
} from '@packwright/core'
import type { BlobStore } from '../storage/blob-store.js'
import type { GeneratedPackageIndex } from '../storage/generated-package-index.js'
import { generatedPackageKey } from './generated-package-key.js'
import type { GenerateRequest, GitHubSourceSpec } from './parse-generate-request.js'

export interface SpicePackageGeneratorOptions {
  /** Where generated zips are kept, by sha256. */
  readonly packages: BlobStore
  /** Where they are found again by source; undefined: nothing is cached, every request builds. */
  readonly index: GeneratedPackageIndex | undefined
  /** Folder zips are written in before they are stored; on the blob store's file system. */
  readonly workFolder: string
  readonly github: {
    /** Normalised REST API base URL, without a trailing slash. */
    readonly apiBaseUrl: string
    /** Used when a request names no token. */
    readonly defaultToken?: string | undefined
    readonly fetch?: typeof fetch | undefined
    readonly timeouts?: GitHubTimeouts | undefined
  }
  /** The current time as records keep it. */
  timestamp(): string
}

export interface GeneratedSpicePackage {
  readonly sha256: string
  readonly size: number
  /** Whether the package came from the cache rather than a build this request waited for. */
  readonly fromCache: boolean
  /** The zip's bytes, streamed from storage. */
  readonly body: Readable
}

export interface GenerateOptions {
  /** Aborted when the client goes away: a build nobody waits for any more stops. */
  readonly signal: AbortSignal
  /** Where the build's notes (skipped submodules, counts) go; never a token. */
  readonly logger: Logger
}

export interface SpicePackageGenerator {
  generate(request: GenerateRequest, options: GenerateOptions): Promise<GeneratedSpicePackage>
}

interface StoredPackage {
  readonly sha256: string
  readonly size: number
}

/** One build, shared by every identical request that arrives while it runs. */
interface Flight {
  /** The token it reads GitHub with (memory only): a joiner with another token does not share it. */
  readonly token: string | undefined
  readonly controller: AbortController
  waiters: number
  readonly done: Promise<StoredPackage>
}

/** Tries of a request whose cached blob disappears between lookup and read. */
const MAX_ATTEMPTS = 3

function abortedError(signal: AbortSignal): PackwrightError {
  return new PackwrightError(
    'ABORTED',
    'Generating the package was aborted: the client went away.',
    {
      cause: signal.reason,
    },
  )
}

/** Resolves when `promise` settles, however it settles; rejects when `signal` aborts first. */
function settled(promise: Promise<unknown>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortedError(signal))
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    const finish = () => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }
    promise.then(finish, finish)
  })
}

/**
 * Generates Spice packages from GitHub with core's reader and spicepod
 * planner, the bytes `packwright generate github:…` writes. With an index,
 * each package is built once per source (a commit never changes): a later
 * request streams the stored zip after confirming, with its own token, that
 * it may read the commit; identical requests arriving together share one
 * build, which stops when the last of them goes away.
 */
export function createSpicePackageGenerator(
  options: SpicePackageGeneratorOptions,
): SpicePackageGenerator {
  const { packages, index, workFolder, github } = options
  const flights = new Map<string, Flight>()

  const readerAccess = (token: string | undefined) => ({
    apiBaseUrl: github.apiBaseUrl,
    token,
    fetch: github.fetch,
    timeouts: github.timeouts,
  })

  /** Writes the package to a fresh file in the work folder; the caller removes it. */
  async function buildFile(
    source: GitHubSourceSpec,
    token: string | undefined,
    signal: AbortSignal,
    logger: Logger,
  ): Promise<StoredPackage & { readonly file: string }> {
    await mkdir(workFolder, { recursive: true })
    const file = join(workFolder, `generate-${randomUUID()}.zip`)
    const generated = await generatePackage({
      source,
      outFile: file,
      mode: 'spicepod',
      github: readerAccess(token),
      signal,
      logger,
    })
    return { sha256: generated.sha256, size: generated.size, file }
  }

  /** Builds, stores the zip by sha256 and records it for the key. */
  async function buildAndStore(
    key: string,
    source: GitHubSourceSpec,
    token: string | undefined,
    signal: AbortSignal,
    logger: Logger,
  ): Promise<StoredPackage> {
    const built = await buildFile(source, token, signal, logger)
    try {
      await packages.put(built.sha256, createReadStream(built.file), { signal })
    } finally {
      await rm(built.file, { force: true })
    }
    await index?.recordGeneratedPackage({
      sourceKey: key,
      sha256: built.sha256,
      size: built.size,
      createdAt: options.timestamp(),
    })
    return { sha256: built.sha256, size: built.size }
  }

  function startFlight(
    key: string,
    source: GitHubSourceSpec,
    token: string | undefined,
    logger: Logger,
  ): Flight {
    const controller = new AbortController()
    const done = buildAndStore(key, source, token, controller.signal, logger)
    const flight: Flight = { token, controller, waiters: 0, done }
    flights.set(key, flight)
    const land = () => {
      if (flights.get(key) === flight) flights.delete(key)
    }
    done.then(land, land)
    return flight
  }

  /** Waits for a flight's package; leaving as the last waiter stops the build. */
  function joinFlight(key: string, flight: Flight, signal: AbortSignal): Promise<StoredPackage> {
    flight.waiters += 1
    return new Promise((resolve, reject) => {
      const leave = () => {
        flight.waiters -= 1
        if (flight.waiters === 0) {
          // Later requests start afresh rather than join a build being stopped.
          if (flights.get(key) === flight) flights.delete(key)
          flight.controller.abort(signal.reason)
        }
        reject(abortedError(signal))
      }
      if (signal.aborted) return leave()
      signal.addEventListener('abort', leave, { once: true })
      flight.done.then(
        (stored) => {
          signal.removeEventListener('abort', leave)
          resolve(stored)
        },
        (error: unknown) => {
          signal.removeEventListener('abort', leave)
          reject(error instanceof Error ? error : new Error(String(error)))
        },
      )
    })
  }

  /** Confirms with GitHub that `token` (or none) may read the commit, without downloading its files. */
  async function checkAccess(
    source: GitHubSourceSpec,
    token: string | undefined,
    signal: AbortSignal,
    logger: Logger,
  ): Promise<void> {
    const reader = await createGitHubReader({
      owner: source.owner,
      repo: source.repo,
      ref: source.ref,
      ...readerAccess(token),
      signal,
      logger,
    })
    await reader.close()
  }

  /** The stored zip, or undefined when the blob store no longer holds it. */
  async function open(
    stored: StoredPackage,
    fromCache: boolean,
  ): Promise<GeneratedSpicePackage | undefined> {
    try {
      const body = await packages.get(stored.sha256)
      return { sha256: stored.sha256, size: stored.size, fromCache, body }
    } catch (error) {
      if (isPackwrightError(error, 'RESOURCE_NOT_CACHED')) return undefined
      throw error
    }
  }

  /** Without an index: build for this request alone and stream the file, removed once read. */
  async function generateUncached(
    request: GenerateRequest,
    token: string | undefined,
    { signal, logger }: GenerateOptions,
  ): Promise<GeneratedSpicePackage> {
    const built = await buildFile(request.source, token, signal, logger)
    const body = createReadStream(built.file)
    body.once('close', () => void rm(built.file, { force: true }))
    return { sha256: built.sha256, size: built.size, fromCache: false, body }
  }

  return {
    async generate(request, generateOptions) {
      const { signal, logger } = generateOptions
      const token = request.githubToken ?? github.defaultToken
      if (index === undefined) return generateUncached(request, token, generateOptions)
      const key = generatedPackageKey(github.apiBaseUrl, request.source)
      for (let attempt = 1; ; attempt += 1) {
        if (signal.aborted) throw abortedError(signal)
        const flight = flights.get(key)
        if (flight !== undefined) {
          if (flight.token !== token) {
            // Another caller's build proves nothing about this caller's access:
            // wait for it, then take the cache path (or build) with this token.
            await settled(flight.done, signal)
            continue
          }
          const opened = await open(await joinFlight(key, flight, signal), false)
          if (opened !== undefined) return opened
          if (attempt >= MAX_ATTEMPTS) break
          continue
        }
        const record = await index.findGeneratedPackage(key)
        if (record !== undefined && (await packages.exists(record.sha256))) {
          await checkAccess(request.source, token, signal, logger)
          const opened = await open(record, true)
          if (opened !== undefined) return opened
        }
        // Someone may have started the same build while this request looked.
        if (flights.has(key)) continue
        const started = startFlight(key, request.source, token, logger)
        const opened = await open(await joinFlight(key, started, signal), false)
        if (opened !== undefined) return opened
        if (attempt >= MAX_ATTEMPTS) break
      }
      throw new PackwrightError(
        'RESOURCE_NOT_CACHED',
        'The generated package was removed from storage while it was being served; retry the request.',
      )
    },
  }
}
