import { describe, expect, it } from 'vitest'
import {
  type ZipEntryRecord,
  UINT16_LIMIT,
  UINT32_LIMIT,
  encodeCentralDirectoryHeader,
  encodeDataDescriptor,
  encodeEndOfCentralDirectory,
  encodeLocalFileHeader,
} from './zip-records.js'

const when = { date: 0x5a2c, time: 0x8d51 }

function record(overrides: Partial<ZipEntryRecord> = {}): ZipEntryRecord {
  return {
    name: Buffer.from('a/b.bin'),
    isDirectory: false,
    method: 0,
    dataDescriptor: false,
    zip64Local: false,
    externalAttributes: (0o100755 << 16) >>> 0,
    crc32: 0x0badf00d,
    compressedSize: 300,
    uncompressedSize: 300,
    localHeaderOffset: 1000,
    ...overrides,
  }
}

/** "Version needed to extract" of the local header and of the central header. */
function versions(overrides: Partial<ZipEntryRecord>): [number, number] {
  const entry = record(overrides)
  return [
    encodeLocalFileHeader(entry, when).readUInt16LE(4),
    encodeCentralDirectoryHeader(entry, when).readUInt16LE(6),
  ]
}

describe('version needed to extract', () => {
  it('is 1.0 for a stored file, 2.0 for a deflated file or a folder', () => {
    expect(versions({})).toEqual([10, 10])
    expect(versions({ method: 8 })).toEqual([20, 20])
    expect(versions({ isDirectory: true, name: Buffer.from('a/') })).toEqual([20, 20])
  })

  it('is 4.5 once a size or the offset reaches 0xFFFFFFFF, or the local header has ZIP64 sizes', () => {
    const limit = UINT32_LIMIT
    expect(versions({ uncompressedSize: limit - 1, compressedSize: limit - 1 })).toEqual([10, 10])
    expect(versions({ localHeaderOffset: limit - 1 })).toEqual([10, 10])
    expect(versions({ uncompressedSize: limit })).toEqual([45, 45])
    expect(versions({ compressedSize: limit })).toEqual([45, 45])
    expect(versions({ localHeaderOffset: limit })).toEqual([45, 45])
    expect(versions({ zip64Local: true, dataDescriptor: true })).toEqual([45, 45])
  })
})

describe('general purpose flags', () => {
  it('set the UTF-8 bit for a byte above 0x7F only, and combine it with the descriptor bit', () => {
    const flags = (name: Buffer, dataDescriptor = false) => {
      const entry = record({ name, dataDescriptor })
      return [
        encodeLocalFileHeader(entry, when).readUInt16LE(6),
        encodeCentralDirectoryHeader(entry, when).readUInt16LE(8),
      ]
    }
    expect(flags(Buffer.from([0x61, 0x7f]))).toEqual([0, 0])
    expect(flags(Buffer.from([0x61, 0x80]))).toEqual([0x0800, 0x0800])
    expect(flags(Buffer.from('ü/x'), true)).toEqual([0x0808, 0x0808])
  })
})

describe('encodeLocalFileHeader', () => {
  it('keeps the CRC and puts both sizes in the ZIP64 field when they are known', () => {
    const header = encodeLocalFileHeader(
      record({ zip64Local: true, uncompressedSize: 6e9, compressedSize: 5e9 }),
      when,
    )
    expect(header.length).toBe(30 + 7 + 20)
    expect(header.readUInt16LE(6)).toBe(0)
    expect(header.readUInt16LE(8)).toBe(0)
    expect(header.readUInt16LE(10)).toBe(when.time)
    expect(header.readUInt16LE(12)).toBe(when.date)
    expect(header.readUInt32LE(14)).toBe(0x0badf00d)
    expect(header.readUInt32LE(18)).toBe(UINT32_LIMIT)
    expect(header.readUInt32LE(22)).toBe(UINT32_LIMIT)
    expect(header.readUInt16LE(26)).toBe(7)
    expect(header.readUInt16LE(28)).toBe(20)
    expect(header.subarray(30, 37).toString()).toBe('a/b.bin')
    expect(header.readUInt16LE(37)).toBe(1)
    expect(header.readUInt16LE(39)).toBe(16)
    expect(header.readBigUInt64LE(41)).toBe(6_000_000_000n)
    expect(header.readBigUInt64LE(49)).toBe(5_000_000_000n)
  })

  it('writes a stored entry without a descriptor with its sizes and nothing else', () => {
    const header = encodeLocalFileHeader(record(), when)
    expect([...header.subarray(0, 30)]).toEqual([
      ...[0x50, 0x4b, 0x03, 0x04],
      ...[10, 0],
      ...[0, 0],
      ...[0, 0],
      ...[0x51, 0x8d],
      ...[0x2c, 0x5a],
      ...[0x0d, 0xf0, 0xad, 0x0b],
      ...[44, 1, 0, 0],
      ...[44, 1, 0, 0],
      ...[7, 0],
      ...[0, 0],
    ])
  })
})

describe('encodeDataDescriptor', () => {
  it('writes the signature and CRC in the ZIP64 form too', () => {
    const descriptor = encodeDataDescriptor(
      record({ zip64Local: true, compressedSize: 7, uncompressedSize: 9 }),
    )
    expect(descriptor.readUInt32LE(0)).toBe(0x08074b50)
    expect(descriptor.readUInt32LE(4)).toBe(0x0badf00d)
    expect(descriptor.readBigUInt64LE(8)).toBe(7n)
    expect(descriptor.readBigUInt64LE(16)).toBe(9n)
  })
})

