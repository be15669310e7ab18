import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestServer, startTestServer } from '../../test/helpers/start-test-server.js'
import { appCreateBodySchema } from '../schemas/app-schemas.js'
import { packageCreateBodySchema, packageSchema } from '../schemas/package-schemas.js'
import { resourceMatchBodySchema } from '../schemas/resource-match-schemas.js'

interface OpenApiDocument {
  openapi: string
  paths: Record<string, Record<string, Record<string, unknown>>>
}

describe('GET /openapi.json', () => {
  let server: TestServer
  let document: OpenApiDocument
  beforeAll(async () => {
    server = await startTestServer()
    const response = await server.app.inject({ method: 'GET', url: '/openapi.json' })
    expect(response.statusCode).toBe(200)
    document = response.json<OpenApiDocument>()
  })
  afterAll(async () => {
    await server.close()
  })

  it('is an OpenAPI 3.1 document listing every route and method', () => {
    expect(document.openapi).toBe('3.1.0')
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    )
    expect(operations.sort()).toEqual(
      [
        'GET /v3/apps',
        'GET /v3/apps/{guid}',
        'GET /v3/apps/{guid}/packages',
        'GET /v3/packages',
        'GET /v3/packages/{guid}',
        'GET /v3/jobs/{guid}',
        'GET /v3/packages/{guid}/download',
        'DELETE /v3/packages/{guid}',
        'POST /v3/packages/{guid}/upload',
        'POST /v3/apps',
        'POST /v3/apps/{guid}/packages',
        'POST /v3/packages',
        'POST /v3/resource_matches',
        'POST /v1/packages/generate',
        'POST /applications',
        'POST /applications/{applicationId}/packages',
        'GET /applications/{applicationId}/packages',
        'GET /applications/{applicationId}/packages/{version}',
      ].sort(),
    )
  })

  it('is generated from the route schemas', () => {
    const body = (operation: Record<string, unknown>) =>
      (operation.requestBody as { content: Record<string, { schema: unknown }> }).content[
        'application/json'
      ]?.schema
    expect(body(document.paths['/v3/apps']?.post ?? {})).toEqual(appCreateBodySchema)
    expect(body(document.paths['/v3/packages']?.post ?? {})).toEqual(packageCreateBodySchema)
    expect(body(document.paths['/v3/resource_matches']?.post ?? {})).toEqual(
      resourceMatchBodySchema,
    )
    const created = (
      document.paths['/v3/packages']?.post?.responses as Record<
        string,
        { content: Record<string, { schema: unknown }> }
      >
    )['201']
    expect(created?.content['application/json']?.schema).toEqual(packageSchema)
  })

  it('documents the error answers of each route', () => {
    const responses = document.paths['/v3/packages']?.post?.responses as Record<string, unknown>
    expect(Object.keys(responses).sort()).toEqual(['201', '401', '403', '422'])
    const lists = document.paths['/v3/packages']?.get?.parameters as { name: string }[]
    expect(lists.map((parameter) => parameter.name).sort()).toEqual(
      ['app_guids', 'guids', 'order_by', 'page', 'per_page', 'states', 'types'].sort(),
    )
  })
})
