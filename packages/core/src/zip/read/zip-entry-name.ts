import { Buffer, isAscii as isAsciiBytes } from 'node:buffer'

import { quoteInput } from '../../errors.js'
import { FLAG_UTF8 } from '../zip-constants.js'

/** Info-ZIP Unicode Path extra field: version, CRC-32 of the stored name, UTF-8 name. */
export const UNICODE_PATH_EXTRA_FIELD_ID = 0x7075

// Code page 437, bytes 0x80..0xFF: the encoding of names without the UTF-8 flag.
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0'

// ignoreBOM keeps a leading U+FEFF in the name instead of silently dropping it.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const lenientUtf8 = new TextDecoder('utf-8', { ignoreBOM: true })

export interface DecodedZipEntryName {
  readonly name: string
  /** Set when the name claims UTF-8 but its bytes are not valid UTF-8. */
  readonly invalidUtf8: boolean
  /**
   * Set when the name is neither ASCII, nor flagged UTF-8, nor valid UTF-8, so
   * it was decoded as CP437: extractors then spell it differently (unzip keeps
   * the raw bytes, Python decodes CP437, Java refuses it).
   */
  readonly legacyBytes?: boolean
}

/**
 * Decodes a stored entry name: UTF-8 when flag bit 11 is set; otherwise the
 * bytes as UTF-8 when they are valid UTF-8 (what most tools write), else CP437.
 * The Unicode Path extra field is judged separately ({@link resolveUnicodePath}).
 */
export function decodeZipEntryName(raw: Uint8Array, flags: number): DecodedZipEntryName {
  // ASCII reads the same in UTF-8 and CP437, and is copied out without a decoder.
  if (isAscii(raw)) return { name: asciiText(raw), invalidUtf8: false }
  if ((flags & FLAG_UTF8) !== 0) return decodeUtf8(raw)
  const utf8 = decodeStrictUtf8(raw)
  return utf8 === undefined
    ? { name: decodeCp437(raw), invalidUtf8: false, legacyBytes: true }
    : { name: utf8, invalidUtf8: false }
}

/** The name an entry goes by, or why its Info-ZIP Unicode Path field makes that unclear. */
export type ResolvedZipEntryName =
  | { readonly name: string; readonly problem?: undefined }
  | { readonly name?: undefined; readonly problem: string }

/**
 * Judges an Info-ZIP Unicode Path extra field (0x7075) against the stored
 * name. Info-ZIP `unzip` and 7-Zip use the field's name when its CRC matches
 * the stored name, libarchive whenever it is present, Java and older Python
 * never: so the field is accepted only when its name is one the stored bytes
 * already decode to (UTF-8 or CP437 for a name without the UTF-8 flag), and
 * then that name is used. A field that names anything else, even for an ASCII
 * name and whatever its CRC, or a malformed field, is a problem (`where` says
 * which header holds it). A name of legacy bytes (see `legacyBytes`) is
 * accepted only with a field that spells its CP437 decoding, which unzip,
 * libarchive and Python then all use.
 *
 * Deliberately accepted: a name without the UTF-8 flag whose bytes are valid
 * UTF-8 (what macOS and many tools write) is read as UTF-8, as unzip, Java and
 * libarchive do on a UTF-8 system; Python spells it in CP437 instead, but
 * with the same `/` and `.` characters, so the same paths are safe.
 */
export function resolveUnicodePath(
  raw: Uint8Array,
  flags: number,
  stored: DecodedZipEntryName,
  field: Buffer | undefined,
  where: string,
): ResolvedZipEntryName {
  const decoded = stored.name
  if (field === undefined) {
    if (stored.legacyBytes !== true) return { name: decoded }
    return {
      problem: `has a name that is neither ASCII nor flagged UTF-8 nor valid UTF-8, and no Info-ZIP Unicode Path field in the ${where} spells it: unzip keeps the raw bytes, Python decodes them as CP437 and Java refuses them; expected a UTF-8 name with general-purpose flag bit 11`,
    }
  }
  const label = `Info-ZIP Unicode Path extra field (0x7075) in the ${where}`
  if (field.length < 5 || field[0] !== 1) {
    return {
      problem: `has a malformed ${label} (${field.length} bytes, version ${field[0] ?? 'missing'}); expected version 1 with a CRC-32 and a UTF-8 name`,
    }
  }
  const named = decodeStrictUtf8(field.subarray(5))
  if (named === undefined) return { problem: `has an ${label} whose name is not valid UTF-8` }
  const candidates =
    (flags & FLAG_UTF8) !== 0 || isAscii(raw)
      ? [decoded]
      : [decoded, decodeCp437(raw), decodeStrictUtf8(raw)]
  if (candidates.includes(named)) return { name: named }
  return {
    problem: `has an ${label} naming it ${quoteInput(named)}; extractors disagree on which of the two names to use, expected the field to repeat the stored name or to be absent`,
  }
}

function isAscii(raw: Uint8Array): boolean {
  return isAsciiBytes(raw)
}

function asciiText(raw: Uint8Array): string {
  return Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('latin1')
}

function decodeStrictUtf8(raw: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(raw)
  } catch {
    return undefined
  }
}

function decodeCp437(raw: Uint8Array): string {
  let name = ''
  for (const byte of raw) name += byte < 0x80 ? String.fromCharCode(byte) : CP437_HIGH[byte - 0x80]
  return name
}

function decodeUtf8(raw: Uint8Array): DecodedZipEntryName {
  const name = decodeStrictUtf8(raw)
  return name === undefined
    ? { name: lenientUtf8.decode(raw), invalidUtf8: true }
    : { name, invalidUtf8: false }
}
