import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { PackwrightError, type ResourceDescriptor, quoteInput } from '@packwright/core'
import type { Dispatcher } from 'undici'
import {
  type CfApp,
  type CfJob,
  type CfList,
  type CfPackage,
  FINAL_PACKAGE_STATES,
} from './cf-resources.js'
import {
  type HttpResponse,
  type HttpTimeouts,
  type HttpTransport,
  type RetryEvent,
  createHttpTransport,
} from './http-transport.js'
import { createUploadBody } from './multipart-upload-body.js'
import { pushError } from './push-errors.js'
import { type RetryOptions, resolveRetryPolicy } from './retry-policy.js'

/** Most descriptors in one `POST /v3/resource_matches` (Cloud Foundry's limit). */
export const RESOURCE_MATCH_BATCH_SIZE = 5000

export interface PackwrightClientOptions {
  /** The server's base URL, `http(s)://host:port`, optionally with a path prefix. */
  readonly serverUrl: string
  /** Bearer token; never logged, never put in an error. */
  readonly token?: string | undefined
  readonly retry?: RetryOptions
  readonly timeouts?: HttpTimeouts
  /** An undici dispatcher to send through (proxies, tests). @default a private Agent */
  readonly dispatcher?: Dispatcher
  /** Called before each retry. */
  readonly onRetry?: (event: RetryEvent) => void
}

export interface Metadata {
  readonly labels?: Readonly<Record<string, string>>
  readonly annotations?: Readonly<Record<string, string>>
}

export interface UploadOptions {
  /** Resources the server already holds (the answer of `matchResources`). */
  readonly resources: readonly ResourceDescriptor[]
  /** The zip of every file that did not match; omit when all matched. */
  readonly bits?: { readonly path: string; readonly size: number }
  /** Bytes of `bits` sent so far; starts again from 0 when a retry starts. */
  readonly onBitsProgress?: (sent: number, total: number) => void
  readonly signal?: AbortSignal
}

export interface UploadResult {
  /** The package as the upload answered it (READY/FAILED, or PROCESSING_UPLOAD). */
  readonly package: CfPackage
  /** The job to poll when the server answered 202 with a `Location`. */
  readonly jobUrl: string | undefined
  /** Bytes of the request body: the `resources` field, the `bits` zip and the framing. */
  readonly requestBytes: number
}

export interface WaitOptions {
  /** The job URL a 202 upload answered with. */
  readonly jobUrl?: string | undefined
  /** First interval between polls; it grows to `maxIntervalMs`. @default 50 */
  readonly intervalMs?: number
  /** @default 1000 */
  readonly maxIntervalMs?: number
  /** Give up after this long. @default 1800000 (30 minutes) */
  readonly timeoutMs?: number
  readonly signal?: AbortSignal
  /** Called after each poll with the state seen. */
  readonly onPoll?: (state: string) => void
}

export interface DownloadedPackage {
  readonly path: string
  readonly size: number
  readonly sha256: string
}

/** A typed client of the packwright server's Cloud Foundry v3 routes. */
export interface PackwrightClient {
  /** The server's base URL, without credentials. */
  readonly serverUrl: string
  findAppByName(name: string, signal?: AbortSignal): Promise<CfApp | undefined>
  createApp(name: string, metadata?: Metadata, signal?: AbortSignal): Promise<CfApp>
  /** The app of that name, created when there is none (also when another push creates it first). */
  ensureApp(name: string, signal?: AbortSignal): Promise<{ app: CfApp; created: boolean }>
  getApp(guid: string, signal?: AbortSignal): Promise<CfApp>
  createPackage(appGuid: string, metadata?: Metadata, signal?: AbortSignal): Promise<CfPackage>
  getPackage(guid: string, signal?: AbortSignal): Promise<CfPackage>
  getJob(jobUrl: string, signal?: AbortSignal): Promise<CfJob>
  /**
   * Which of `resources` the server's pool holds, asked in batches of at most
   * 5000; empty files are never asked about.
   */
  matchResources(
    resources: readonly ResourceDescriptor[],
    options?: {
      readonly signal?: AbortSignal
      readonly onProgress?: (done: number, total: number) => void
    },
  ): Promise<ResourceDescriptor[]>
  /** One streamed multipart request with `resources` and `bits`; retried as a clean request. */
  uploadPackage(guid: string, options: UploadOptions): Promise<UploadResult>
  /** Polls until the package is READY, FAILED or EXPIRED (following a job first when given). */
  waitForPackage(guid: string, options?: WaitOptions): Promise<CfPackage>
  /** Streams the package's zip to `outFile` (written whole, then renamed into place). */
  downloadPackage(guid: string, outFile: string, signal?: AbortSignal): Promise<DownloadedPackage>
  close(): Promise<void>
}

