import { CfApiError } from './cf-api-error.js'

/**
 * The errors of Cloud Controller's catalogue the server answers with, each
 * with CC's status, name, numeric code and message template.
 */
export const cfErrors = {
  invalidAuthToken: () => new CfApiError(401, 'CF-InvalidAuthToken', 1000, 'Invalid Auth Token'),
  messageParseError: (reason: string) =>
    new CfApiError(
      400,
      'CF-MessageParseError',
      1001,
      `Request invalid due to parse error: ${reason}`,
    ),
  notFound: () => new CfApiError(404, 'CF-NotFound', 10000, 'Unknown request'),
  unknownError: () => new CfApiError(500, 'CF-UnknownError', 10001, 'An unknown error occurred.'),
  notAuthenticated: () => new CfApiError(401, 'CF-NotAuthenticated', 10002, 'Authentication error'),
  notAuthorized: () =>
    new CfApiError(
      403,
      'CF-NotAuthorized',
      10003,
      'You are not authorized to perform the requested action',
    ),
  /** A request the framework could not take apart (e.g. a malformed URL). */
  invalidRequest: (status = 400) =>
    new CfApiError(status, 'CF-InvalidRequest', 10004, 'The request is invalid'),
  badQueryParameter: (messages: readonly string[]) =>
    new CfApiError(
      400,
      'CF-BadQueryParameter',
      10005,
      `The query parameter is invalid: ${messages.join(', ')}`,
    ),
  /** Validation failures, joined with ", " into one detail as CC joins them. */
  unprocessableEntity: (messages: readonly string[]) =>
    new CfApiError(422, 'CF-UnprocessableEntity', 10008, messages.join(', ')),
  resourceNotFound: (message: string) => new CfApiError(404, 'CF-ResourceNotFound', 10010, message),
  packageBitsAlreadyUploaded: () =>
    new CfApiError(
      400,
      'CF-PackageBitsAlreadyUploaded',
      150004,
      'Bits may be uploaded only once. Create a new package to upload different bits.',
    ),
  blobstoreUnavailable: () =>
    new CfApiError(
      502,
      'CF-BlobstoreUnavailable',
      150006,
      'Failed to perform operation due to blobstore unavailability.',
    ),
  /**
   * CC leaves oversized bodies to its nginx (an HTML 413); packwright answers
   * in the v3 envelope, with a code of its own outside CC's ranges.
   */
  requestEntityTooLarge: (limit: number) =>
    new CfApiError(
      413,
      'CF-RequestEntityTooLarge',
      990413,
      `The request body is larger than the server accepts: at most ${limit} bytes.`,
    ),
  /** packwright's own, like the 413: CC has no catalogue entry for it. */
  unsupportedMediaType: (contentType: string | undefined) =>
    new CfApiError(
      415,
      'CF-UnsupportedMediaType',
      990415,
      `Content type ${contentType === undefined || contentType === '' ? '(none)' : JSON.stringify(contentType.slice(0, 100))} is not accepted: send application/json.`,
    ),
} as const
