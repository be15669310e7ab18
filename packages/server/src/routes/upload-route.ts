import { unlink } from 'node:fs/promises'
import type { FastifyInstance } from 'fastify'
import { abandonAssembly, assemblePackage } from '../assembly/assemble-package.js'
import { jobErrorFor } from '../assembly/job-error-for.js'
import { cfErrors } from '../http/cf-errors.js'
import type { RouteContext } from '../http/route-context.js'
import { presentPackage } from '../presenters/present-package.js'
import {
  authErrorResponses,
  errorEnvelopeSchema,
  guidParamsSchema,
} from '../schemas/common-schemas.js'
import { packageSchema } from '../schemas/package-schemas.js'
import type { PackageRecord } from '../storage/metadata-store.js'
import { type UploadResource, parseUploadResources } from '../upload/parse-upload-resources.js'
import { type UploadParts, readUploadParts } from '../upload/read-upload-parts.js'

const NO_PARTS: UploadParts = {
  bitsFile: undefined,
  bitsWithoutFile: false,
  resources: undefined,
  unknownFields: [],
}

/** The message checks of Cloud Controller's upload, in its order. */
function validateUploadMessage(parts: UploadParts, resources: UploadResource[] | undefined): void {
  const messages: string[] = []
  if (parts.unknownFields.length > 0) {
    const names = [...new Set(parts.unknownFields)].map((name) => `'${name.slice(0, 100)}'`)
    messages.push(`Unknown field(s): ${names.join(', ')}`)
  }
  if (parts.bitsFile === undefined && (resources === undefined || resources.length === 0)) {
    messages.push('Upload must include either resources or bits')
  }
  if (parts.bitsWithoutFile) messages.push('File field missing path information')
  if (messages.length > 0) throw cfErrors.unprocessableEntity(messages)
}

/** Resolves with the assembly's result, or with `undefined` once `ms` have passed. */
function withinBudget<T>(work: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms)
  })
  return Promise.race([work.then((value) => ({ value })), timeout]).finally(() => {
    clearTimeout(timer)
  })
}

/**
 * `POST /v3/packages/:guid/upload`: multipart `bits` (a zip, streamed to a
 * temporary file) and/or `resources` (v2 or v3 entries). Only a package in
 * AWAITING_UPLOAD takes an upload, and only once the whole request has
 * arrived: an aborted or truncated upload leaves it AWAITING_UPLOAD. Answers
 * 200 with the package when assembly ends within the budget, else 202 with
 * `Location: /v3/jobs/:guid` while assembly finishes in the background.
 */
export function registerUploadRoute(app: FastifyInstance, context: RouteContext): void {
  const { metadata } = context.storage
  const { uploads } = context

  app.post(
    '/v3/packages/:guid/upload',
    {
      config: { requiredScope: 'write' },
      schema: {
        summary: 'Upload package bits',
        description:
          'multipart/form-data with a `bits` file part (a zip) and/or a `resources` field (a JSON array of v3 `{path, size_in_bytes, checksum:{value}, mode}` or v2 `{fn, size, sha1, mode}` entries).',
        tags: ['packages'],
        consumes: ['multipart/form-data'],
        params: guidParamsSchema,
        response: {
          200: packageSchema,
          202: { description: 'Assembly continues; poll the job in Location', ...packageSchema },
          ...authErrorResponses,
          400: { description: 'CF-PackageBitsAlreadyUploaded', ...errorEnvelopeSchema },
          404: { description: 'CF-ResourceNotFound', ...errorEnvelopeSchema },
          413: { description: 'CF-RequestEntityTooLarge', ...errorEnvelopeSchema },
          422: { description: 'CF-UnprocessableEntity', ...errorEnvelopeSchema },
        },
      },
    },
    async (request, reply) => {
      const { guid } = request.params as { guid: string }
      const declared = Number(request.headers['content-length'])
      if (Number.isFinite(declared) && declared > uploads.maxBitsBytes) {
        throw cfErrors.requestEntityTooLarge(uploads.maxBitsBytes)
      }
      const parts = request.isMultipart()
        ? await readUploadParts(request, {
            uploadFolder: uploads.folder,
            maxBitsBytes: uploads.maxBitsBytes,
            maxResourcesBytes: uploads.maxResourcesBytes,
          })
        : NO_PARTS
      let started: Promise<PackageRecord | undefined> | undefined
      try {
        const resources =
          parts.resources === undefined ? undefined : parseUploadResources(parts.resources)
        validateUploadMessage(parts, resources)
        const record = await metadata.getPackage(guid)
        if (record === undefined) throw cfErrors.resourceNotFound('Package not found')
        if (record.type !== 'bits')
          throw cfErrors.unprocessableEntity(['Package type must be bits.'])
        if (record.state !== 'AWAITING_UPLOAD') throw cfErrors.packageBitsAlreadyUploaded()
        const processing = await metadata.transitionPackage(guid, 'AWAITING_UPLOAD', {
          state: 'PROCESSING_UPLOAD',
          updatedAt: context.timestamp(),
        })
        if (processing === undefined) throw cfErrors.packageBitsAlreadyUploaded()
        const input = { packageGuid: guid, bitsFile: parts.bitsFile, resources: resources ?? [] }
        started = uploads.queue.run(
          () => assemblePackage(input, uploads.assembly),
          () => abandonAssembly(input, uploads.assembly),
        )
        const baseUrl = context.baseUrl(request)
        const finished = await withinBudget(started, uploads.assemblyBudgetMs)
        if (finished !== undefined) {
          return presentPackage(
            finished.value ?? (await metadata.getPackage(guid)) ?? processing,
            baseUrl,
          )
        }
        const jobGuid = context.newGuid()
        await metadata.createJob({
          guid: jobGuid,
          operation: 'package.upload',
          state: 'PROCESSING',
          resourceType: 'package',
          resourceGuid: guid,
          errors: [],
          createdAt: context.timestamp(),
          updatedAt: null,
        })
        void started
          .then(async (result) => {
            const failed = result?.state === 'FAILED'
            await metadata.updateJob(jobGuid, {
              state: failed ? 'FAILED' : 'COMPLETE',
              errors: failed ? [jobErrorFor(result.error ?? 'An unknown error occurred.')] : [],
              updatedAt: context.timestamp(),
            })
          })
          .catch((error: unknown) => request.log.error({ err: error }, 'upload job not updated'))
        return reply
          .code(202)
          .header('location', `${baseUrl}/v3/jobs/${jobGuid}`)
          .send(presentPackage(processing, baseUrl))
      } finally {
        // Assembly owns the uploaded file once started; before that it is dropped here.
        if (started === undefined && parts.bitsFile !== undefined) {
          await unlink(parts.bitsFile).catch(() => undefined)
        }
      }
    },
  )
}
