/**
 * Quotes user input for an error message: cut to `max` characters and written
 * as a JSON string with every character outside printable ASCII escaped, so a
 * message stays one safe line whatever the input held.
 */
export function quote(value: string, max = 200): string {
  const text = value.length > max ? `${value.slice(0, max)}...` : value
  return JSON.stringify(text).replace(
    /[^\x20-\x7e]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}
