import type { ActionErrorCode } from './action-error-codes.js'

/**
 * A failure outside core that the user can act on (the artifact service, the
 * runner environment), with a stable code and an actionable hint shown under
 * the message.
 */
export class ActionError extends Error {
  readonly code: ActionErrorCode
  readonly hint: string | undefined

  constructor(
    code: ActionErrorCode,
    message: string,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ActionError'
    this.code = code
    this.hint = options.hint
  }
}
