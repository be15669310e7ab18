import type { CodenowProblem } from './codenow-api-error.js'

export interface ApplicationCreateMessage {
  readonly id: string
  readonly name: string
}

/** Longest application id: it appears in every URL of the application. */
export const MAX_APPLICATION_ID_LENGTH = 200

/** Checks `{"id", "name"}`: both non-empty strings, the id without `/` and at most 200 characters. */
export function validateApplicationCreate(
  body: unknown,
  problems: CodenowProblem[],
): ApplicationCreateMessage | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    problems.push({ field: 'body', message: 'must be a JSON object {id, name}' })
    return undefined
  }
  const { id, name } = body as Record<string, unknown>
  let validId: string | undefined
  if (typeof id !== 'string' || id.trim() === '') {
    problems.push({ field: 'id', message: 'must be a non-empty string' })
  } else if (id.length > MAX_APPLICATION_ID_LENGTH || /[/?#%\s]/.test(id)) {
    problems.push({
      field: 'id',
      message: `must be at most ${MAX_APPLICATION_ID_LENGTH} characters without spaces, /, ?, # or %`,
    })
  } else {
    validId = id
  }
  if (typeof name !== 'string' || name.trim() === '') {
    problems.push({ field: 'name', message: 'must be a non-empty string' })
  }
  if (validId === undefined || typeof name !== 'string' || problems.length > 0) return undefined
  return { id: validId, name }
}
