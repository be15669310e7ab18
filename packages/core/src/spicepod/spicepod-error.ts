import { type ErrorCode, PackwrightError, type PackwrightErrorOptions } from '../errors.js'

/** The spicepod error codes: Spice's five failure kinds plus our missing-link check. */
export type SpicepodErrorCode = Extract<
  ErrorCode,
  | 'SPICEPOD_READ_FAILED'
  | 'SPICEPOD_PARSE_FAILED'
  | 'SPICEPOD_COMPONENT_PARSE_FAILED'
  | 'SPICEPOD_LINK_INVALID'
  | 'SPICEPOD_LINK_NOT_FOUND'
  | 'SPICEPOD_ZIP_FAILED'
>

/**
 * The first sentence of each kind, exactly as Spice's packager words it, so
 * clients of the Spice endpoint see familiar text. Only that endpoint says
 * them (see {@link spiceMessageOf}); messages elsewhere say what happened in
 * packwright's words.
 */
export const SPICEPOD_FIRST_SENTENCES: Readonly<Record<SpicepodErrorCode, string>> = {
  SPICEPOD_READ_FAILED: 'Failed to read object from object store.',
  SPICEPOD_PARSE_FAILED: 'Unable to parse the provided Spicepod.',
  SPICEPOD_COMPONENT_PARSE_FAILED: 'Failed to parse the provided Spicepod component.',
  SPICEPOD_LINK_INVALID: 'A file referenced by the Spicepod is not a valid path.',
  SPICEPOD_LINK_NOT_FOUND: 'Failed to read object from object store.',
  SPICEPOD_ZIP_FAILED: 'Failed to create zip archive.',
}

/** Where in which manifest a problem was found. */
export interface SpicepodErrorDetails {
  /** Reader path of the manifest or component file. */
  readonly manifest?: string
  /** The field, such as `datasets[2].from`. */
  readonly field?: string
  /** The linked path, relative to the package root. */
  readonly path?: string
  readonly [key: string]: unknown
}

/**
 * Builds a spicepod error whose message is `specific`; Spice's first sentence
 * for `code` is kept in `details.spiceFirstSentence` for the Spice endpoint.
 */
export function spicepodError(
  code: SpicepodErrorCode,
  specific: string,
  details: SpicepodErrorDetails,
  options: Omit<PackwrightErrorOptions, 'details'> = {},
): PackwrightError {
  return new PackwrightError(code, specific, {
    ...options,
    details: { ...details, spiceFirstSentence: SPICEPOD_FIRST_SENTENCES[code] },
  })
}

/**
 * The message as Spice's packager words it, for the Spice endpoint: Spice's
 * first sentence for the error's kind, then packwright's message. Errors that
 * carry no Spice sentence are returned as they are.
 */
export function spiceMessageOf(error: PackwrightError): string {
  const sentence = error.details.spiceFirstSentence
  return typeof sentence === 'string' ? `${sentence} ${error.message}` : error.message
}

/** Names the manifest field a link comes from, as messages show it: `` `datasets[0].from` in spicepod.yaml ``. */
export function describeField(details: SpicepodErrorDetails): string {
  return `\`${details.field}\` in ${details.manifest}`
}
