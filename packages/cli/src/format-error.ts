import { isPackwrightError } from '@packwright/core'
import { UsageError } from './usage-error.js'

/**
 * The lines printed on stderr for a failure: `error [CODE]: message`, then a
 * hint line where there is one. Never a stack trace.
 */
export function formatError(error: unknown): string {
  if (isPackwrightError(error)) {
    const hint = error.hint === undefined ? '' : `hint: ${error.hint}\n`
    return `error [${error.code}]: ${error.message}\n${hint}`
  }
  if (error instanceof UsageError) {
    return `error [USAGE]: ${error.message}\nhint: run \`packwright --help\` for usage.\n`
  }
  const message = error instanceof Error ? error.message : String(error)
  return `error [INTERNAL]: ${message}\nhint: this is a bug in packwright; please report it with the command you ran.\n`
}
