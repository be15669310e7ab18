import { escapeControlCharacters, isPackwrightError } from '@packwright/core'
import { UsageError } from './usage-error.js'

/**
 * The lines printed on stderr for a failure: `error [CODE]: message`, then a
 * hint line where there is one. Never a stack trace, and never a raw control
 * character: messages may echo names from a zip or a command line.
 */
export function formatError(error: unknown): string {
  const shown = escapeControlCharacters
  if (isPackwrightError(error)) {
    const hint = error.hint === undefined ? '' : `hint: ${shown(error.hint)}\n`
    return `error [${error.code}]: ${shown(error.message)}\n${hint}`
  }
  if (error instanceof UsageError) {
    return `error [USAGE]: ${shown(error.message)}\nhint: run \`packwright --help\` for usage.\n`
  }
  const message = error instanceof Error ? error.message : String(error)
  return `error [INTERNAL]: ${shown(message)}\nhint: this is a bug in packwright; please report it with the command you ran.\n`
}
