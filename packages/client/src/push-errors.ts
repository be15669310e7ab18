import { PackwrightError, type PackwrightErrorOptions } from '@packwright/core'

/**
 * The client's stable error codes, each listed with its meaning in
 * docs/errors.md. They join core's codes on the one `PackwrightError` class.
 */
export const PUSH_ERROR_CODES = [
  'PUSH_SERVER_URL_INVALID',
  'PUSH_NETWORK_FAILED',
  'PUSH_TIMEOUT',
  'PUSH_RATE_LIMITED',
  'PUSH_SERVER_ERROR',
  'PUSH_AUTH_FAILED',
  'PUSH_FORBIDDEN',
  'PUSH_NOT_FOUND',
  'PUSH_REQUEST_REJECTED',
  'PUSH_RESPONSE_INVALID',
  'PUSH_PACKAGE_FAILED',
  'PUSH_CHECKSUM_MISMATCH',
  'PUSH_DOWNLOAD_FAILED',
] as const

export type PushErrorCode = (typeof PUSH_ERROR_CODES)[number]

declare module '@packwright/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- its members come from the list
  interface PackageErrorCodes extends Record<PushErrorCode, true> {}
}

/** A `PackwrightError` with one of the client's codes. */
export function pushError(
  code: PushErrorCode,
  message: string,
  options: PackwrightErrorOptions = {},
): PackwrightError {
  return new PackwrightError(code, message, options)
}

/** True for an error of the client's own list. */
export function isPushErrorCode(code: string): code is PushErrorCode {
  return (PUSH_ERROR_CODES as readonly string[]).includes(code)
}
