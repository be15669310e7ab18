import { isPackwrightError, quoteInput } from '@packwright/core'
import type { FastifyInstance, FastifyReply } from 'fastify'
import {
  CodenowApiError,
  type CodenowProblem,
  invalidRequest,
} from '../codenow/codenow-api-error.js'
import { CODENOW_MEDIA_TYPE } from '../codenow/codenow-media-type.js'
import {
  applicationIdParamsSchema,
  applicationPackageCreateBodySchema,
  applicationPackageSchema,
  codenowErrorResponses,
  codenowRouteDocs,
} from '../codenow/codenow-schemas.js'
import { parsePackageListQuery } from '../codenow/parse-package-list-query.js'
import {
  type PackageExpansion,
  presentApplicationPackage,
} from '../codenow/present-application-package.js'
import { resolveComponents } from '../codenow/resolve-components.js'
import { validateApplicationPackageCreate } from '../codenow/validate-application-package-create.js'
import type { RouteContext } from '../http/route-context.js'
import type { ApplicationPackageRecord } from '../storage/application-store.js'

function send(reply: FastifyReply, body: unknown) {
  return reply.code(200).type(CODENOW_MEDIA_TYPE).send(JSON.stringify(body))
}

function notFound(message: string, problems: readonly CodenowProblem[]): CodenowApiError {
  return new CodenowApiError('CODENOW_NOT_FOUND', message, problems)
}

function duplicateVersion(applicationId: string, version: string): CodenowProblem {
  return {
    field: 'version',
    message: `application ${quoteInput(applicationId)} already has a package with version ${quoteInput(version)}; versions are unique per application`,
  }
}

/**
 * CodeNOW application packages: `POST /applications/:applicationId/packages`,
 * `GET /applications/:applicationId/packages` (`includeArchived`, `expand`)
 * and `GET /applications/:applicationId/packages/:version`.
 */
export function registerCodenowPackageRoutes(scope: FastifyInstance, context: RouteContext): void {
  const { metadata } = context.storage

  async function requireApplication(applicationId: string): Promise<void> {
    if ((await metadata.getApplication(applicationId)) === undefined) {
      throw notFound(`Application ${quoteInput(applicationId)} does not exist.`, [
        { field: 'applicationId', message: 'names no application' },
      ])
    }
  }

  /** The guids of the packages that still exist among those the records name. */
  async function livePackages(records: readonly ApplicationPackageRecord[]): Promise<Set<string>> {
    const guids = [
      ...new Set(records.flatMap((record) => record.components.map((c) => c.packageGuid))),
    ]
    if (guids.length === 0) return new Set()
    const page = await metadata.listPackages(
      { guids },
      { page: 1, perPage: guids.length, order: { field: 'created_at', descending: false } },
    )
    return new Set(page.items.map((item) => item.guid))
  }

  async function present(
    records: readonly ApplicationPackageRecord[],
    expansion?: PackageExpansion,
  ) {
    const live = expansion?.components === false ? new Set<string>() : await livePackages(records)
    return records.map((record) => presentApplicationPackage(record, live, expansion))
  }

  scope.post(
    '/:applicationId/packages',
    {
      schema: {
        summary: 'Create an application package',
        tags: ['codenow'],
        ...codenowRouteDocs,
        params: applicationIdParamsSchema,
        body: applicationPackageCreateBodySchema,
        response: { 200: applicationPackageSchema, ...codenowErrorResponses },
      },
    },
    async (request, reply) => {
      const { applicationId } = request.params as { applicationId: string }
      await requireApplication(applicationId)
      const problems: CodenowProblem[] = []
      const message = validateApplicationPackageCreate(request.body, problems)
      const version = (request.body as { version?: unknown } | undefined)?.version
      if (typeof version === 'string' && version.trim() !== '') {
        if ((await metadata.getApplicationPackage(applicationId, version)) !== undefined) {
          problems.push(duplicateVersion(applicationId, version))
        }
      }
      if (message === undefined || problems.length > 0) throw invalidRequest(problems)

      const components = await resolveComponents(metadata, message.components, problems)
      if (problems.length > 0) {
        throw notFound(
          `Not every component version exists: ${problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}.`,
          problems,
        )
      }
      const record: ApplicationPackageRecord = {
        applicationId,
        version: message.version,
        basePackageVersion: null,
        archived: false,
        preview: false,
        components,
        labels: message.labels.map((label) => ({ id: context.newGuid(), ...label })),
        createdAt: context.timestamp(),
      }
      try {
        await metadata.createApplicationPackage(record)
      } catch (error) {
        if (!isPackwrightError(error, 'INVALID_ARGUMENT')) throw error
        // Another request took the version between the check and the insert.
        throw invalidRequest([duplicateVersion(applicationId, message.version)])
      }
      const [presented] = await present([record])
      return send(reply, presented)
    },
  )

  scope.get(
    '/:applicationId/packages',
    {
      schema: {
        summary: 'List application packages',
        tags: ['codenow'],
        ...codenowRouteDocs,
        params: applicationIdParamsSchema,
        querystring: {
          type: 'object',
          properties: {
            includeArchived: { type: 'boolean', default: false },
            expand: {
              type: 'array',
              items: { type: 'string', enum: ['labels', 'components'] },
            },
          },
        },
        response: {
          200: { type: 'array', items: applicationPackageSchema },
          ...codenowErrorResponses,
        },
      },
    },
    async (request, reply) => {
      const { applicationId } = request.params as { applicationId: string }
      const query = parsePackageListQuery(request.query as Record<string, unknown>)
      await requireApplication(applicationId)
      const records = await metadata.listApplicationPackages(applicationId, {
        includeArchived: query.includeArchived,
      })
      return send(reply, await present(records, query.expansion))
    },
  )

  scope.get(
    '/:applicationId/packages/:version',
    {
      schema: {
        summary: 'Get an application package by its version',
        tags: ['codenow'],
        ...codenowRouteDocs,
        params: {
          ...applicationIdParamsSchema,
          required: ['applicationId', 'version'],
          properties: { ...applicationIdParamsSchema.properties, version: { type: 'string' } },
        },
        response: { 200: applicationPackageSchema, ...codenowErrorResponses },
      },
    },
    async (request, reply) => {
      const { applicationId, version } = request.params as {
        applicationId: string
        version: string
      }
      await requireApplication(applicationId)
      const record = await metadata.getApplicationPackage(applicationId, version)
      if (record === undefined) {
        throw notFound(
          `Application ${quoteInput(applicationId)} has no package with version ${quoteInput(version)}.`,
          [{ field: 'version', message: 'names no package of this application' }],
        )
      }
      const [presented] = await present([record])
      return send(reply, presented)
    },
  )
}
