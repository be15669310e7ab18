import type { FastifyInstance } from 'fastify'
import { cfErrors } from '../http/cf-errors.js'
import type { RouteContext } from '../http/route-context.js'
import { presentLegacyPackage } from '../presenters/present-legacy-package.js'
import {
  authErrorResponses,
  errorEnvelopeSchema,
  guidParamsSchema,
} from '../schemas/common-schemas.js'
import { legacyPackageCreateBodySchema, legacyPackageSchema } from '../schemas/package-schemas.js'
import type { PackageRecord } from '../storage/metadata-store.js'
import { validateLegacyPackageCreate } from '../validation/validate-legacy-package-create.js'
import { checkPackageFitsApp } from './check-package-fits-app.js'

/**
 * The older `POST /v3/apps/:guid/packages` (Cloud Controller 2015–2017):
 * the app in the URL, the answer in the experimental API's shape.
 */
export function registerLegacyAppPackageRoute(app: FastifyInstance, context: RouteContext): void {
  const { metadata } = context.storage
  app.post(
    '/v3/apps/:guid/packages',
    {
      config: { requiredScope: 'write' },
      schema: {
        summary: 'Create a package for an app (older experimental form)',
        tags: ['packages'],
        params: guidParamsSchema,
        body: legacyPackageCreateBodySchema,
        response: {
          201: legacyPackageSchema,
          ...authErrorResponses,
          404: { description: 'CF-ResourceNotFound', ...errorEnvelopeSchema },
          422: { description: 'CF-UnprocessableEntity', ...errorEnvelopeSchema },
        },
      },
    },
    async (request, reply) => {
      const { guid } = request.params as { guid: string }
      const owner = await metadata.getApp(guid)
      if (owner === undefined) throw cfErrors.resourceNotFound('App not found')
      const message = validateLegacyPackageCreate(request.body)
      checkPackageFitsApp(message.type, owner)
      const record: PackageRecord = {
        guid: context.newGuid(),
        appGuid: owner.guid,
        type: message.type,
        state: message.type === 'bits' ? 'AWAITING_UPLOAD' : 'READY',
        sha1: null,
        sha256: null,
        error: null,
        docker: message.docker,
        labels: {},
        annotations: {},
        createdAt: context.timestamp(),
        updatedAt: null,
      }
      await metadata.createPackage(record)
      return reply.code(201).send(presentLegacyPackage(record))
    },
  )
}
