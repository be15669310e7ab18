import { escapeControlCharacters, isPackwrightError } from '@packwright/core'
import { ActionError } from './action-error.js'
import { InputError } from './input-error.js'

function withHint(message: string, hint: string | undefined): string {
  return hint === undefined || hint === '' ? message : `${message}\nHint: ${hint}`
}

/**
 * The text the step fails with: `[CODE] message` and a hint for packwright
 * errors, the message (and hint) for others; never a stack trace. Control
 * characters inside a message or hint (from file names, a peer's answer…) are
 * escaped, so they cannot rewrite the log line they appear in.
 */
export function formatFailure(error: unknown): string {
  return describeFailure(error)
    .split('\n')
    .map((line) => escapeControlCharacters(line))
    .join('\n')
}

function describeFailure(error: unknown): string {
  if (isPackwrightError(error)) return withHint(`[${error.code}] ${error.message}`, error.hint)
  if (error instanceof InputError) return error.message
  if (error instanceof ActionError) return withHint(error.message, error.hint)
  if (error instanceof Error) return error.message || error.name
  return `Unexpected failure: ${String(error)}`
}
