import { describe, expect, it } from 'vitest'
import {
  type ZipEntryRecord,
  UINT32_LIMIT,
  encodeCentralDirectoryHeader,
  encodeDataDescriptor,
  encodeEndOfCentralDirectory,
  encodeLocalFileHeader,
} from './zip-records.js'

const when = { date: 0x5821, time: 0x6000 }

function record(overrides: Partial<ZipEntryRecord> = {}): ZipEntryRecord {
  return {
    name: Buffer.from('dir/file.txt'),
    isDirectory: false,
    method: 8,
    dataDescriptor: false,
    zip64Local: false,
    externalAttributes: (0o100644 << 16) >>> 0,
    crc32: 0xdeadbeef,
    compressedSize: 1234,
    uncompressedSize: 5678,
    localHeaderOffset: 42,
    ...overrides,
  }
}

describe('encodeLocalFileHeader', () => {
  it('writes the fixed fields, the name, and no extra field', () => {
    const header = encodeLocalFileHeader(record(), when)
    expect(header.length).toBe(30 + 12)
    expect(header.readUInt32LE(0)).toBe(0x04034b50)
    expect(header.readUInt16LE(4)).toBe(20)
    expect(header.readUInt16LE(6)).toBe(0)
    expect(header.readUInt16LE(8)).toBe(8)
    expect(header.readUInt16LE(10)).toBe(when.time)
    expect(header.readUInt16LE(12)).toBe(when.date)
    expect(header.readUInt32LE(14)).toBe(0xdeadbeef)
    expect(header.readUInt32LE(18)).toBe(1234)
    expect(header.readUInt32LE(22)).toBe(5678)
    expect(header.readUInt16LE(28)).toBe(0)
    expect(header.subarray(30).toString()).toBe('dir/file.txt')
  })

  it('sets the UTF-8 flag only for names outside ASCII', () => {
    const header = encodeLocalFileHeader(record({ name: Buffer.from('é.txt') }), when)
    expect(header.readUInt16LE(6)).toBe(0x0800)
  })

  it('zeroes CRC and sizes and sets bit 3 when a data descriptor follows', () => {
    const header = encodeLocalFileHeader(record({ dataDescriptor: true }), when)
    expect(header.readUInt16LE(6)).toBe(0x0008)
    expect([header.readUInt32LE(14), header.readUInt32LE(18), header.readUInt32LE(22)]).toEqual([
      0, 0, 0,
    ])
  })

  it('carries a ZIP64 extra field with both sizes for large streamed entries', () => {
    const header = encodeLocalFileHeader(
      record({ dataDescriptor: true, zip64Local: true, uncompressedSize: 6e9 }),
      when,
    )
    expect(header.readUInt16LE(4)).toBe(45)
    expect(header.readUInt32LE(18)).toBe(UINT32_LIMIT)
    expect(header.readUInt32LE(22)).toBe(UINT32_LIMIT)
    expect(header.readUInt16LE(28)).toBe(20)
    const extra = header.subarray(30 + 12)
    expect(extra.readUInt16LE(0)).toBe(0x0001)
    expect(extra.readUInt16LE(2)).toBe(16)
    expect(extra.readBigUInt64LE(4)).toBe(0n)
    expect(extra.readBigUInt64LE(12)).toBe(0n)
  })
})

describe('encodeDataDescriptor', () => {
  it('writes signature, CRC and 4-byte sizes', () => {
    const descriptor = encodeDataDescriptor(record())
    expect(descriptor.length).toBe(16)
    expect(descriptor.readUInt32LE(0)).toBe(0x08074b50)
    expect(descriptor.readUInt32LE(4)).toBe(0xdeadbeef)
    expect(descriptor.readUInt32LE(8)).toBe(1234)
    expect(descriptor.readUInt32LE(12)).toBe(5678)
  })

  it('writes 8-byte sizes for ZIP64 entries', () => {
    const descriptor = encodeDataDescriptor(
      record({ zip64Local: true, compressedSize: 5e9, uncompressedSize: 7e9 }),
    )
    expect(descriptor.length).toBe(24)
    expect(descriptor.readBigUInt64LE(8)).toBe(5_000_000_000n)
    expect(descriptor.readBigUInt64LE(16)).toBe(7_000_000_000n)
  })
})

