import {
  ANY_CHAR,
  ANY_PATH,
  folderRunNode,
  type GlobNode,
  literalNode,
  STAR,
} from './glob-syntax.js'
import { parseBracketClass } from './parse-bracket-class.js'

/** One rule of an ignore file, in gitignore syntax. */
export interface GitignoreRule {
  /** What the rule matches: the path relative to the ignore file's folder, or only the base name. */
  readonly node: GlobNode
  /** `!pattern`: re-includes what an earlier rule ignored. */
  readonly negated: boolean
  /** `pattern/`: matches folders only. */
  readonly directoryOnly: boolean
  /** A pattern with a `/` before its end is matched against the whole relative path; others against the base name. */
  readonly anchored: boolean
}

/** True when the character at `index` is escaped by an odd run of backslashes before it. */
function isEscaped(chars: readonly string[], index: number): boolean {
  let backslashes = 0
  for (let at = index - 1; at >= 0 && chars[at] === '\\'; at--) backslashes += 1
  return backslashes % 2 === 1
}

/**
 * Parses one line of a gitignore-syntax file as git does: blank lines and
 * `#` comments are skipped, unescaped trailing spaces dropped, `!` negates,
 * a trailing `/` limits the rule to folders, a `/` elsewhere anchors it to
 * the file's folder, `**` as a whole segment spans folders, `*`, `?` and
 * `[…]` never match `/`, and `\` escapes. Returns undefined for a line that
 * holds no rule, and for a pattern with an unclosed `[`, which git never matches.
 */
export function parseGitignoreLine(line: string): GitignoreRule | undefined {
  const chars = [...(line.endsWith('\r') ? line.slice(0, -1) : line)]
  while (
    chars.length > 0 &&
    chars[chars.length - 1] === ' ' &&
    !isEscaped(chars, chars.length - 1)
  ) {
    chars.pop()
  }
  if (chars.length === 0 || chars[0] === '#') return undefined
  const negated = chars[0] === '!'
  if (negated) chars.shift()
  let directoryOnly = false
  while (
    chars.length > 0 &&
    chars[chars.length - 1] === '/' &&
    !isEscaped(chars, chars.length - 1)
  ) {
    chars.pop()
    directoryOnly = true
  }
  if (chars.length === 0) return undefined
  const anchored = chars.some((char, index) => char === '/' && !isEscaped(chars, index))
  if (chars[0] === '/') chars.shift()

  const items: GlobNode[] = []
  let index = 0
  let segmentStart = true
  while (index < chars.length) {
    const char = chars[index] ?? ''
    if (char === '\\' && index + 1 < chars.length) {
      items.push(literalNode(chars[index + 1]?.codePointAt(0) ?? 0))
      index += 2
      segmentStart = false
      continue
    }
    if (char === '*') {
      let end = index
      while (chars[end] === '*') end += 1
      const whole = segmentStart && end - index === 2
      if (whole && chars[end] === '/') {
        items.push(folderRunNode())
        index = end + 1
        continue
      }
      items.push(whole && end === chars.length ? ANY_PATH : STAR)
      index = end
      segmentStart = false
      continue
    }
    if (char === '?') {
      items.push(ANY_CHAR)
      index += 1
      segmentStart = false
      continue
    }
    if (char === '[') {
      const parsed = parseBracketClass(chars, index)
      // Git's matcher gives up on a pattern with an unclosed `[`: it matches nothing.
      if (parsed === undefined) return undefined
      items.push(parsed.node)
      index = parsed.end
      segmentStart = false
      continue
    }
    items.push(literalNode(char.codePointAt(0) ?? 0))
    segmentStart = char === '/'
    index += 1
  }
  return { node: { kind: 'sequence', items }, negated, directoryOnly, anchored }
}
