import { describe, expect, it } from 'vitest'

import { decodeZipEntryName, resolveUnicodePath } from './zip-entry-name.js'

const FLAG_UTF8 = 0x0800

/** The data of an Info-ZIP Unicode Path field: version, a CRC-32 (never checked) and `name`. */
function unicodePath(name: string | Uint8Array, version = 1): Buffer {
  const header = Buffer.alloc(5)
  header.writeUInt8(version, 0)
  return Buffer.concat([header, Buffer.from(name)])
}

function resolve(raw: Uint8Array, flags: number, field: Buffer | undefined) {
  return resolveUnicodePath(raw, flags, decodeZipEntryName(raw, flags), field, 'local header')
}

describe('decodeZipEntryName', () => {
  it('copies ASCII names whatever the flags, even from a view into a larger buffer', () => {
    const block = Buffer.from('xxdir/a.txtyy')
    const raw = block.subarray(2, 11)
    expect(decodeZipEntryName(raw, 0)).toEqual({ name: 'dir/a.txt', invalidUtf8: false })
    expect(decodeZipEntryName(raw, FLAG_UTF8)).toEqual({ name: 'dir/a.txt', invalidUtf8: false })
  })

  it('reads flagged names as UTF-8, marking invalid ones and keeping a leading BOM', () => {
    expect(decodeZipEntryName(Buffer.from('\ufeffé'), FLAG_UTF8)).toEqual({
      name: '\ufeffé',
      invalidUtf8: false,
    })
    expect(decodeZipEntryName(Buffer.from([0x61, 0xff]), FLAG_UTF8)).toEqual({
      name: 'a\ufffd',
      invalidUtf8: true,
    })
  })

  it('reads unflagged names as UTF-8 when they are, else as CP437 legacy bytes', () => {
    expect(decodeZipEntryName(Buffer.from('é'), 0)).toEqual({ name: 'é', invalidUtf8: false })
    expect(decodeZipEntryName(Buffer.from([0x61, 0x80, 0x9e, 0xe0, 0xff]), 0)).toEqual({
      name: 'aÇ₧α\u00a0',
      invalidUtf8: false,
      legacyBytes: true,
    })
  })
})

describe('resolveUnicodePath', () => {
  it('keeps the stored name without a field, unless it is legacy bytes', () => {
    expect(resolve(Buffer.from('a'), 0, undefined)).toEqual({ name: 'a' })
    expect(resolve(Buffer.from([0x80]), 0, undefined)).toEqual({
      problem:
        'has a name that is neither ASCII nor flagged UTF-8 nor valid UTF-8, and no Info-ZIP Unicode Path field in the local header spells it: unzip keeps the raw bytes, Python decodes them as CP437 and Java refuses them; expected a UTF-8 name with general-purpose flag bit 11',
    })
  })

  it('refuses a malformed field, saying its length and version', () => {
    expect(resolve(Buffer.from('a'), 0, unicodePath('a', 2))).toEqual({
      problem:
        'has a malformed Info-ZIP Unicode Path extra field (0x7075) in the local header (6 bytes, version 2); expected version 1 with a CRC-32 and a UTF-8 name',
    })
    expect(resolve(Buffer.from('a'), 0, Buffer.from([1, 0, 0, 0]))).toEqual({
      problem:
        'has a malformed Info-ZIP Unicode Path extra field (0x7075) in the local header (4 bytes, version 1); expected version 1 with a CRC-32 and a UTF-8 name',
    })
    expect(resolve(Buffer.from('a'), 0, Buffer.alloc(0))).toEqual({
      problem:
        'has a malformed Info-ZIP Unicode Path extra field (0x7075) in the local header (0 bytes, version missing); expected version 1 with a CRC-32 and a UTF-8 name',
    })
    // Five bytes are a field naming the empty string.
    expect(resolve(Buffer.from('a'), 0, unicodePath('')).problem).toMatch(/naming it ""/)
  })

  it('refuses a field whose name is not UTF-8', () => {
    expect(resolve(Buffer.from('a'), 0, unicodePath(Buffer.from([0xff])))).toEqual({
      problem:
        'has an Info-ZIP Unicode Path extra field (0x7075) in the local header whose name is not valid UTF-8',
    })
  })

  it('accepts a field that repeats the stored name, or a spelling of its bytes', () => {
    expect(resolve(Buffer.from('a'), 0, unicodePath('a'))).toEqual({ name: 'a' })
    const legacy = Buffer.from([0x80])
    expect(resolve(legacy, 0, unicodePath('Ç'))).toEqual({ name: 'Ç' })
    const utf8 = Buffer.from('é')
    expect(resolve(utf8, 0, unicodePath('é'))).toEqual({ name: 'é' })
    // The CP437 spelling of UTF-8 bytes is one of their spellings too, when not flagged.
    expect(resolve(utf8, 0, unicodePath('├⌐'))).toEqual({ name: '├⌐' })
    expect(resolve(utf8, FLAG_UTF8, unicodePath('├⌐')).problem).toMatch(/naming it "├⌐"/)
  })

  it('refuses a field naming anything else, quoting that name', () => {
    expect(resolve(Buffer.from('a'), 0, unicodePath('b'))).toEqual({
      problem:
        'has an Info-ZIP Unicode Path extra field (0x7075) in the local header naming it "b"; extractors disagree on which of the two names to use, expected the field to repeat the stored name or to be absent',
    })
    // An ASCII name has one spelling only: Ç is no spelling of "a".
    expect(resolve(Buffer.from('a'), 0, unicodePath('Ç')).problem).toMatch(/naming it "Ç"/)
  })
})
