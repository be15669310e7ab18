import { escapeControlCharacters } from './_internal/control-characters.js'

/**
 * The single error type of packwright. Every failure a caller can act on is a
 * `PackwrightError` with a stable `code`; edges (CLI, action, server) translate
 * it into exit codes, `setFailed` or HTTP responses.
 *
 * @module
 */

/** Stable, machine-readable error codes. Never renamed once released. */
export const ERROR_CODES = [
  // source specs and readers
  'SOURCE_SPEC_INVALID',
  'SOURCE_NOT_FOUND',
  'SOURCE_READ_FAILED',
  'SOURCE_PATH_INVALID',
  'GIT_FAILED',
  'GIT_COMMIT_NOT_FOUND',
  'GITHUB_AUTH_FAILED',
  'GITHUB_FORBIDDEN',
  'GITHUB_NOT_FOUND',
  'GITHUB_RATE_LIMITED',
  'GITHUB_TREE_TRUNCATED',
  'GITHUB_REQUEST_FAILED',
  'GITHUB_TIMEOUT',
  'GITHUB_SIZE_MISMATCH',
  'GITHUB_RESPONSE_TOO_LARGE',
  'GITHUB_TREE_ENTRY_UNSUPPORTED',
  // spicepod packaging (Spice's five kinds, plus our stricter checks)
  'SPICEPOD_READ_FAILED',
  'SPICEPOD_PARSE_FAILED',
  'SPICEPOD_COMPONENT_PARSE_FAILED',
  'SPICEPOD_LINK_INVALID',
  'SPICEPOD_LINK_NOT_FOUND',
  'SPICEPOD_ZIP_FAILED',
  // directory selection
  'SELECTION_EMPTY',
  'SELECTION_PATTERN_INVALID',
  'SYMLINK_ESCAPES_ROOT',
  'SYMLINK_CYCLE',
  'SYMLINK_TARGET_MISSING',
  // package limits (what `packwright inspect` accepts)
  'PACKAGE_LIMIT_EXCEEDED',
  // zip writing
  'ZIP_PATH_INVALID',
  'ZIP_DUPLICATE_ENTRY',
  'ZIP_SOURCE_CHANGED',
  'ZIP_WRITE_FAILED',
  // zip reading and validation
  'ZIP_NOT_A_ZIP',
  'ZIP_TRUNCATED',
  'ZIP_UNSUPPORTED',
  'ZIP_ENTRY_PATH_ABSOLUTE',
  'ZIP_ENTRY_PATH_TRAVERSAL',
  'ZIP_ENTRY_PATH_BACKSLASH',
  'ZIP_ENTRY_PATH_NUL',
  'ZIP_ENTRY_PATH_NON_CANONICAL',
  'ZIP_ENTRY_PATH_CONTROL_CHARACTER',
  'ZIP_ENTRY_DUPLICATE',
  'ZIP_ENTRY_FILE_DIRECTORY_CONFLICT',
  'ZIP_SYMLINK_ESCAPES_ROOT',
  'ZIP_SYMLINK_TARGET_CONTROL_CHARACTER',
  'ZIP_ENTRY_SIZE_MISMATCH',
  'ZIP_ENTRY_CRC_MISMATCH',
  'ZIP_ENTRY_OVERLAP',
  'ZIP_HEADER_MISMATCH',
  'ZIP_TOO_MANY_ENTRIES',
  'ZIP_TOO_LARGE',
  'ZIP_COMPRESSION_RATIO_EXCEEDED',
  'ZIP_ENTRY_CORRUPT',
  'ZIP_ENTRY_PATH_TOO_LONG',
  'ZIP_ENTRY_TYPE_UNSUPPORTED',
  'ZIP_ENTRY_TYPE_CONFLICT',
  'ZIP_ENTRY_NAME_AMBIGUOUS',
  'ZIP_ENTRY_LINK_TARGET_AMBIGUOUS',
  'ZIP_UNACCOUNTED_BYTES',
  'ZIP_READ_FAILED',
  // resource matching
  'RESOURCE_INVALID',
  'RESOURCE_NOT_CACHED',
  'CHECKSUM_MISMATCH',
  // generic
  'INVALID_ARGUMENT',
  'ABORTED',
] as const

/**
 * Codes a package keeps in its own list (the client's `PUSH_…` codes) and adds
 * here by declaration merging, so that one error class carries them all:
 * `declare module '@packwright/core' { interface PackageErrorCodes extends Record<MyCode, true> {} }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface PackageErrorCodes {}

// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- empty until merged
export type ErrorCode = (typeof ERROR_CODES)[number] | keyof PackageErrorCodes

export interface PackwrightErrorOptions {
  /** An actionable sentence shown under the message. */
  hint?: string
  /** The underlying error, kept for debugging; never shown with secrets. */
  cause?: unknown
  /** Structured facts a caller may read (field, path, expected, actual…). */
  details?: Readonly<Record<string, unknown>>
}

export class PackwrightError extends Error {
  readonly code: ErrorCode
  readonly hint: string | undefined
  readonly details: Readonly<Record<string, unknown>>

  constructor(code: ErrorCode, message: string, options: PackwrightErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'PackwrightError'
    this.code = code
    this.hint = options.hint
    this.details = options.details ?? {}
  }
}

/** Narrows `error` to a PackwrightError, optionally with one specific code. */
export function isPackwrightError(error: unknown, code?: ErrorCode): error is PackwrightError {
  return error instanceof PackwrightError && (code === undefined || error.code === code)
}

/**
 * Quotes echoed user input for a message: cut to about 200 characters, and
 * written as a JSON string whose control characters (C0, DEL, C1, bidi
 * controls, U+2028/U+2029) are all escaped, so a message is safe to print.
 */
export function quoteInput(value: string, max = 200): string {
  const text = value.length > max ? `${value.slice(0, max)}…` : value
  return escapeControlCharacters(JSON.stringify(text))
}
