import type { DockerImageRecord } from '../storage/metadata-store.js'
import { type JsonObject, unknownFieldsMessage } from './json-shapes.js'

/** Checks the `data` of a docker package: `{image, username?, password?}`. */
export function validateDockerData(data: JsonObject, problems: string[]): DockerImageRecord {
  const unknown = unknownFieldsMessage(data, ['image', 'username', 'password'])
  if (unknown !== undefined) problems.push(`Data ${unknown}`)
  const { image, username, password } = data
  if (image === undefined || image === null || image === '') problems.push('Data Image required')
  else if (typeof image !== 'string') problems.push('Data Image must be a string')
  if (username !== undefined && username !== null && typeof username !== 'string') {
    problems.push('Data Username must be a string')
  }
  if (password !== undefined && password !== null && typeof password !== 'string') {
    problems.push('Data Password must be a string')
  }
  return {
    image: typeof image === 'string' ? image : '',
    username: typeof username === 'string' ? username : null,
    password: typeof password === 'string' ? password : null,
  }
}
