/** A YAML problem as packwright reports it. */
export interface YamlProblem {
  /** The message's first line, at most 300 characters, without its closing colon. */
  readonly reason: string
  /** The offending line (and the one before it) with a caret under the problem. */
  readonly excerpt?: string
}

/** At most this many characters of the reason are kept. */
const MAX_REASON = 300
/** At most this many characters of a source line are shown in an excerpt. */
const MAX_EXCERPT_LINE = 200

function cut(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text
}

/**
 * The excerpt the YAML library appends to a message (after a blank line:
 * the offending line, the one before it where it helps, then a line of
 * carets), without the blank lines around it and with long lines cut; none
 * when the message's later lines do not end with a caret line.
 */
function excerptOf(laterLines: string[]): string | undefined {
  const lines = [...laterLines]
  while (lines.length > 0 && lines[0]?.trim() === '') lines.shift()
  while (lines.length > 0 && lines.at(-1)?.trim() === '') lines.pop()
  // The last line: carets under the problem, after the column's spaces.
  if (!/^\s*\^+\s*$/.test(lines.at(-1) ?? '')) return undefined
  return lines.map((line) => cut(line, MAX_EXCERPT_LINE)).join('\n')
}

/**
 * Splits a message of the YAML library (`prettyErrors`: the problem and its
 * position on the first line, then the excerpt) into a one-line reason and
 * the excerpt, when it has one.
 */
export function describeYamlProblem(message: string): YamlProblem {
  const [first = '', ...later] = message.split('\n')
  const reason = cut(first, MAX_REASON).replace(/:$/, '')
  const excerpt = excerptOf(later)
  return excerpt === undefined ? { reason } : { reason, excerpt }
}
