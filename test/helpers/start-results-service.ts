import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { actionDependencyDir } from './action-dependency.js'
import { AZURITE_ACCOUNT } from './start-azurite.js'

/**
 * A stand-in for the Actions Results service's artifact API (twirp over JSON),
 * enough for the real `@actions/artifact` client: it hands out SAS URLs on
 * Azurite for the bytes and keeps the artifact records in memory. Like the
 * real service, a second artifact with the same name in one run is a 409.
 */

// The Azure SDK that @actions/artifact itself uses, loaded through it.
const fromArtifact = createRequire(join(actionDependencyDir('@actions/artifact'), 'package.json'))

interface SasQuery {
  toString(): string
}
interface BlobSdk {
  StorageSharedKeyCredential: new (account: string, key: string) => object
  BlobServiceClient: new (
    url: string,
    credential: object,
  ) => {
    getContainerClient(name: string): {
      createIfNotExists(): Promise<unknown>
      getBlobClient(name: string): {
        getProperties(): Promise<{ contentLength?: number }>
        deleteIfExists(): Promise<unknown>
      }
    }
  }
  BlobSASPermissions: { parse(permissions: string): object }
  generateBlobSASQueryParameters(
    values: {
      containerName: string
      blobName: string
      permissions: object
      expiresOn: Date
      contentDisposition?: string
    },
    credential: object,
  ): SasQuery
}
const sdk = fromArtifact('@azure/storage-blob') as BlobSdk

const SERVICE_PREFIX = '/twirp/github.actions.results.api.v1.ArtifactService/'
const CONTAINER = 'actions-results'

/** One artifact as the stand-in stores it. */
export interface StoredArtifact {
  readonly runId: string
  readonly jobId: string
  readonly id: number
  readonly name: string
  readonly size: number
  /** `sha256:<hex>`, as the client reported it at finalize. */
  readonly digest: string
  readonly mimeType: string | undefined
  readonly expiresAt: string | undefined
  readonly blobName: string
  readonly createdAt: string
}

/** A twirp call as received, for assertions. */
export interface ReceivedCall {
  readonly method: string
  readonly body: Record<string, unknown>
}

export interface ResultsService {
  /** Value for `ACTIONS_RESULTS_URL`. */
  readonly url: string
  readonly calls: readonly ReceivedCall[]
  artifacts(): StoredArtifact[]
  close(): Promise<void>
}

interface Pending {
  blobName: string
  mimeType: string | undefined
  expiresAt: string | undefined
}

class TwirpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

function text(body: Record<string, unknown>, key: string): string {
  const value = body[key]
  if (typeof value !== 'string' || value === '') {
    throw new TwirpError(400, 'invalid_argument', `${key} is required`)
  }
  return value
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')
  if (parsed === null || typeof parsed !== 'object') {
    throw new TwirpError(400, 'malformed', 'body is not an object')
  }
  return parsed as Record<string, unknown>
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(body))
}

