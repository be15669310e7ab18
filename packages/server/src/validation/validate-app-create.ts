import type { AppLifecycleType } from '../storage/metadata-store.js'
import { cfErrors } from '../http/cf-errors.js'
import { bodyObject, isJsonObject, unknownFieldsMessage } from './json-shapes.js'
import { type ValidMetadata, validateMetadata } from './validate-metadata.js'

export interface AppCreateMessage {
  readonly name: string
  readonly lifecycleType: AppLifecycleType
  readonly metadata: ValidMetadata
}

const MAX_NAME_LENGTH = 255

/** Checks `POST /v3/apps`; every problem is reported in one 422. */
export function validateAppCreate(body: unknown): AppCreateMessage {
  const message = bodyObject(body)
  const problems: string[] = []
  const unknown = unknownFieldsMessage(message, ['name', 'lifecycle', 'metadata'])
  if (unknown !== undefined) problems.push(unknown)

  const { name, lifecycle } = message
  if (name === undefined || name === null || name === '') problems.push("Name can't be blank")
  else if (typeof name !== 'string') problems.push('Name must be a string')
  else if (name.length > MAX_NAME_LENGTH) {
    problems.push(`Name is too long (maximum is ${MAX_NAME_LENGTH} characters)`)
  }

  let lifecycleType: AppLifecycleType = 'buildpack'
  if (lifecycle !== undefined) {
    if (!isJsonObject(lifecycle)) {
      problems.push('Lifecycle must be an object')
    } else {
      const lifecycleUnknown = unknownFieldsMessage(lifecycle, ['type', 'data'])
      if (lifecycleUnknown !== undefined) problems.push(`Lifecycle ${lifecycleUnknown}`)
      if (lifecycle.type === 'buildpack' || lifecycle.type === 'docker') {
        lifecycleType = lifecycle.type
      } else {
        problems.push("Lifecycle type must be one of 'buildpack, docker'")
      }
      if (lifecycle.data !== undefined && !isJsonObject(lifecycle.data)) {
        problems.push('Lifecycle data must be an object')
      }
    }
  }
  const metadata = validateMetadata(message.metadata, problems)
  if (problems.length > 0) throw cfErrors.unprocessableEntity(problems)
  return { name: name as string, lifecycleType, metadata }
}
