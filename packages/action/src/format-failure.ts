import { isPackwrightError } from '@packwright/core'
import { ActionError } from './action-error.js'
import { InputError } from './input-error.js'

function withHint(message: string, hint: string | undefined): string {
  return hint === undefined || hint === '' ? message : `${message}\nHint: ${hint}`
}

/**
 * The text the step fails with: `[CODE] message` and a hint for packwright
 * errors, the message (and hint) for others; never a stack trace.
 */
export function formatFailure(error: unknown): string {
  if (isPackwrightError(error)) return withHint(`[${error.code}] ${error.message}`, error.hint)
  if (error instanceof InputError) return error.message
  if (error instanceof ActionError) return withHint(error.message, error.hint)
  if (error instanceof Error) return error.message || error.name
  return `Unexpected failure: ${String(error)}`
}
