import { packwrightAnnotationProblems } from '../annotations/packwright-annotations.js'
import type { DockerImageRecord, PackageType } from '../storage/metadata-store.js'
import { cfErrors } from '../http/cf-errors.js'
import { bodyObject, isJsonObject, unknownFieldsMessage } from './json-shapes.js'
import { validateDockerData } from './validate-docker-data.js'
import { type ValidMetadata, validateMetadata } from './validate-metadata.js'

export interface PackageCreateMessage {
  readonly type: PackageType
  readonly appGuid: string
  readonly docker: DockerImageRecord | null
  readonly metadata: ValidMetadata
}

const APP_STRUCTURE = 'App must be structured like this: "app: {"data": {"guid": "valid-guid"}}"'

/** The app guid of `relationships: {app: {data: {guid}}}`, or undefined after reporting why not. */
function validateRelationships(value: unknown, problems: string[]): string | undefined {
  if (!isJsonObject(value)) {
    problems.push("Relationships 'relationships' is not an object")
    return undefined
  }
  const nested: string[] = []
  const unknown = unknownFieldsMessage(value, ['app'])
  if (unknown !== undefined) nested.push(unknown)
  const { app } = value
  let guid: string | undefined
  if (!isJsonObject(app) || !isJsonObject(app.data)) {
    nested.push(APP_STRUCTURE)
  } else if (typeof app.data.guid !== 'string') {
    nested.push('App guid must be a string')
  } else if (app.data.guid.length < 1 || app.data.guid.length > 200) {
    nested.push('App guid must be between 1 and 200 characters')
  } else {
    guid = app.data.guid
  }
  for (const message of nested) problems.push(`Relationships ${message}`)
  return nested.length === 0 ? guid : undefined
}

/** Checks `POST /v3/packages` as Cloud Controller does; every problem in one 422. */
export function validatePackageCreate(body: unknown): PackageCreateMessage {
  const message = bodyObject(body)
  const problems: string[] = []
  const unknown = unknownFieldsMessage(message, ['relationships', 'type', 'data', 'metadata'])
  if (unknown !== undefined) problems.push(unknown)
  const appGuid = validateRelationships(message.relationships, problems)
  const { type, data } = message
  if (type !== 'bits' && type !== 'docker') problems.push("Type must be one of 'bits, docker'")
  let docker: DockerImageRecord | null = null
  if (type === 'bits' && data !== undefined) {
    if (!isJsonObject(data) || Object.keys(data).length > 0) {
      problems.push('Data must be empty if provided for bits packages')
    }
  }
  if (type === 'docker') {
    if (isJsonObject(data)) docker = validateDockerData(data, problems)
    else problems.push('Data Image required')
  }
  const metadata = validateMetadata(message.metadata, problems)
  problems.push(...packwrightAnnotationProblems(metadata.annotations))
  if (problems.length > 0 || appGuid === undefined) throw cfErrors.unprocessableEntity(problems)
  return { type: type as PackageType, appGuid, docker, metadata }
}
