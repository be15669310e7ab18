/**
 * JSON schemas shared by the routes. They document requests and answers in
 * the served OpenAPI document; requests are checked by the message
 * validators, which give Cloud Foundry's exact messages.
 */

export const errorEnvelopeSchema = {
  type: 'object',
  required: ['errors'],
  properties: {
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['detail', 'title', 'code'],
        properties: {
          detail: { type: 'string' },
          title: { type: 'string', examples: ['CF-UnprocessableEntity'] },
          code: { type: 'integer' },
        },
      },
    },
  },
} as const

export const linkSchema = {
  type: 'object',
  required: ['href'],
  properties: { href: { type: 'string' }, method: { type: 'string' } },
} as const

export const metadataSchema = {
  type: 'object',
  properties: {
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const

export const guidParamsSchema = {
  type: 'object',
  required: ['guid'],
  properties: { guid: { type: 'string' } },
} as const

export const paginationSchema = {
  type: 'object',
  required: ['total_results', 'total_pages', 'first', 'last', 'next', 'previous'],
  properties: {
    total_results: { type: 'integer' },
    total_pages: { type: 'integer' },
    first: linkSchema,
    last: linkSchema,
    next: { oneOf: [linkSchema, { type: 'null' }] },
    previous: { oneOf: [linkSchema, { type: 'null' }] },
  },
} as const

export const listQueryProperties = {
  page: { type: 'integer', minimum: 1, default: 1 },
  per_page: { type: 'integer', minimum: 1, maximum: 5000, default: 50 },
  order_by: {
    type: 'string',
    enum: ['created_at', '-created_at', 'updated_at', '-updated_at'],
  },
} as const

/** The error answers every authenticated route may give. */
export const authErrorResponses = {
  401: { description: 'CF-NotAuthenticated or CF-InvalidAuthToken', ...errorEnvelopeSchema },
  403: { description: 'CF-NotAuthorized', ...errorEnvelopeSchema },
} as const

export function listOf(resource: object) {
  return {
    type: 'object',
    required: ['pagination', 'resources'],
    properties: { pagination: paginationSchema, resources: { type: 'array', items: resource } },
  } as const
}
