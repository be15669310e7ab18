import { linkSchema, metadataSchema } from './common-schemas.js'

const nullableString = { type: ['string', 'null'] } as const

export const packageStateSchema = {
  type: 'string',
  enum: ['AWAITING_UPLOAD', 'PROCESSING_UPLOAD', 'READY', 'FAILED', 'COPYING', 'EXPIRED'],
} as const

/** A package as the current routes answer it (`data.checksum`, `links`, `metadata`). */
export const packageSchema = {
  type: 'object',
  required: [
    'guid',
    'type',
    'data',
    'state',
    'created_at',
    'updated_at',
    'relationships',
    'metadata',
    'links',
  ],
  properties: {
    guid: { type: 'string' },
    type: { type: 'string', enum: ['bits', 'docker'] },
    data: {
      description: 'bits: {checksum, error}; docker: {image, username, password}',
      type: 'object',
      properties: {
        checksum: {
          type: 'object',
          properties: { type: { type: 'string', enum: ['sha256', 'sha1'] }, value: nullableString },
        },
        error: nullableString,
        image: { type: 'string' },
        username: nullableString,
        password: nullableString,
      },
    },
    state: packageStateSchema,
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
    relationships: {
      type: 'object',
      properties: {
        app: {
          type: 'object',
          properties: { data: { type: 'object', properties: { guid: { type: 'string' } } } },
        },
      },
    },
    metadata: metadataSchema,
    links: {
      type: 'object',
      properties: { self: linkSchema, upload: linkSchema, download: linkSchema, app: linkSchema },
    },
  },
} as const

/** A package as the older `POST /v3/apps/:guid/packages` answers it (the 2015–2017 experimental API). */
export const legacyPackageSchema = {
  type: 'object',
  required: ['guid', 'type', 'hash', 'url', 'state', 'error', 'created_at', 'updated_at', '_links'],
  properties: {
    guid: { type: 'string' },
    type: { type: 'string', enum: ['bits', 'docker'] },
    hash: {
      type: 'object',
      properties: { type: { type: 'string', enum: ['sha1'] }, value: nullableString },
    },
    url: nullableString,
    state: packageStateSchema,
    error: nullableString,
    created_at: { type: 'string', format: 'date-time' },
    updated_at: nullableString,
    _links: {
      type: 'object',
      properties: { self: linkSchema, upload: linkSchema, app: linkSchema },
    },
  },
} as const

const appRelationship = {
  type: 'object',
  required: ['app'],
  additionalProperties: false,
  properties: {
    app: {
      type: 'object',
      required: ['data'],
      properties: {
        data: {
          type: 'object',
          required: ['guid'],
          properties: { guid: { type: 'string', minLength: 1, maxLength: 200 } },
        },
      },
    },
  },
} as const

export const packageCreateBodySchema = {
  type: 'object',
  required: ['type', 'relationships'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: ['bits', 'docker'] },
    relationships: appRelationship,
    data: {
      description: 'bits: absent or {}; docker: {image, username?, password?}',
      type: 'object',
      additionalProperties: false,
      properties: {
        image: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
      },
    },
    metadata: metadataSchema,
  },
} as const

export const legacyPackageCreateBodySchema = {
  type: 'object',
  required: ['type'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: ['bits', 'docker'] },
    url: { type: 'string', description: 'docker image, e.g. docker://cloudfoundry/runtime-ci' },
    data: { type: 'object', properties: { image: { type: 'string' } } },
  },
} as const

export const packageListQuerySchema = (withAppGuids: boolean) =>
  ({
    type: 'object',
    properties: {
      guids: { type: 'string', description: 'comma-separated package guids' },
      states: { type: 'string', description: 'comma-separated states' },
      types: { type: 'string', description: 'comma-separated types: bits, docker' },
      ...(withAppGuids
        ? { app_guids: { type: 'string', description: 'comma-separated app guids' } }
        : {}),
    },
  }) as const