function parseServerUrl(text: string): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw pushError('PUSH_SERVER_URL_INVALID', `--server ${quoteInput(text)} is not a URL.`, {
      hint: 'Give the server as http://host:port or https://host.',
    })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw pushError(
      'PUSH_SERVER_URL_INVALID',
      `--server must be an http or https URL, got the scheme ${quoteInput(url.protocol)}.`,
      { hint: 'Give the server as http://host:port or https://host.' },
    )
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw pushError(
      'PUSH_SERVER_URL_INVALID',
      '--server must not carry credentials, a query or a fragment.',
      { hint: 'Pass the token with --token or PACKWRIGHT_TOKEN instead.' },
    )
  }
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`
  return url
}

async function readJson<T>(response: HttpResponse, action: string): Promise<T> {
  const text = await response.body.text()
  try {
    return JSON.parse(text) as T
  } catch (error) {
    throw pushError(
      'PUSH_RESPONSE_INVALID',
      `Could not ${action}: the server's answer (${response.status}) is not JSON.`,
      { cause: error },
    )
  }
}

function requireShape(ok: boolean, action: string, what: string): void {
  if (!ok) {
    throw pushError(
      'PUSH_RESPONSE_INVALID',
      `Could not ${action}: the server's answer has no ${what}.`,
      { hint: 'Is --server a packwright (Cloud Foundry v3) server?' },
    )
  }
}

function checkPackage(value: CfPackage, action: string): CfPackage {
  requireShape(
    typeof value === 'object' &&
      value !== null &&
      typeof value.guid === 'string' &&
      typeof value.state === 'string',
    action,
    'package guid and state',
  )
  return value
}

function checkApp(value: CfApp, action: string): CfApp {
  requireShape(
    typeof value === 'object' && value !== null && typeof value.guid === 'string',
    action,
    'app guid',
  )
  return value
}

