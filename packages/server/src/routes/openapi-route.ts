import type { FastifyInstance } from 'fastify'

/** `GET /openapi.json`: the OpenAPI 3.1 document built from the route schemas. Public. */
export function registerOpenApiRoute(app: FastifyInstance): void {
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger())
}
