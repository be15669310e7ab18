import type { FastifyInstance } from 'fastify'
import { isPackwrightError } from '@packwright/core'
import { cfErrors } from '../http/cf-errors.js'
import type { RouteContext } from '../http/route-context.js'
import {
  authErrorResponses,
  errorEnvelopeSchema,
  guidParamsSchema,
} from '../schemas/common-schemas.js'
import type { JobRecord } from '../storage/metadata-store.js'

/**
 * `GET /v3/packages/:guid/download` (streams the package zip) and
 * `DELETE /v3/packages/:guid` (202 with a `package.delete` job; the zip is
 * removed once no other package names it).
 */
export function registerPackageBitsRoutes(app: FastifyInstance, context: RouteContext): void {
  const { metadata, packages } = context.storage

  app.get(
    '/v3/packages/:guid/download',
    {
      // Package bits may hold secrets: readers need write (Cloud Foundry: space developers).
      config: { requiredScope: 'write' },
      schema: {
        summary: 'Download package bits',
        tags: ['packages'],
        params: guidParamsSchema,
        produces: ['application/zip'],
        response: {
          200: { description: 'The package zip', type: 'string', format: 'binary' },
          ...authErrorResponses,
          404: { description: 'CF-ResourceNotFound', ...errorEnvelopeSchema },
          422: { description: 'CF-UnprocessableEntity', ...errorEnvelopeSchema },
          502: { description: 'CF-BlobstoreUnavailable', ...errorEnvelopeSchema },
        },
      },
    },
    async (request, reply) => {
      const { guid } = request.params as { guid: string }
      const record = await metadata.getPackage(guid)
      if (record === undefined) throw cfErrors.resourceNotFound('Package not found')
      if (record.type !== 'bits') throw cfErrors.unprocessableEntity(['Package type must be bits.'])
      if (record.state !== 'READY' || record.sha256 === null) {
        throw cfErrors.unprocessableEntity(['Package has no bits to download.'])
      }
      const size = await packages.size(record.sha256)
      const stream = await packages.get(record.sha256).catch((error: unknown) => {
        if (isPackwrightError(error, 'RESOURCE_NOT_CACHED')) {
          request.log.error({ package: guid }, 'package zip missing from the blob store')
          throw cfErrors.blobstoreUnavailable()
        }
        throw error
      })
      void reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${guid}.zip"`)
      if (size !== undefined) void reply.header('content-length', size)
      // The bytes are sent as stored, not through the JSON serializer.
      void reply.serializer((payload: unknown) => payload as string)
      return reply.send(stream)
    },
  )

  app.delete(
    '/v3/packages/:guid',
    {
      config: { requiredScope: 'write' },
      schema: {
        summary: 'Delete a package',
        tags: ['packages'],
        params: guidParamsSchema,
        response: {
          202: { description: 'Deletion started; poll the job in Location', type: 'null' },
          ...authErrorResponses,
          404: { description: 'CF-ResourceNotFound', ...errorEnvelopeSchema },
        },
      },
    },
    async (request, reply) => {
      const { guid } = request.params as { guid: string }
      if ((await metadata.getPackage(guid)) === undefined) {
        throw cfErrors.resourceNotFound('Package not found')
      }
      const job: JobRecord = {
        guid: context.newGuid(),
        operation: 'package.delete',
        state: 'PROCESSING',
        resourceType: 'package',
        resourceGuid: guid,
        errors: [],
        createdAt: context.timestamp(),
        updatedAt: null,
      }
      await metadata.createJob(job)
      void deletePackage(guid).then(
        () => metadata.updateJob(job.guid, { state: 'COMPLETE', updatedAt: context.timestamp() }),
        (error: unknown) => {
          request.log.error({ err: error }, 'package deletion failed')
          return metadata.updateJob(job.guid, {
            state: 'FAILED',
            errors: [cfErrors.unknownError().toEnvelope().errors[0]!],
            updatedAt: context.timestamp(),
          })
        },
      )
      return reply
        .code(202)
        .header('location', `${context.baseUrl(request)}/v3/jobs/${job.guid}`)
        .send()
    },
  )

  async function deletePackage(guid: string): Promise<void> {
    const removed = await metadata.deletePackage(guid)
    const digest = removed?.sha256
    if (digest === null || digest === undefined) return
    // Counted and deleted under the lock an assembly naming the same zip holds.
    await context.storage.packageZipLock.run(digest, async () => {
      if ((await metadata.countPackagesWithSha256(digest)) === 0) await packages.delete(digest)
    })
  }
}
