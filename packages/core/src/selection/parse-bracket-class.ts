import { type GlobNode } from './glob-syntax.js'

type Range = readonly [number, number]

const ASCII_CLASSES: Readonly<Record<string, readonly Range[]>> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
}

/** A parsed `[…]` class and the index just past its closing `]`. */
export interface ParsedBracketClass {
  readonly node: GlobNode
  readonly end: number
}

/**
 * Parses the bracket expression whose `[` is at `chars[start]`: `!` or `^`
 * negates, `a-z` is a range, `\` escapes, `[:alpha:]` names an ASCII class,
 * and a `]` right after the opening (or the negation) is literal.
 * Returns undefined when no closing `]` follows.
 */
export function parseBracketClass(
  chars: readonly string[],
  start: number,
): ParsedBracketClass | undefined {
  let index = start + 1
  let negated = false
  if (chars[index] === '!' || chars[index] === '^') {
    negated = true
    index += 1
  }
  const ranges: Range[] = []
  let first = true
  for (;;) {
    const char = chars[index]
    if (char === undefined) return undefined
    if (char === ']' && !first) break
    first = false
    if (char === '[' && chars[index + 1] === ':') {
      // Class names are short: look no further than the longest, so parsing stays linear.
      const close = chars.slice(index + 2, index + 10).indexOf(']') + index + 2
      const name = chars.slice(index + 2, close - 1).join('')
      const named = Object.hasOwn(ASCII_CLASSES, name) ? ASCII_CLASSES[name] : undefined
      if (close > index + 2 && chars[close - 1] === ':' && named !== undefined) {
        ranges.push(...named)
        index = close + 1
        continue
      }
    }
    let low = char
    if (low === '\\' && chars[index + 1] !== undefined) {
      index += 1
      low = chars[index] ?? low
    }
    index += 1
    let high = low
    if (chars[index] === '-' && chars[index + 1] !== undefined && chars[index + 1] !== ']') {
      index += 1
      high = chars[index] ?? high
      if (high === '\\' && chars[index + 1] !== undefined) {
        index += 1
        high = chars[index] ?? high
      }
      index += 1
    }
    ranges.push([low.codePointAt(0) ?? 0, high.codePointAt(0) ?? 0])
  }
  return { node: { kind: 'class', negated, ranges }, end: index + 1 }
}
