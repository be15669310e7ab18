import type { FastifyInstance } from 'fastify'
import { matchResources } from '@packwright/core'
import type { RouteContext } from '../http/route-context.js'
import { authErrorResponses, errorEnvelopeSchema } from '../schemas/common-schemas.js'
import {
  resourceMatchBodySchema,
  resourceMatchResponseSchema,
} from '../schemas/resource-match-schemas.js'
import {
  type ResourceMatchEntry,
  validateResourceMatches,
} from '../validation/validate-resource-matches.js'

/**
 * `POST /v3/resource_matches`: which of the client's files the pool already
 * holds, by core's matchResources (size bounds, mode >= 0600, bucket order).
 */
export function registerResourceMatchRoute(app: FastifyInstance, context: RouteContext): void {
  const { metadata } = context.storage
  app.post(
    '/v3/resource_matches',
    {
      config: { requiredScope: 'write' },
      schema: {
        summary: 'Find the resources the server already has',
        tags: ['resource matches'],
        body: resourceMatchBodySchema,
        response: {
          201: resourceMatchResponseSchema,
          ...authErrorResponses,
          422: { description: 'CF-UnprocessableEntity', ...errorEnvelopeSchema },
        },
      },
    },
    async (request, reply) => {
      const entries = validateResourceMatches(request.body)
      const byDescriptor = new Map(entries.map((entry) => [entry.descriptor, entry] as const))
      // One lookup for the batch; matchResources then asks about each sha1.
      const held = new Set(
        (
          await metadata.findPoolEntries([
            ...new Set(entries.map((entry) => entry.descriptor.checksum.value.toLowerCase())),
          ])
        ).map((entry) => entry.sha1),
      )
      const matched = await matchResources(
        entries.map((entry) => entry.descriptor),
        (sha1) => held.has(sha1),
        context.matching,
      )
      const resources = matched.map(
        (descriptor) => (byDescriptor.get(descriptor) as ResourceMatchEntry).echo,
      )
      return reply.code(201).send({ resources })
    },
  )
}