describe('encodeCentralDirectoryHeader', () => {
  it('writes made-by Unix, st_mode attributes, no extra field and no comment', () => {
    const header = encodeCentralDirectoryHeader(record(), when)
    expect(header.length).toBe(46 + 12)
    expect(header.readUInt32LE(0)).toBe(0x02014b50)
    expect(header.readUInt8(5)).toBe(3)
    expect(header.readUInt16LE(6)).toBe(20)
    expect(header.readUInt32LE(16)).toBe(0xdeadbeef)
    expect(header.readUInt32LE(20)).toBe(1234)
    expect(header.readUInt32LE(24)).toBe(5678)
    expect(header.readUInt16LE(30)).toBe(0)
    expect(header.readUInt16LE(32)).toBe(0)
    expect(header.readUInt32LE(38) >>> 16).toBe(0o100644)
    expect(header.readUInt32LE(42)).toBe(42)
  })

  it('moves sizes and offset that do not fit 32 bits into a ZIP64 field, in APPNOTE order', () => {
    const header = encodeCentralDirectoryHeader(
      record({ uncompressedSize: 7e9, compressedSize: 6e9, localHeaderOffset: 5e9 }),
      when,
    )
    expect(header.readUInt16LE(6)).toBe(45)
    expect(header.readUInt32LE(20)).toBe(UINT32_LIMIT)
    expect(header.readUInt32LE(24)).toBe(UINT32_LIMIT)
    expect(header.readUInt32LE(42)).toBe(UINT32_LIMIT)
    const extra = header.subarray(46 + 12)
    expect(extra.readUInt16LE(0)).toBe(1)
    expect(extra.readUInt16LE(2)).toBe(24)
    expect(extra.readBigUInt64LE(4)).toBe(7_000_000_000n)
    expect(extra.readBigUInt64LE(12)).toBe(6_000_000_000n)
    expect(extra.readBigUInt64LE(20)).toBe(5_000_000_000n)
  })

  it('includes only the fields that overflow', () => {
    const header = encodeCentralDirectoryHeader(record({ localHeaderOffset: UINT32_LIMIT }), when)
    expect(header.readUInt32LE(20)).toBe(1234)
    expect(header.readUInt16LE(30)).toBe(12)
    expect(header.readBigUInt64LE(46 + 12 + 4)).toBe(BigInt(UINT32_LIMIT))
  })
})

describe('encodeEndOfCentralDirectory', () => {
  it('writes only the classic record when everything fits', () => {
    const end = encodeEndOfCentralDirectory({ entryCount: 3, size: 200, offset: 1000 })
    expect(end.length).toBe(22)
    expect(end.readUInt32LE(0)).toBe(0x06054b50)
    expect(end.readUInt16LE(8)).toBe(3)
    expect(end.readUInt16LE(10)).toBe(3)
    expect(end.readUInt32LE(12)).toBe(200)
    expect(end.readUInt32LE(16)).toBe(1000)
    expect(end.readUInt16LE(20)).toBe(0)
  })

  it('adds the ZIP64 record and locator for 65,535 entries or more', () => {
    const end = encodeEndOfCentralDirectory({ entryCount: 70_000, size: 5e6, offset: 9e9 })
    expect(end.length).toBe(56 + 20 + 22)
    expect(end.readUInt32LE(0)).toBe(0x06064b50)
    expect(end.readBigUInt64LE(4)).toBe(44n)
    expect(end.readBigUInt64LE(24)).toBe(70_000n)
    expect(end.readBigUInt64LE(32)).toBe(70_000n)
    expect(end.readBigUInt64LE(40)).toBe(5_000_000n)
    expect(end.readBigUInt64LE(48)).toBe(9_000_000_000n)
    expect(end.readUInt32LE(56)).toBe(0x07064b50)
    expect(end.readBigUInt64LE(56 + 8)).toBe(9_005_000_000n)
    expect(end.readUInt32LE(56 + 16)).toBe(1)
    const classic = end.subarray(76)
    expect(classic.readUInt16LE(8)).toBe(0xffff)
    expect(classic.readUInt32LE(12)).toBe(5_000_000)
    expect(classic.readUInt32LE(16)).toBe(UINT32_LIMIT)
  })
})
