const resourceSchema = {
  type: 'object',
  required: ['checksum', 'size_in_bytes'],
  properties: {
    checksum: {
      type: 'object',
      required: ['value'],
      properties: { value: { type: 'string', minLength: 40, maxLength: 40 } },
    },
    size_in_bytes: { type: 'integer', minimum: 0 },
    path: { type: 'string' },
    mode: { type: 'string', pattern: '^[0-7]+$' },
  },
} as const

export const resourceMatchBodySchema = {
  type: 'object',
  required: ['resources'],
  properties: {
    resources: { type: 'array', minItems: 1, maxItems: 5000, items: resourceSchema },
  },
} as const

export const resourceMatchResponseSchema = {
  type: 'object',
  required: ['resources'],
  properties: { resources: { type: 'array', items: resourceSchema } },
} as const
