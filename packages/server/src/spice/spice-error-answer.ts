import { type PackwrightError, SPICEPOD_FIRST_SENTENCES, spiceMessageOf } from '@packwright/core'
import type { CfApiError } from '../http/cf-api-error.js'

/** The body of every error of the Spice endpoint: Spice's `{"error"}` plus our code. */
export interface SpiceErrorBody {
  readonly error: string
  /** A core error code, or the `CF-` title of a server-wide error (auth, body limits). */
  readonly code: string
}

export interface SpiceErrorAnswer {
  readonly status: number
  readonly body: SpiceErrorBody
}

/** Spice's answer to a failure nobody can act on (its seed's 500 example). */
export const UNEXPECTED_ERROR_MESSAGE = 'An unexpected error occurred'

const READ_FAILED = SPICEPOD_FIRST_SENTENCES.SPICEPOD_READ_FAILED
const ZIP_FAILED = SPICEPOD_FIRST_SENTENCES.SPICEPOD_ZIP_FAILED
const SPICE_SENTENCES = new Set(Object.values(SPICEPOD_FIRST_SENTENCES))

/** Whether the message already opens with one of Spice's first sentences. */
function opensWithSpiceSentence(message: string): boolean {
  for (const sentence of SPICE_SENTENCES) if (message.startsWith(sentence)) return true
  return false
}

/**
 * The first sentence Spice's packager gives a failure of this kind: reading
 * the source (GitHub, a missing file, a path) is its FailedToReadObject,
 * anything while writing the package its FailedToCreateZip.
 */
function spiceSentenceFor(code: string): string {
  if (code.startsWith('GITHUB_') || code.startsWith('SOURCE_') || code === 'INVALID_ARGUMENT') {
    return READ_FAILED
  }
  return ZIP_FAILED
}

/**
 * A request Spice would refuse with 400: the body, `from` or the token. The
 * message is the client's to read; it never holds a `params` value.
 */
export function answerInvalidRequest(error: PackwrightError): SpiceErrorAnswer {
  return { status: 400, body: { error: error.message, code: error.code } }
}

/**
 * A failure while building the package: 500, as Spice answers for every
 * packaging error, with Spice's first sentence for its kind, then ours, and
 * the error's code.
 */
export function answerBuildFailure(error: PackwrightError): SpiceErrorAnswer {
  // Spicepod errors carry Spice's sentence for their kind beside packwright's message.
  const worded = spiceMessageOf(error)
  const message = opensWithSpiceSentence(worded)
    ? worded
    : `${spiceSentenceFor(error.code)} ${error.message}`
  return { status: 500, body: { error: message, code: error.code } }
}

/** A server-wide error (auth, body parsing, limits, unknown routes) in the Spice shape. */
export function answerServerError(error: CfApiError): SpiceErrorAnswer {
  if (error.status >= 500) return answerUnexpected()
  return { status: error.status, body: { error: error.detail, code: error.title } }
}

/** Anything unforeseen: logged by the caller, never shown. */
export function answerUnexpected(): SpiceErrorAnswer {
  return { status: 500, body: { error: UNEXPECTED_ERROR_MESSAGE, code: 'CF-UnknownError' } }
}
