/**
 * The action's own stable error codes, for failures outside core (its
 * inputs, the runner's environment, the artifact service). Core's failures
 * keep core's codes. Every code is documented in docs/errors.md.
 */
export const ACTION_ERROR_CODES = [
  'ACTION_INPUT_INVALID',
  'ACTION_ENVIRONMENT_INVALID',
  'ARTIFACT_NAME_TAKEN',
  'ARTIFACT_DELETE_FAILED',
  'ARTIFACT_UPLOAD_FAILED',
  'ARTIFACT_DIGEST_MISMATCH',
  'RELEASE_TAG_MISSING',
  'RELEASE_PERMISSION_DENIED',
  'RELEASE_REQUEST_FAILED',
  'ACTION_INTERNAL',
] as const

export type ActionErrorCode = (typeof ACTION_ERROR_CODES)[number]
