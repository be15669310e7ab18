/**
 * A failure outside core that the user can act on (the artifact service, the
 * runner environment), with an actionable hint shown under the message.
 */
export class ActionError extends Error {
  readonly hint: string | undefined

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ActionError'
    this.hint = options.hint
  }
}