/** Starts the stand-in on a free 127.0.0.1 port, storing bytes in Azurite at `blobEndpoint`. */
export async function startResultsService(options: {
  readonly blobEndpoint: string
}): Promise<ResultsService> {
  const credential = new sdk.StorageSharedKeyCredential(AZURITE_ACCOUNT.name, AZURITE_ACCOUNT.key)
  const container = new sdk.BlobServiceClient(options.blobEndpoint, credential).getContainerClient(
    CONTAINER,
  )
  await container.createIfNotExists()

  const pending = new Map<string, Pending>()
  const finalized: StoredArtifact[] = []
  const calls: ReceivedCall[] = []
  let nextId = 1

  const sasUrl = (blobName: string, permissions: string, contentDisposition?: string): string => {
    const query = sdk.generateBlobSASQueryParameters(
      {
        containerName: CONTAINER,
        blobName,
        permissions: sdk.BlobSASPermissions.parse(permissions),
        expiresOn: new Date(Date.now() + 60 * 60 * 1000),
        ...(contentDisposition === undefined ? {} : { contentDisposition }),
      },
      credential,
    )
    return `${options.blobEndpoint}/${CONTAINER}/${blobName}?${query.toString()}`
  }

  const inRun = (body: Record<string, unknown>): StoredArtifact[] => {
    const runId = text(body, 'workflow_run_backend_id')
    return finalized.filter((artifact) => artifact.runId === runId)
  }

  const listed = (artifact: StoredArtifact): Record<string, unknown> => ({
    workflow_run_backend_id: artifact.runId,
    workflow_job_run_backend_id: artifact.jobId,
    database_id: String(artifact.id),
    name: artifact.name,
    size: String(artifact.size),
    created_at: artifact.createdAt,
    digest: artifact.digest,
  })

  const handlers: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    CreateArtifact: (body) => {
      const runId = text(body, 'workflow_run_backend_id')
      const jobId = text(body, 'workflow_job_run_backend_id')
      const name = text(body, 'name')
      if (inRun(body).some((artifact) => artifact.name === name)) {
        throw new TwirpError(
          409,
          'already_exists',
          'an artifact with this name already exists on the workflow run',
        )
      }
      const blobName = `${runId}/${jobId}/${randomUUID()}/${encodeURIComponent(name)}`
      pending.set(`${runId}\n${name}`, {
        blobName,
        mimeType: typeof body.mime_type === 'string' ? body.mime_type : undefined,
        expiresAt: typeof body.expires_at === 'string' ? body.expires_at : undefined,
      })
      return Promise.resolve({ ok: true, signed_upload_url: sasUrl(blobName, 'cw') })
    },
    FinalizeArtifact: async (body) => {
      const runId = text(body, 'workflow_run_backend_id')
      const name = text(body, 'name')
      const upload = pending.get(`${runId}\n${name}`)
      if (upload === undefined) throw new TwirpError(404, 'not_found', 'artifact not created')
      pending.delete(`${runId}\n${name}`)
      const properties = await container.getBlobClient(upload.blobName).getProperties()
      const artifact: StoredArtifact = {
        runId,
        jobId: text(body, 'workflow_job_run_backend_id'),
        id: nextId++,
        name,
        size: properties.contentLength ?? 0,
        digest: typeof body.hash === 'string' ? body.hash : '',
        mimeType: upload.mimeType,
        expiresAt: upload.expiresAt,
        blobName: upload.blobName,
        createdAt: new Date().toISOString(),
      }
      finalized.push(artifact)
      return { ok: true, artifact_id: String(artifact.id) }
    },
    ListArtifacts: (body) => {
      const nameFilter = body.name_filter
      const idFilter = body.id_filter
      const artifacts = inRun(body)
        .filter((artifact) => typeof nameFilter !== 'string' || artifact.name === nameFilter)
        .filter(
          (artifact) =>
            (typeof idFilter !== 'string' && typeof idFilter !== 'number') ||
            String(artifact.id) === String(idFilter),
        )
      return Promise.resolve({ artifacts: artifacts.map(listed) })
    },
    GetSignedArtifactURL: (body) => {
      const name = text(body, 'name')
      const artifact = inRun(body).find((candidate) => candidate.name === name)
      if (artifact === undefined) throw new TwirpError(404, 'not_found', 'artifact not found')
      const disposition = `attachment; filename*=UTF-8''${encodeURIComponent(name)}`
      return Promise.resolve({ signed_url: sasUrl(artifact.blobName, 'r', disposition) })
    },
    DeleteArtifact: async (body) => {
      const name = text(body, 'name')
      const artifact = inRun(body).find((candidate) => candidate.name === name)
      if (artifact === undefined) throw new TwirpError(404, 'not_found', 'artifact not found')
      await container.getBlobClient(artifact.blobName).deleteIfExists()
      finalized.splice(finalized.indexOf(artifact), 1)
      return { ok: true, artifact_id: String(artifact.id) }
    },
  }

  const server = createServer((request, response) => {
    void (async () => {
      try {
        const path = request.url ?? ''
        const handler = path.startsWith(SERVICE_PREFIX)
          ? handlers[path.slice(SERVICE_PREFIX.length)]
          : undefined
        if (request.method !== 'POST' || handler === undefined) {
          throw new TwirpError(404, 'bad_route', `no handler for ${request.method} ${path}`)
        }
        if (!/^Bearer \S+$/.test(request.headers.authorization ?? '')) {
          throw new TwirpError(401, 'unauthenticated', 'missing bearer token')
        }
        const body = await readJson(request)
        calls.push({ method: path.slice(SERVICE_PREFIX.length), body })
        send(response, 200, await handler(body))
      } catch (error) {
        if (error instanceof TwirpError)
          send(response, error.status, { code: error.code, msg: error.message })
        else send(response, 500, { code: 'internal', msg: String(error) })
      }
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    artifacts: () => [...finalized],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
