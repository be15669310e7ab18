import type { FastifyInstance } from 'fastify'
import { cfErrors } from '../http/cf-errors.js'
import type { RouteContext } from '../http/route-context.js'
import { presentJob } from '../presenters/present-job.js'
import {
  authErrorResponses,
  errorEnvelopeSchema,
  guidParamsSchema,
} from '../schemas/common-schemas.js'
import { jobSchema } from '../schemas/job-schemas.js'

/** `GET /v3/jobs/:guid`: uploads past their budget and deletions. */
export function registerJobRoute(app: FastifyInstance, context: RouteContext): void {
  app.get(
    '/v3/jobs/:guid',
    {
      config: { requiredScope: 'read' },
      schema: {
        summary: 'Get a job',
        tags: ['jobs'],
        params: guidParamsSchema,
        response: {
          200: jobSchema,
          ...authErrorResponses,
          404: { description: 'CF-ResourceNotFound', ...errorEnvelopeSchema },
        },
      },
    },
    async (request) => {
      const { guid } = request.params as { guid: string }
      const job = await context.storage.metadata.getJob(guid)
      if (job === undefined) throw cfErrors.resourceNotFound('Job not found')
      return presentJob(job, context.baseUrl(request))
    },
  )
}