/** `/v3/…` relative to the base URL, keeping any path prefix the base has. */
function route(path: string): string {
  return path.replace(/^\//, '')
}

/**
 * Creates a client of one server. Every call retries network errors, 429
 * and 5xx with exponential backoff and jitter (honouring `Retry-After`),
 * never other 4xx, and fails with one coded `PackwrightError` (`PUSH_…`).
 *
 * @throws PackwrightError `PUSH_SERVER_URL_INVALID` for a bad `serverUrl`.
 */
export function createPackwrightClient(options: PackwrightClientOptions): PackwrightClient {
  const baseUrl = parseServerUrl(options.serverUrl)
  const transport: HttpTransport = createHttpTransport({
    baseUrl,
    token: options.token,
    retry: resolveRetryPolicy(options.retry),
    userAgent: 'packwright-client',
    ...(options.timeouts === undefined ? {} : { timeouts: options.timeouts }),
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }),
  })

  /** A job URL on our own server: a Location naming another origin never gets the token. */
  function jobPath(jobUrl: string): string {
    const url = new URL(jobUrl, baseUrl)
    const match = /\/v3\/jobs\/[^/?#]+$/.exec(url.pathname)
    if (match === null) {
      throw pushError(
        'PUSH_RESPONSE_INVALID',
        `The server named ${quoteInput(jobUrl)} as the upload's job, which is not a /v3/jobs/… URL.`,
      )
    }
    return route(match[0])
  }

  async function getJson<T>(path: string, action: string, signal?: AbortSignal): Promise<T> {
    const response = await transport.send({ method: 'GET', path: route(path), action }, signal)
    return readJson<T>(response, action)
  }

  async function findAppByName(name: string, signal?: AbortSignal) {
    const action = `look up app ${quoteInput(name)}`
    const list = await getJson<CfList<CfApp>>(
      `/v3/apps?names=${encodeURIComponent(name)}`,
      action,
      signal,
    )
    requireShape(Array.isArray(list.resources), action, 'resources list')
    return list.resources.find((app) => app.name === name)
  }

  async function createApp(name: string, metadata: Metadata = {}, signal?: AbortSignal) {
    const action = `create app ${quoteInput(name)}`
    const response = await transport.send(
      { method: 'POST', path: route('/v3/apps'), json: { name, metadata }, action },
      signal,
    )
    return checkApp(await readJson<CfApp>(response, action), action)
  }

  const client: PackwrightClient = {
    serverUrl: baseUrl.href.replace(/\/$/, ''),
    findAppByName,
    createApp,
    async ensureApp(name, signal) {
      const found = await findAppByName(name, signal)
      if (found !== undefined) return { app: found, created: false }
      try {
        return { app: await createApp(name, {}, signal), created: true }
      } catch (error) {
        // Another push created it between our look-up and our create.
        if (error instanceof PackwrightError && error.code === 'PUSH_REQUEST_REJECTED') {
          const again = await findAppByName(name, signal)
          if (again !== undefined) return { app: again, created: false }
        }
        throw error
      }
    },
    async getApp(guid, signal) {
      const action = `get app ${guid}`
      return checkApp(
        await getJson<CfApp>(`/v3/apps/${encodeURIComponent(guid)}`, action, signal),
        action,
      )
    },
    async createPackage(appGuid, metadata = {}, signal) {
      const action = 'create the package'
      const response = await transport.send(
        {
          method: 'POST',
          path: route('/v3/packages'),
          json: { type: 'bits', relationships: { app: { data: { guid: appGuid } } }, metadata },
          action,
        },
        signal,
      )
      return checkPackage(await readJson<CfPackage>(response, action), action)
    },
    async getPackage(guid, signal) {
      const action = `get package ${guid}`
      return checkPackage(
        await getJson<CfPackage>(`/v3/packages/${encodeURIComponent(guid)}`, action, signal),
        action,
      )
    },
    async getJob(jobUrl, signal) {
      const action = 'follow the upload job'
      const job = await getJson<CfJob>(jobPath(jobUrl), action, signal)
      requireShape(typeof job.state === 'string', action, 'job state')
      return job
    },
    async matchResources(resources, matchOptions = {}) {
      const asked = resources.filter((resource) => resource.size_in_bytes > 0)
      const matched: ResourceDescriptor[] = []
      for (let start = 0; start < asked.length; start += RESOURCE_MATCH_BATCH_SIZE) {
        const batch = asked.slice(start, start + RESOURCE_MATCH_BATCH_SIZE)
        const action = 'match resources'
        const response = await transport.send(
          {
            method: 'POST',
            path: route('/v3/resource_matches'),
            json: { resources: batch },
            action,
          },
          matchOptions.signal,
        )
        const answer = await readJson<{ resources?: ResourceDescriptor[] }>(response, action)
        requireShape(Array.isArray(answer.resources), action, 'resources list')
        matched.push(...(answer.resources ?? []))
        matchOptions.onProgress?.(Math.min(start + batch.length, asked.length), asked.length)
      }
      if (asked.length === 0) matchOptions.onProgress?.(0, 0)
      return matched
    },
    async uploadPackage(guid, upload) {
      const action = 'upload the package'
      const total = upload.bits?.size ?? 0
      let requestBytes = 0
      const response = await transport.send(
        {
          method: 'POST',
          path: route(`/v3/packages/${encodeURIComponent(guid)}/upload`),
          action,
          body: () => {
            const body = createUploadBody({
              resources: upload.resources,
              ...(upload.bits === undefined ? {} : { bits: upload.bits }),
              onBitsProgress: (sent) => upload.onBitsProgress?.(sent, total),
            })
            requestBytes = body.length
            upload.onBitsProgress?.(0, total)
            return body
          },
        },
        upload.signal,
      )
      const answered = checkPackage(await readJson<CfPackage>(response, action), action)
      const location = response.headers.location
      const jobUrl =
        response.status === 202 ? (Array.isArray(location) ? location[0] : location) : undefined
      return { package: answered, jobUrl, requestBytes }
    },
    async waitForPackage(guid, wait = {}) {
      const started = Date.now()
      const timeoutMs = wait.timeoutMs ?? 1_800_000
      const maxIntervalMs = wait.maxIntervalMs ?? 1000
      let intervalMs = wait.intervalMs ?? 50
      let jobUrl = wait.jobUrl
      for (;;) {
        if (jobUrl !== undefined) {
          const job = await client.getJob(jobUrl, wait.signal)
          wait.onPoll?.(job.state)
          if (job.state === 'COMPLETE' || job.state === 'FAILED') jobUrl = undefined
        }
        if (jobUrl === undefined) {
          const current = await client.getPackage(guid, wait.signal)
          wait.onPoll?.(current.state)
          if (FINAL_PACKAGE_STATES.has(current.state)) return current
        }
        if (Date.now() - started > timeoutMs) {
          throw pushError(
            'PUSH_TIMEOUT',
            `Package ${guid} was still being processed after ${Math.round(timeoutMs / 1000)} s.`,
            { hint: 'The server may be overloaded; its log says more.' },
          )
        }
        try {
          await sleep(
            intervalMs,
            undefined,
            wait.signal === undefined ? {} : { signal: wait.signal },
          )
        } catch {
          throw new PackwrightError('ABORTED', `Stopped while waiting for package ${guid}.`)
        }
        intervalMs = Math.min(maxIntervalMs, Math.ceil(intervalMs * 1.5))
      }
    },
    async downloadPackage(guid, outFile, signal) {
      const action = `download package ${guid}`
      const response = await transport.send(
        {
          method: 'GET',
          path: route(`/v3/packages/${encodeURIComponent(guid)}/download`),
          action,
        },
        signal,
      )
      const hash = createHash('sha256')
      let size = 0
      const partial = `${outFile}.${process.pid}.partial`
      try {
        await pipeline(
          response.body,
          new Transform({
            transform(chunk: Buffer, _encoding, callback) {
              hash.update(chunk)
              size += chunk.length
              callback(null, chunk)
            },
          }),
          createWriteStream(partial),
          ...(signal === undefined ? [] : [{ signal }]),
        )
        await rename(partial, outFile)
      } catch (error) {
        await rm(partial, { force: true })
        if (error instanceof PackwrightError) throw error
        throw pushError(
          'PUSH_DOWNLOAD_FAILED',
          `Could not ${action} to ${quoteInput(outFile)}: ${error instanceof Error ? error.message : String(error)}.`,
          { cause: error },
        )
      }
      return { path: outFile, size, sha256: hash.digest('hex') }
    },
    close: () => transport.close(),
  }
  return client
}
