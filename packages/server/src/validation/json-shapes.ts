import { cfErrors } from '../http/cf-errors.js'

export type JsonObject = Record<string, unknown>

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The request body as an object. No body counts as `{}` (Cloud Controller
 * validates it like an empty message); any other JSON value is a parse error.
 */
export function bodyObject(body: unknown): JsonObject {
  if (body === undefined) return {}
  if (isJsonObject(body)) return body
  throw cfErrors.messageParseError('invalid request body')
}

/** Cloud Controller's message for keys a message does not allow, or undefined. */
export function unknownFieldsMessage(
  value: JsonObject,
  allowed: readonly string[],
): string | undefined {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key))
  return unknown.length === 0 ? undefined : `Unknown field(s): '${unknown.join("', '")}'`
}
