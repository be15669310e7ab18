import { crc32 } from 'node:zlib'

import { FLAG_UTF8 } from '../zip-constants.js'

/** Info-ZIP Unicode Path extra field: version, CRC-32 of the stored name, UTF-8 name. */
export const UNICODE_PATH_EXTRA_FIELD_ID = 0x7075

// Code page 437, bytes 0x80..0xFF: the encoding of names without the UTF-8 flag.
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0'

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })
const lenientUtf8 = new TextDecoder('utf-8')

export interface DecodedZipEntryName {
  readonly name: string
  /** Set when the name claims UTF-8 but its bytes are not valid UTF-8. */
  readonly invalidUtf8: boolean
}

/**
 * Decodes a stored entry name: UTF-8 when flag bit 11 is set; otherwise the
 * Info-ZIP Unicode Path extra field when it matches the stored name, else the
 * bytes as UTF-8 when they are valid UTF-8 (what most tools write), else CP437.
 */
export function decodeZipEntryName(
  raw: Uint8Array,
  flags: number,
  unicodePathExtra?: Uint8Array,
): DecodedZipEntryName {
  if ((flags & FLAG_UTF8) !== 0) return decodeUtf8(raw)
  if (raw.every((byte) => byte < 0x80))
    return { name: Buffer.from(raw).toString('latin1'), invalidUtf8: false }
  if (unicodePathExtra !== undefined && unicodePathExtra.length >= 5 && unicodePathExtra[0] === 1) {
    const view = Buffer.from(
      unicodePathExtra.buffer,
      unicodePathExtra.byteOffset,
      unicodePathExtra.length,
    )
    if (view.readUInt32LE(1) === crc32(raw)) {
      const decoded = decodeUtf8(view.subarray(5))
      if (!decoded.invalidUtf8) return decoded
    }
  }
  try {
    return { name: strictUtf8.decode(raw), invalidUtf8: false }
  } catch {
    let name = ''
    for (const byte of raw)
      name += byte < 0x80 ? String.fromCharCode(byte) : CP437_HIGH[byte - 0x80]
    return { name, invalidUtf8: false }
  }
}

function decodeUtf8(raw: Uint8Array): DecodedZipEntryName {
  try {
    return { name: strictUtf8.decode(raw), invalidUtf8: false }
  } catch {
    return { name: lenientUtf8.decode(raw), invalidUtf8: true }
  }
}
