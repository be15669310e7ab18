import { isPackwrightError } from '@packwright/core'
import type { FastifyInstance } from 'fastify'
import {
  CodenowApiError,
  type CodenowProblem,
  invalidRequest,
} from '../codenow/codenow-api-error.js'
import { mayUseApplication } from '../codenow/codenow-api-key.js'
import { CODENOW_MEDIA_TYPE } from '../codenow/codenow-media-type.js'
import {
  applicationSchema,
  codenowErrorResponses,
  codenowRouteDocs,
} from '../codenow/codenow-schemas.js'
import { validateApplicationCreate } from '../codenow/validate-application-create.js'
import type { RouteContext } from '../http/route-context.js'

/**
 * `POST /applications` (`{"id", "name"}`): creates a CodeNOW application, the
 * owner of application packages. A key may create the applications it may use.
 */
export function registerCodenowApplicationRoutes(
  scope: FastifyInstance,
  context: RouteContext,
): void {
  const { metadata } = context.storage

  scope.post(
    '',
    {
      schema: {
        summary: 'Create an application',
        tags: ['codenow'],
        ...codenowRouteDocs,
        body: applicationSchema,
        response: { 200: applicationSchema, ...codenowErrorResponses },
      },
    },
    async (request, reply) => {
      const problems: CodenowProblem[] = []
      const message = validateApplicationCreate(request.body, problems)
      if (message === undefined) throw invalidRequest(problems)
      const key = request.codenowKey
      if (key === undefined || !mayUseApplication(key, message.id)) {
        throw new CodenowApiError(
          'CODENOW_FORBIDDEN',
          'The API key may not use this application.',
          [{ field: 'id', message: 'is not one of the applications the key may use' }],
        )
      }
      try {
        await metadata.createApplication({ ...message, createdAt: context.timestamp() })
      } catch (error) {
        if (!isPackwrightError(error, 'INVALID_ARGUMENT')) throw error
        throw invalidRequest([
          { field: 'id', message: 'an application with this id already exists' },
        ])
      }
      return reply
        .code(200)
        .type(CODENOW_MEDIA_TYPE)
        .send(JSON.stringify({ id: message.id, name: message.name }))
    },
  )
}
