import { describe, expect, it } from 'vitest'

import {
  ASI_UNIX_EXTRA_FIELD_ID,
  PKWARE_UNIX_EXTRA_FIELD_ID,
  findUnixExtraFieldProblem,
} from './zip-unix-extra-fields.js'

const where = 'central directory'
const pkware = (length: number): Map<number, Buffer> =>
  new Map([[PKWARE_UNIX_EXTRA_FIELD_ID, Buffer.alloc(length)]])
/** An ASi field of `length` bytes whose mode field holds `mode`. */
function asi(length: number, mode = 0): Map<number, Buffer> {
  const data = Buffer.alloc(length)
  if (length >= 6) data.writeUInt16LE(mode, 4)
  return new Map([[ASI_UNIX_EXTRA_FIELD_ID, data]])
}

describe('findUnixExtraFieldProblem', () => {
  it('accepts no Unix field, and fields of exactly their fixed size', () => {
    expect(findUnixExtraFieldProblem(new Map(), 'file', where)).toBeUndefined()
    expect(findUnixExtraFieldProblem(pkware(12), 'file', where)).toBeUndefined()
    expect(findUnixExtraFieldProblem(asi(14), 'file', where)).toBeUndefined()
  })

  it('refuses a PKWARE field too short, or carrying a link target', () => {
    expect(findUnixExtraFieldProblem(pkware(11), 'file', where)).toEqual({
      code: 'ZIP_HEADER_MISMATCH',
      reason:
        'has a 11-byte PKWARE Unix extra field (0x000d) in the central directory; expected at least 12 bytes',
    })
    expect(findUnixExtraFieldProblem(pkware(13), 'symlink', 'local header')).toEqual({
      code: 'ZIP_ENTRY_LINK_TARGET_AMBIGUOUS',
      reason:
        "has a PKWARE Unix extra field (0x000d) in the local header carrying 1 bytes of link target or device data; a link target may only be the entry's own data",
    })
  })

  it('refuses an ASi field too short, carrying a link target, or giving another type', () => {
    expect(findUnixExtraFieldProblem(asi(13), 'file', where)).toEqual({
      code: 'ZIP_HEADER_MISMATCH',
      reason:
        'has a 13-byte ASi Unix extra field (0x756e) in the central directory; expected at least 14 bytes',
    })
    expect(findUnixExtraFieldProblem(asi(16), 'file', where)?.reason).toBe(
      "has a ASi Unix extra field (0x756e) in the central directory carrying 2 bytes of link target or device data; a link target may only be the entry's own data",
    )
    // Types of fewer than six octal digits are padded with zeros.
    expect(findUnixExtraFieldProblem(asi(14, 0o010644), 'file', where)?.reason).toContain(
      'gives file type 0o010000;',
    )
    expect(findUnixExtraFieldProblem(asi(14, 0o120777), 'file', where)).toEqual({
      code: 'ZIP_ENTRY_TYPE_CONFLICT',
      reason:
        'is a file, but its ASi Unix extra field (0x756e) in the central directory gives file type 0o120000; expected the types to agree',
    })
  })

  it('accepts an ASi type that agrees with the kind, after a well-formed PKWARE field', () => {
    const fields = new Map([...pkware(12), ...asi(14, 0o40755)])
    expect(findUnixExtraFieldProblem(fields, 'directory', where)).toBeUndefined()
    expect(findUnixExtraFieldProblem(fields, 'file', where)?.code).toBe('ZIP_ENTRY_TYPE_CONFLICT')
    expect(findUnixExtraFieldProblem(asi(14, 0o100644), 'file', where)).toBeUndefined()
    expect(findUnixExtraFieldProblem(asi(14, 0o120777), 'symlink', where)).toBeUndefined()
    // Permission bits alone are no type.
    expect(findUnixExtraFieldProblem(asi(14, 0o644), 'symlink', where)).toBeUndefined()
  })
})
