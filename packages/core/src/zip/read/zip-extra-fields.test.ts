import { describe, expect, it } from 'vitest'

import { extraField } from '../../../test/helpers/build-raw-zip.js'
import {
  findMetadataExtraFieldProblem,
  formatHex16,
  parseExtraFields,
  readZip64Value,
  zip64FieldReader,
} from './zip-extra-fields.js'

function thrown(run: () => unknown): { code: string; message: string } {
  try {
    run()
  } catch (error) {
    return error as { code: string; message: string }
  }
  throw new Error('expected a throw')
}

describe('parseExtraFields', () => {
  it('splits a block into fields by id', () => {
    const block = Buffer.concat([
      extraField(0x0001, Buffer.from([1, 2])),
      extraField(0x000d, Buffer.from([3])),
      extraField(0x7075, Buffer.alloc(0)),
    ])
    const { fields } = parseExtraFields(block)
    expect([...(fields ?? [])].map(([id, data]) => [id, [...data]])).toEqual([
      [0x0001, [1, 2]],
      [0x000d, [3]],
      [0x7075, []],
    ])
    expect(parseExtraFields(Buffer.alloc(0)).fields?.size).toBe(0)
  })

  it('accepts up to three zero bytes after the last field, and nothing else', () => {
    const field = extraField(0x0001, Buffer.from([1]))
    const padded = parseExtraFields(Buffer.concat([field, Buffer.alloc(3)]))
    expect(padded.fields?.size).toBe(1)
    expect(parseExtraFields(Buffer.concat([field, Buffer.from([0, 7, 0])]))).toEqual({
      malformed: '3 stray bytes follow its last extra field',
    })
  })

  it('refuses a field running past the block, and an id given twice', () => {
    const field = extraField(0x0001, Buffer.from([1, 2]))
    expect(parseExtraFields(Buffer.concat([field, field.subarray(0, 5)]))).toEqual({
      malformed: "its extra field 0x0001 at byte 6 of the block runs past the block's 11 bytes",
    })
    expect(parseExtraFields(Buffer.concat([field, field]))).toEqual({
      malformed: 'extra field 0x0001 appears twice',
    })
  })
})

describe('formatHex16', () => {
  it('prints 4 lowercase hex digits', () => {
    expect(formatHex16(0xab)).toBe('0x00ab')
    expect(formatHex16(0x7075)).toBe('0x7075')
  })
})

describe('zip64FieldReader', () => {
  it('reads 8-byte values, then a 4-byte one, in order', () => {
    const data = Buffer.alloc(20)
    data.writeBigUInt64LE(5n, 0)
    data.writeBigUInt64LE(7n, 8)
    data.writeUInt32LE(9, 16)
    const next = zip64FieldReader(data, 'a', 'central directory')
    expect([next('uncompressed size'), next('compressed size'), next('disk', 4)]).toEqual([5, 7, 9])
  })

  it('refuses a missing field, or one too short for the next value', () => {
    expect(
      thrown(() => zip64FieldReader(undefined, 'a', 'local header')('compressed size')),
    ).toMatchObject({
      code: 'ZIP_HEADER_MISMATCH',
      message:
        'Entry "a" marks its compressed size as ZIP64 in the local header, but its ZIP64 extra field is missing.',
    })
    const next = zip64FieldReader(Buffer.alloc(11), 'a', 'central directory')
    expect(next('uncompressed size')).toBe(0)
    expect(thrown(() => next('starting disk number', 4))).toMatchObject({
      code: 'ZIP_HEADER_MISMATCH',
      message:
        'Entry "a" marks its starting disk number as ZIP64 in the central directory, but its ZIP64 extra field is too short.',
    })
  })
})

describe('readZip64Value', () => {
  it('reads values up to 2^53 - 1 and refuses larger ones', () => {
    const data = Buffer.alloc(8)
    data.writeBigUInt64LE(BigInt(Number.MAX_SAFE_INTEGER), 0)
    expect(readZip64Value(data, 0, 'the size')).toBe(Number.MAX_SAFE_INTEGER)
    data.writeBigUInt64LE(BigInt(Number.MAX_SAFE_INTEGER) + 1n, 0)
    expect(thrown(() => readZip64Value(data, 0, 'the size'))).toMatchObject({
      code: 'ZIP_UNSUPPORTED',
      message:
        'This zip cannot be read: the size is 9007199254740992, beyond what can be addressed (2^53).',
    })
  })
})

describe('findMetadataExtraFieldProblem', () => {
  it('names each host metadata field unzip checks', () => {
    const labels: [number, string][] = [
      [0x0009, 'OS/2 extended attributes'],
      [0x334d, 'Macintosh attributes'],
      [0x4453, 'NT security descriptor'],
      [0x4c41, 'access control list'],
      [0x6542, 'BeOS attributes'],
      [0x7441, 'AtheOS attributes'],
    ]
    for (const [id, label] of labels) {
      expect(
        findMetadataExtraFieldProblem(new Map([[id, Buffer.alloc(0)]]), 'local header'),
      ).toEqual({
        code: 'ZIP_UNSUPPORTED',
        reason: `has a ${label} extra field (${formatHex16(id)}) in the local header, which unzip inflates and checks and this reader cannot; expected no such field`,
      })
    }
    expect(
      findMetadataExtraFieldProblem(new Map([[0x5455, Buffer.alloc(5)]]), 'local header'),
    ).toBeUndefined()
  })
})
