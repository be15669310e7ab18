/**
 * Characters that change how text is shown rather than what it says: C0
 * controls, DEL and C1 controls (Unicode category Cc, which includes ESC and
 * CSI), the bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E,
 * U+2066–U+2069) and the line and paragraph separators U+2028 and U+2029.
 * Printed raw, they can erase or rewrite a terminal line, or reorder what a
 * reader sees.
 */
const CONTROL_CHARACTER = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/u
const CONTROL_CHARACTERS = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/gu

/** The first control character of `text` written as `U+001B`, or undefined when it has none. */
export function findControlCharacter(text: string): string | undefined {
  const found = CONTROL_CHARACTER.exec(text)
  return found === null ? undefined : unicodeName(found[0])
}

/**
 * Replaces every control character of `text` with its JSON escape (`\u001b`),
 * so that the text prints as one inert line whatever it holds.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, jsonEscape)
}

function unicodeName(character: string): string {
  return `U+${hex(character)}`
}

function jsonEscape(character: string): string {
  return `\\u${hex(character).toLowerCase()}`
}

function hex(character: string): string {
  return character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')
}
