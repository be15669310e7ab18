import {
  ANY_CHAR,
  ANY_PATH,
  folderRunNode,
  type GlobNode,
  GlobSyntaxError,
  literalNode,
  literalText,
  SLASH,
  STAR,
} from './glob-syntax.js'
import { parseBracketClass } from './parse-bracket-class.js'

/** Most values a `{1..n}` range may stand for. */
const MAX_RANGE_VALUES = 1000
/** Deepest nesting of groups and braces. */
const MAX_NESTING = 32

const EXTGLOB_PREFIXES = new Set(['?', '*', '+', '@', '!'])

/** `{a..e}`, `{1..10}`, `{0..20..5}`: the values, or undefined when `body` is no range. */
function expandRange(body: string): string[] | undefined {
  const numeric = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(body)
  const letters = /^([a-zA-Z])\.\.([a-zA-Z])(?:\.\.(-?\d+))?$/.exec(body)
  const match = numeric ?? letters
  if (match === null) return undefined
  const [, from = '', to = '', stepText] = match
  const start = numeric === null ? from.charCodeAt(0) : Number(from)
  const end = numeric === null ? to.charCodeAt(0) : Number(to)
  const step = Math.abs(Number(stepText ?? 1)) || 1
  if (Math.floor(Math.abs(end - start) / step) + 1 > MAX_RANGE_VALUES) {
    throw new GlobSyntaxError(`has a range {${body}} of more than ${MAX_RANGE_VALUES} values`)
  }
  const values: string[] = []
  const direction = end >= start ? 1 : -1
  for (let value = start; direction * (end - value) >= 0; value += direction * step) {
    values.push(numeric === null ? String.fromCharCode(value) : String(value))
  }
  return values
}

/**
 * Parses an include/exclude glob (picomatch syntax, dotfiles matched):
 * `*`, `?`, `[…]`, `**` as a whole segment, `{a,b}` and `{1..3}` braces,
 * `@(…)`, `?(…)`, `*(…)`, `+(…)` and `(a|b)` groups, `\` escapes. A trailing
 * `/` makes the pattern match folders only (what is inside them), as does
 * a trailing `/**`.
 *
 * @throws GlobSyntaxError for an unclosed bracket, brace or parenthesis, and
 *   for a `!(…)` negated group, which no linear-time matcher can offer.
 */
export function parsePathGlob(pattern: string): GlobNode {
  let text = pattern
  while (text.startsWith('./')) text = text.slice(2)
  let folderOnly = false
  while (text.length > 1 && text.endsWith('/') && !text.endsWith('\\/')) {
    text = text.slice(0, -1)
    folderOnly = true
  }
  const chars = [...text]
  let index = 0
  let depth = 0
  const enter = () => {
    depth += 1
    if (depth > MAX_NESTING) {
      throw new GlobSyntaxError(`nests groups and braces more than ${MAX_NESTING} deep`)
    }
  }

  const closingError = (char: string) =>
    new GlobSyntaxError(
      `is malformed (Missing closing ${JSON.stringify(char)}; escape a literal one with \`\\\`)`,
    )

  /** Parses until the end or a character of `stops` (left unconsumed). */
  const parseSequence = (stops: string, segmentStart: boolean): GlobNode => {
    const items: GlobNode[] = []
    let atSegmentStart = segmentStart
    const atStop = (at: number) => {
      const char = chars[at]
      return char === undefined || stops.includes(char)
    }
    while (!atStop(index)) {
      const char = chars[index] ?? ''
      const next = chars[index + 1]
      if (char === '\\') {
        items.push(literalNode((next ?? '\\').codePointAt(0) ?? 0))
        index += next === undefined ? 1 : 2
        atSegmentStart = false
        continue
      }
      if (EXTGLOB_PREFIXES.has(char) && next === '(') {
        if (char === '!') {
          throw new GlobSyntaxError(
            'uses a `!(…)` negated group, which packwright does not support (it cannot be matched in linear time); list what to leave out under exclude instead',
          )
        }
        index += 1
        const group = parseGroup()
        items.push(
          char === '@'
            ? group
            : {
                kind: 'repeat',
                item: group,
                min: char === '+' ? 1 : 0,
                max: char === '?' ? 1 : 'many',
              },
        )
        atSegmentStart = false
        continue
      }
      if (char === '(') {
        items.push(parseGroup())
        atSegmentStart = false
        continue
      }
      if (char === '*') {
        let end = index
        while (chars[end] === '*') end += 1
        const whole = atSegmentStart && end - index >= 2
        if (whole && chars[end] === '/') {
          items.push(folderRunNode())
          index = end + 1
          continue
        }
        items.push(whole && atStop(end) ? ANY_PATH : STAR)
        index = end
        atSegmentStart = false
        continue
      }
      if (char === '/') {
        items.push(literalNode(SLASH))
        index += 1
        atSegmentStart = true
        continue
      }
      if (char === '?') {
        items.push(ANY_CHAR)
        index += 1
        atSegmentStart = false
        continue
      }
      if (char === '[') {
        const parsed = parseBracketClass(chars, index)
        if (parsed === undefined) throw closingError(']')
        items.push(parsed.node)
        index = parsed.end
        atSegmentStart = false
        continue
      }
      if (char === '{') {
        items.push(parseBraces(atSegmentStart))
        atSegmentStart = false
        continue
      }
      items.push(literalNode(char.codePointAt(0) ?? 0))
      index += 1
      atSegmentStart = false
    }
    return items.length === 1 && items[0] !== undefined ? items[0] : { kind: 'sequence', items }
  }

  /** Parses `(a|b)` with `chars[index]` at `(`. */
  const parseGroup = (): GlobNode => {
    enter()
    index += 1
    const options: GlobNode[] = [parseSequence('|)', false)]
    while (chars[index] === '|') {
      index += 1
      options.push(parseSequence('|)', false))
    }
    if (chars[index] !== ')') throw closingError(')')
    index += 1
    depth -= 1
    return options.length === 1 && options[0] !== undefined
      ? options[0]
      : { kind: 'choice', options }
  }

  /** Parses `{a,b}` or `{1..3}` with `chars[index]` at `{`; `{a}` is literal, as in picomatch. */
  const parseBraces = (segmentStart: boolean): GlobNode => {
    enter()
    const open = index
    index += 1
    const options: GlobNode[] = [parseSequence(',}', segmentStart)]
    while (chars[index] === ',') {
      index += 1
      options.push(parseSequence(',}', segmentStart))
    }
    if (chars[index] !== '}') throw closingError('}')
    index += 1
    depth -= 1
    if (options.length > 1) return { kind: 'choice', options }
    const body = chars.slice(open + 1, index - 1).join('')
    const values = expandRange(body)
    if (values !== undefined) return { kind: 'choice', options: values.map(literalText) }
    return { kind: 'sequence', items: [literalNode(0x7b), ...options, literalNode(0x7d)] }
  }

  const node = parseSequence('', true)
  if (index < chars.length) throw closingError(chars[index] ?? '')
  // `build/` names a folder: it matches what is inside, never a file called `build`.
  return folderOnly ? { kind: 'sequence', items: [node, literalNode(SLASH), ANY_PATH] } : node
}
