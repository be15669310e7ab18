import type { FastifyInstance, FastifyRequest } from 'fastify'
import { cfErrors } from '../http/cf-errors.js'
import type { RouteContext } from '../http/route-context.js'
import { presentPackage } from '../presenters/present-package.js'
import { presentPagination } from '../presenters/present-pagination.js'
import {
  authErrorResponses,
  errorEnvelopeSchema,
  guidParamsSchema,
  listOf,
  listQueryProperties,
} from '../schemas/common-schemas.js'
import {
  packageCreateBodySchema,
  packageListQuerySchema,
  packageSchema,
} from '../schemas/package-schemas.js'
import type { PackageFilter, PackageRecord } from '../storage/metadata-store.js'
import { parseListQuery } from '../validation/parse-list-query.js'
import { validatePackageCreate } from '../validation/validate-package-create.js'
import { checkPackageFitsApp } from './check-package-fits-app.js'

const LIST_FILTERS = ['guids', 'states', 'types']

/**
 * The current package routes, answering in the current v3 shape:
 * `POST /v3/packages`, `GET /v3/packages/:guid`, `GET /v3/packages` and
 * `GET /v3/apps/:guid/packages`.
 */
export function registerPackageRoutes(app: FastifyInstance, context: RouteContext): void {
  const { metadata } = context.storage

  app.post(
    '/v3/packages',
    {
      config: { requiredScope: 'write' },
      schema: {
        summary: 'Create a package',
        tags: ['packages'],
        body: packageCreateBodySchema,
        response: {
          201: packageSchema,
          ...authErrorResponses,
          422: { description: 'CF-UnprocessableEntity', ...errorEnvelopeSchema },
        },
      },
    },
    async (request, reply) => {
      const message = validatePackageCreate(request.body)
      const owner = await metadata.getApp(message.appGuid)
      if (owner === undefined) {
        throw cfErrors.unprocessableEntity([
          'App is invalid. Ensure it exists and you have access to it.',
        ])
      }
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
        labels: message.metadata.labels,
        annotations: message.metadata.annotations,
        createdAt: context.timestamp(),
        updatedAt: null,
      }
      await metadata.createPackage(record)
      return reply.code(201).send(presentPackage(record, context.baseUrl(request)))
    },
  )

  app.get(
    '/v3/packages/:guid',
    {
      config: { requiredScope: 'read' },
      schema: {
        summary: 'Get a package',
        tags: ['packages'],
        params: guidParamsSchema,
        response: {
          200: packageSchema,
          ...authErrorResponses,
          404: { description: 'CF-ResourceNotFound', ...errorEnvelopeSchema },
        },
      },
    },
    async (request) => {
      const { guid } = request.params as { guid: string }
      const record = await metadata.getPackage(guid)
      if (record === undefined) throw cfErrors.resourceNotFound('Package not found')
      return presentPackage(record, context.baseUrl(request))
    },
  )

  async function listPackages(
    request: FastifyRequest,
    filterNames: readonly string[],
    path: string,
    appGuid: string | undefined,
  ) {
    const query = parseListQuery(request.query as Record<string, unknown>, filterNames)
    const { filters } = query
    const filter: PackageFilter = {
      guids: filters.guids,
      states: filters.states,
      types: filters.types,
      appGuids: appGuid === undefined ? filters.app_guids : [appGuid],
    }
    const page = await metadata.listPackages(filter, query.page)
    const baseUrl = context.baseUrl(request)
    return {
      pagination: presentPagination(page.totalResults, query, baseUrl, path),
      resources: page.items.map((item) => presentPackage(item, baseUrl)),
    }
  }

  const listResponses = {
    200: listOf(packageSchema),
    ...authErrorResponses,
    400: { description: 'CF-BadQueryParameter', ...errorEnvelopeSchema },
  }

  app.get(
    '/v3/packages',
    {
      config: { requiredScope: 'read' },
      schema: {
        summary: 'List packages',
        tags: ['packages'],
        querystring: {
          ...packageListQuerySchema(true),
          properties: { ...packageListQuerySchema(true).properties, ...listQueryProperties },
        },
        response: listResponses,
      },
    },
    (request) => listPackages(request, [...LIST_FILTERS, 'app_guids'], '/v3/packages', undefined),
  )

  app.get(
    '/v3/apps/:guid/packages',
    {
      config: { requiredScope: 'read' },
      schema: {
        summary: "List an app's packages",
        tags: ['packages'],
        params: guidParamsSchema,
        querystring: {
          ...packageListQuerySchema(false),
          properties: { ...packageListQuerySchema(false).properties, ...listQueryProperties },
        },
        response: {
          ...listResponses,
          404: { description: 'CF-ResourceNotFound', ...errorEnvelopeSchema },
        },
      },
    },
    async (request) => {
      const { guid } = request.params as { guid: string }
      if ((await metadata.getApp(guid)) === undefined) {
        throw cfErrors.resourceNotFound('App not found')
      }
      return listPackages(request, LIST_FILTERS, `/v3/apps/${guid}/packages`, guid)
    },
  )
}
