/**
 * JSON schemas of the CodeNOW routes, for the served OpenAPI document.
 * Requests are checked by the message validators, which list every problem.
 */

const nullableString = { type: ['string', 'null'] } as const

const personSchema = {
  type: ['object', 'null'],
  properties: {
    name: nullableString,
    email: nullableString,
    date: { type: ['string', 'null'], format: 'date-time' },
  },
} as const

export const applicationPackageSchema = {
  type: 'object',
  required: [
    'version',
    'applicationId',
    'basePackageVersion',
    'archived',
    'preview',
    'components',
    'labels',
  ],
  properties: {
    version: { type: 'string', description: 'Release version of the application package.' },
    applicationId: { type: 'string' },
    basePackageVersion: nullableString,
    archived: { type: 'boolean' },
    preview: { type: 'boolean' },
    components: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'componentId',
          'version',
          'dockerImage',
          'deleted',
          'branch',
          'commit',
          'partOfBasePackage',
        ],
        properties: {
          componentId: { type: 'string' },
          version: { type: 'string' },
          dockerImage: {
            type: 'string',
            description: 'The image of a docker package; empty for bits packages.',
          },
          deleted: { type: 'boolean' },
          branch: nullableString,
          commit: {
            type: ['object', 'null'],
            properties: {
              id: { type: 'string' },
              shortId: nullableString,
              message: nullableString,
              author: personSchema,
              committer: personSchema,
            },
          },
          partOfBasePackage: { type: ['boolean', 'null'] },
        },
      },
    },
    labels: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'text', 'color'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          text: { type: 'string' },
          color: { type: 'string', enum: ['red', 'yellow', 'blue', 'green', 'black'] },
        },
      },
    },
  },
} as const

export const applicationPackageCreateBodySchema = {
  type: 'object',
  required: ['version', 'components'],
  properties: {
    version: { type: 'string', minLength: 1 },
    components: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['componentId', 'version'],
        properties: {
          componentId: { type: 'string', minLength: 1 },
          version: { type: 'string', minLength: 1 },
        },
      },
    },
    labels: {
      type: ['array', 'null'],
      maxItems: 32,
      items: {
        type: 'object',
        required: ['color', 'text'],
        properties: {
          color: { type: 'string', enum: ['red', 'yellow', 'blue', 'green', 'black'] },
          text: { type: 'string', minLength: 1, maxLength: 256 },
        },
      },
    },
  },
} as const

export const applicationSchema = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'string' }, name: { type: 'string' } },
} as const

export const codenowErrorSchema = {
  type: 'object',
  required: ['status', 'code', 'message', 'problems'],
  properties: {
    status: { type: 'integer' },
    code: { type: 'string' },
    message: { type: 'string' },
    problems: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const

const error = (description: string) => ({ description, ...codenowErrorSchema })

/** The error answers every CodeNOW route may give. */
export const codenowErrorResponses = {
  400: error('CODENOW_INVALID_REQUEST: every problem with the request'),
  401: error('CODENOW_UNAUTHENTICATED: no valid API key'),
  403: error('CODENOW_FORBIDDEN: the key may not use this application'),
  404: error('CODENOW_NOT_FOUND'),
  429: error('CODENOW_RATE_LIMITED: see Retry-After'),
  500: error('CODENOW_INTERNAL_ERROR'),
} as const

export const applicationIdParamsSchema = {
  type: 'object',
  required: ['applicationId'],
  properties: { applicationId: { type: 'string', minLength: 1 } },
} as const

/** What every CodeNOW route documents alike: its media types and its key header instead of a bearer token. */
export const codenowRouteDocs = {
  consumes: ['application/vnd.codenow.v1+json', 'application/json'],
  produces: ['application/vnd.codenow.v1+json'],
  security: [],
  headers: {
    type: 'object',
    required: ['x-codenow-api-key'],
    properties: { 'x-codenow-api-key': { type: 'string', description: 'CodeNOW API key' } },
  },
} as const