describe('encodeCentralDirectoryHeader', () => {
  it('writes every fixed field, then the name', () => {
    const header = encodeCentralDirectoryHeader(record({ method: 8, compressedSize: 120 }), when)
    expect(header.length).toBe(46 + 7)
    expect(header.readUInt16LE(4)).toBe((3 << 8) | 45)
    expect(header.readUInt16LE(6)).toBe(20)
    expect(header.readUInt16LE(8)).toBe(0)
    expect(header.readUInt16LE(10)).toBe(8)
    expect(header.readUInt16LE(12)).toBe(when.time)
    expect(header.readUInt16LE(14)).toBe(when.date)
    expect(header.readUInt32LE(16)).toBe(0x0badf00d)
    expect(header.readUInt32LE(20)).toBe(120)
    expect(header.readUInt32LE(24)).toBe(300)
    expect(header.readUInt16LE(28)).toBe(7)
    expect(header.readUInt16LE(30)).toBe(0)
    expect(header.readUInt16LE(32)).toBe(0)
    expect(header.readUInt16LE(34)).toBe(0)
    expect(header.readUInt16LE(36)).toBe(0)
    expect(header.readUInt32LE(38)).toBe((0o100755 << 16) >>> 0)
    expect(header.readUInt32LE(42)).toBe(1000)
    expect(header.subarray(46).toString()).toBe('a/b.bin')
  })

  it('keeps 0xFFFFFFFF - 1 in place and moves exactly 0xFFFFFFFF to the ZIP64 field', () => {
    const fits = encodeCentralDirectoryHeader(
      record({ uncompressedSize: UINT32_LIMIT - 1, compressedSize: UINT32_LIMIT - 1 }),
      when,
    )
    expect(fits.length).toBe(46 + 7)
    expect(fits.readUInt32LE(20)).toBe(UINT32_LIMIT - 1)
    const moved = encodeCentralDirectoryHeader(record({ compressedSize: UINT32_LIMIT }), when)
    expect(moved.readUInt32LE(20)).toBe(UINT32_LIMIT)
    expect(moved.readUInt32LE(24)).toBe(300)
    expect(moved.readUInt16LE(30)).toBe(12)
    expect(moved.length).toBe(46 + 7 + 12)
    expect(moved.readUInt16LE(46 + 7)).toBe(1)
    expect(moved.readUInt16LE(46 + 7 + 2)).toBe(8)
    expect(moved.readBigUInt64LE(46 + 7 + 4)).toBe(BigInt(UINT32_LIMIT))
  })
})

describe('encodeEndOfCentralDirectory', () => {
  const zip64Part = (location: { entryCount: number; size: number; offset: number }) =>
    encodeEndOfCentralDirectory(location).length === 56 + 20 + 22

  it('adds the ZIP64 records from 65,535 entries, or a size or offset of 0xFFFFFFFF', () => {
    expect(zip64Part({ entryCount: UINT16_LIMIT - 1, size: 10, offset: 10 })).toBe(false)
    expect(zip64Part({ entryCount: UINT16_LIMIT, size: 10, offset: 10 })).toBe(true)
    expect(zip64Part({ entryCount: 1, size: UINT32_LIMIT - 1, offset: 10 })).toBe(false)
    expect(zip64Part({ entryCount: 1, size: UINT32_LIMIT, offset: 10 })).toBe(true)
    expect(zip64Part({ entryCount: 1, size: 10, offset: UINT32_LIMIT - 1 })).toBe(false)
    expect(zip64Part({ entryCount: 1, size: 10, offset: UINT32_LIMIT })).toBe(true)
  })

  it('writes the ZIP64 record fields and caps the classic counts and sizes', () => {
    const end = encodeEndOfCentralDirectory({ entryCount: 5, size: 6e9, offset: 100 })
    expect(end.readUInt32LE(0)).toBe(0x06064b50)
    expect(end.readUInt16LE(12)).toBe((3 << 8) | 45)
    expect(end.readUInt16LE(14)).toBe(45)
    expect(end.readUInt32LE(16)).toBe(0)
    expect(end.readUInt32LE(20)).toBe(0)
    expect(end.readBigUInt64LE(24)).toBe(5n)
    expect(end.readBigUInt64LE(32)).toBe(5n)
    expect(end.readBigUInt64LE(40)).toBe(6_000_000_000n)
    expect(end.readBigUInt64LE(48)).toBe(100n)
    expect(end.readUInt32LE(56)).toBe(0x07064b50)
    expect(end.readUInt32LE(60)).toBe(0)
    expect(end.readBigUInt64LE(64)).toBe(6_000_000_100n)
    expect(end.readUInt32LE(72)).toBe(1)
    const classic = end.subarray(76)
    expect(classic.readUInt32LE(0)).toBe(0x06054b50)
    expect(classic.readUInt16LE(8)).toBe(5)
    expect(classic.readUInt16LE(10)).toBe(5)
    expect(classic.readUInt32LE(12)).toBe(UINT32_LIMIT)
    expect(classic.readUInt32LE(16)).toBe(100)
    expect(classic.readUInt16LE(20)).toBe(0)
  })

  it('writes entry counts of 65,535 and more as 0xFFFF in both classic fields', () => {
    const classic = encodeEndOfCentralDirectory({
      entryCount: 70_000,
      size: 10,
      offset: 10,
    }).subarray(76)
    expect(classic.readUInt16LE(8)).toBe(0xffff)
    expect(classic.readUInt16LE(10)).toBe(0xffff)
  })
})
