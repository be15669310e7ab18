import { errorEnvelopeSchema, linkSchema } from './common-schemas.js'

/** A job as `GET /v3/jobs/:guid` answers it (reference §1.9). */
export const jobSchema = {
  type: 'object',
  required: [
    'guid',
    'created_at',
    'updated_at',
    'operation',
    'state',
    'links',
    'errors',
    'warnings',
  ],
  properties: {
    guid: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
    operation: { type: 'string', examples: ['package.upload', 'package.delete'] },
    state: { type: 'string', enum: ['PROCESSING', 'POLLING', 'COMPLETE', 'FAILED'] },
    links: { type: 'object', properties: { self: linkSchema }, additionalProperties: linkSchema },
    errors: errorEnvelopeSchema.properties.errors,
    warnings: {
      type: 'array',
      items: { type: 'object', properties: { detail: { type: 'string' } } },
    },
  },
} as const
