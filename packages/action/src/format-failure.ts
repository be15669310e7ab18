import { escapeControlCharacters, isPackwrightError } from '@packwright/core'
import { ActionError } from './action-error.js'
import { InputError } from './input-error.js'

function withHint(message: string, hint: string | undefined): string {
  return hint === undefined || hint === '' ? message : `${message}\nHint: ${hint}`
}

/**
 * The text the step fails with: `[CODE] message`, then a hint where there is
 * one; never a stack trace. Control characters inside a message or hint
 * (from file names, a peer's answer…) are escaped, so they cannot rewrite the
 * log line they appear in.
 */
export function formatFailure(error: unknown): string {
  return describeFailure(error)
    .split('\n')
    .map((line) => escapeControlCharacters(line))
    .join('\n')
}

function describeFailure(error: unknown): string {
  if (isPackwrightError(error)) return withHint(`[${error.code}] ${error.message}`, error.hint)
  if (error instanceof InputError) return `[${error.code}] ${error.message}`
  if (error instanceof ActionError) return withHint(`[${error.code}] ${error.message}`, error.hint)
  if (error instanceof Error) return `[ACTION_INTERNAL] ${error.message || error.name}`
  return `[ACTION_INTERNAL] Unexpected failure: ${String(error)}`
}
