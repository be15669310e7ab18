import { describe, expect, it } from 'vitest'
import { quoteInput } from '../errors.js'
import { escapeControlCharacters, findControlCharacter } from './control-characters.js'

/** Names an attacker would use to rewrite a terminal line or reorder what a reader sees. */
const HOSTILE = [
  ['ESC[2K (erase the line)', 'a\u001b[2Kb', '\\u001b'],
  ['CSI (U+009B)', 'a\u009b2Kb', '\\u009b'],
  ['RLO (U+202E)', 'a\u202etxt.exe', '\\u202e'],
  ['a newline', 'a\nverdict: valid', '\\n'],
  ['a carriage return', 'a\rb', '\\r'],
  ['DEL', 'a\u007fb', '\\u007f'],
  ['NEL (U+0085)', 'a\u0085b', '\\u0085'],
  ['ALM (U+061C)', 'a\u061cb', '\\u061c'],
  ['LRI (U+2066)', 'a\u2066b', '\\u2066'],
  ['LINE SEPARATOR (U+2028)', 'a\u2028b', '\\u2028'],
] as const

// Anything left that a terminal or a bidi renderer acts on.
const RAW_CONTROL = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/u

describe('quoteInput', () => {
  it.each(HOSTILE)('escapes %s, and the quote still reads back as JSON', (_, text, escape) => {
    const quoted = quoteInput(text)
    expect(quoted).not.toMatch(RAW_CONTROL)
    expect(quoted).toContain(escape)
    expect(JSON.parse(quoted)).toBe(text)
  })

  it('leaves ordinary text, accents and other scripts as they are', () => {
    expect(quoteInput('dir/café-日本.txt')).toBe('"dir/café-日本.txt"')
  })
})

describe('findControlCharacter', () => {
  it.each(HOSTILE)('finds %s', (_, text) => {
    expect(findControlCharacter(text)).toMatch(/^U\+[0-9A-F]{4}$/)
  })

  it('names the first one as U+XXXX, and finds none in printable text', () => {
    expect(findControlCharacter('x\u202ey\u001b')).toBe('U+202E')
    expect(findControlCharacter('plain – “quoted” é\u00a0')).toBeUndefined()
  })
})

describe('escapeControlCharacters', () => {
  it('turns every control character into a JSON escape and keeps the rest', () => {
    expect(escapeControlCharacters('a\u001b[2K\u009b\u202e\nb')).toBe(
      'a\\u001b[2K\\u009b\\u202e\\u000ab',
    )
  })
})
