import { escapeControlCharacters, isPackwrightError } from '@packwright/core'
import { UsageError } from './usage-error.js'

/**
 * A message whose later lines are an excerpt (a YAML line and a caret under
 * it): each line escaped on its own, and each later line indented by at least
 * four spaces, so that no line of a message can pass for a line of its own.
 */
function shownLines(message: string): string {
  const [first = '', ...rest] = message.split('\n')
  const later = rest.map((line) => {
    const escaped = escapeControlCharacters(line)
    return escaped.startsWith('    ') ? escaped : `    ${escaped}`
  })
  return [escapeControlCharacters(first), ...later].join('\n')
}

/**
 * The lines printed on stderr for a failure: `error [CODE]: message`, then a
 * hint line where there is one. Never a stack trace, and never a raw control
 * character: messages may echo names from a zip or a command line.
 */
export function formatError(error: unknown): string {
  const shown = escapeControlCharacters
  if (isPackwrightError(error)) {
    const hint = error.hint === undefined ? '' : `hint: ${shown(error.hint)}\n`
    return `error [${error.code}]: ${shownLines(error.message)}\n${hint}`
  }
  if (error instanceof UsageError) {
    const help =
      error.command === undefined
        ? 'run `packwright --help` for usage.'
        : `run \`packwright ${error.command} --help\` for its options.`
    return `error [USAGE]: ${shown(error.message)}\nhint: ${help}\n`
  }
  const message = error instanceof Error ? error.message : String(error)
  return `error [INTERNAL]: ${shown(message)}\nhint: this is a bug in packwright; please report it with the command you ran.\n`
}
