import type { FastifyInstance } from 'fastify'
import { isPackwrightError } from '@packwright/core'
import { cfErrors } from '../http/cf-errors.js'
import type { RouteContext } from '../http/route-context.js'
import { presentApp } from '../presenters/present-app.js'
import { presentPagination } from '../presenters/present-pagination.js'
import { appCreateBodySchema, appSchema } from '../schemas/app-schemas.js'
import {
  authErrorResponses,
  errorEnvelopeSchema,
  guidParamsSchema,
  listOf,
  listQueryProperties,
} from '../schemas/common-schemas.js'
import { parseListQuery } from '../validation/parse-list-query.js'
import { validateAppCreate } from '../validation/validate-app-create.js'

/** `POST /v3/apps`, `GET /v3/apps/:guid` and `GET /v3/apps`: just enough apps to hold packages. */
export function registerAppRoutes(app: FastifyInstance, context: RouteContext): void {
  const { metadata } = context.storage

  app.post(
    '/v3/apps',
    {
      config: { requiredScope: 'write' },
      schema: {
        summary: 'Create an app',
        tags: ['apps'],
        body: appCreateBodySchema,
        response: {
          201: appSchema,
          ...authErrorResponses,
          422: { description: 'CF-UnprocessableEntity', ...errorEnvelopeSchema },
        },
      },
    },
    async (request, reply) => {
      const message = validateAppCreate(request.body)
      const record = {
        guid: context.newGuid(),
        name: message.name,
        lifecycleType: message.lifecycleType,
        labels: message.metadata.labels,
        annotations: message.metadata.annotations,
        createdAt: context.timestamp(),
        updatedAt: null,
      }
      try {
        await metadata.createApp(record)
      } catch (error) {
        if (isPackwrightError(error, 'INVALID_ARGUMENT') && error.details.conflict === 'app') {
          throw cfErrors.unprocessableEntity([
            `App with the name '${message.name}' already exists.`,
          ])
        }
        throw error
      }
      return reply.code(201).send(presentApp(record, context.baseUrl(request)))
    },
  )

  app.get(
    '/v3/apps/:guid',
    {
      config: { requiredScope: 'read' },
      schema: {
        summary: 'Get an app',
        tags: ['apps'],
        params: guidParamsSchema,
        response: {
          200: appSchema,
          ...authErrorResponses,
          404: { description: 'CF-ResourceNotFound', ...errorEnvelopeSchema },
        },
      },
    },
    async (request) => {
      const { guid } = request.params as { guid: string }
      const record = await metadata.getApp(guid)
      if (record === undefined) throw cfErrors.resourceNotFound('App not found')
      return presentApp(record, context.baseUrl(request))
    },
  )

  app.get(
    '/v3/apps',
    {
      config: { requiredScope: 'read' },
      schema: {
        summary: 'List apps',
        tags: ['apps'],
        querystring: {
          type: 'object',
          properties: {
            names: { type: 'string', description: 'comma-separated app names' },
            guids: { type: 'string', description: 'comma-separated app guids' },
            ...listQueryProperties,
          },
        },
        response: {
          200: listOf(appSchema),
          ...authErrorResponses,
          400: { description: 'CF-BadQueryParameter', ...errorEnvelopeSchema },
        },
      },
    },
    async (request) => {
      const query = parseListQuery(request.query as Record<string, unknown>, ['names', 'guids'])
      const { filters } = query
      const page = await metadata.listApps(
        { names: filters.names, guids: filters.guids },
        query.page,
      )
      const baseUrl = context.baseUrl(request)
      return {
        pagination: presentPagination(page.totalResults, query, baseUrl, '/v3/apps'),
        resources: page.items.map((item) => presentApp(item, baseUrl)),
      }
    },
  )
}
