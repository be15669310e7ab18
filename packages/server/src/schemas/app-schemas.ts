import { linkSchema, metadataSchema } from './common-schemas.js'

export const appSchema = {
  type: 'object',
  required: ['guid', 'name', 'state', 'created_at', 'updated_at', 'lifecycle', 'metadata', 'links'],
  properties: {
    guid: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
    name: { type: 'string' },
    state: { type: 'string', enum: ['STOPPED'] },
    lifecycle: {
      type: 'object',
      properties: {
        type: { type: 'string', enum: ['buildpack', 'docker'] },
        data: { type: 'object' },
      },
    },
    metadata: metadataSchema,
    links: {
      type: 'object',
      properties: { self: linkSchema, packages: linkSchema },
    },
  },
} as const

export const appCreateBodySchema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 255 },
    lifecycle: {
      type: 'object',
      properties: {
        type: { type: 'string', enum: ['buildpack', 'docker'] },
        data: { type: 'object' },
      },
    },
    metadata: metadataSchema,
  },
} as const
