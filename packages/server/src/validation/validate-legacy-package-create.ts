import type { DockerImageRecord, PackageType } from '../storage/metadata-store.js'
import { cfErrors } from '../http/cf-errors.js'
import { bodyObject, isJsonObject, unknownFieldsMessage } from './json-shapes.js'

export interface LegacyPackageCreateMessage {
  readonly type: PackageType
  readonly docker: DockerImageRecord | null
}

/**
 * Checks the body of the older `POST /v3/apps/:guid/packages`: `{type}` for
 * bits, `{type: "docker", url}` for docker (the experimental API), or the later
 * `{type: "docker", data: {image}}`.
 */
export function validateLegacyPackageCreate(body: unknown): LegacyPackageCreateMessage {
  const message = bodyObject(body)
  const problems: string[] = []
  const unknown = unknownFieldsMessage(message, ['type', 'url', 'data'])
  if (unknown !== undefined) problems.push(unknown)
  const { type, url, data } = message
  if (type !== 'bits' && type !== 'docker') problems.push("Type must be one of 'bits, docker'")
  let image: string | undefined
  if (url !== undefined && typeof url !== 'string') problems.push('Url must be a string')
  if (data !== undefined) {
    if (!isJsonObject(data)) problems.push('Data must be an object')
    else if (typeof data.image === 'string') image = data.image
    else problems.push('Data Image must be a string')
  }
  image ??= typeof url === 'string' ? url : undefined
  if (type === 'docker' && (image === undefined || image === ''))
    problems.push("Url can't be blank")
  if (type === 'bits' && (url !== undefined || data !== undefined)) {
    problems.push('Url must be blank for bits packages')
  }
  if (problems.length > 0) throw cfErrors.unprocessableEntity(problems)
  return {
    type: type as PackageType,
    docker: type === 'docker' ? { image: image ?? '', username: null, password: null } : null,
  }
}
