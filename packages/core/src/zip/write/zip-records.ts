/**
 * Encoders for the zip records the writer emits (APPNOTE 6.3.x §4.3): local
 * file headers, data descriptors, central directory headers and the end of
 * central directory records, with ZIP64 fields where values need them.
 *
 * @module
 */
import { type DosDateTime } from './dos-date-time.js'
import {
  CENTRAL_DIRECTORY_HEADER_SIGNATURE,
  DATA_DESCRIPTOR_SIGNATURE,
  END_OF_CENTRAL_DIRECTORY_SIGNATURE,
  FLAG_DATA_DESCRIPTOR,
  FLAG_UTF8,
  LOCAL_FILE_HEADER_SIGNATURE,
  MADE_BY_UNIX,
  METHOD_DEFLATE,
  type METHOD_STORE,
  ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR_SIGNATURE,
  ZIP64_END_OF_CENTRAL_DIRECTORY_SIGNATURE,
  ZIP64_EXTRA_FIELD_ID,
} from '../zip-constants.js'

/** Largest value a 32-bit field holds; the value itself means "see the ZIP64 field". */
export const UINT32_LIMIT = 0xffffffff
/** Largest entry count a 16-bit field holds; the value itself means "see the ZIP64 record". */
export const UINT16_LIMIT = 0xffff

/** Spec version written as "version made by" (low byte): 4.5, the ZIP64 revision. */
const SPEC_VERSION = 45
const VERSION_STORE = 10
const VERSION_DEFLATE_OR_FOLDER = 20
const VERSION_ZIP64 = 45

/** Everything the headers of one entry say about it. */
export interface ZipEntryRecord {
  /** The entry name as stored (UTF-8 bytes; folders end with `/`). */
  readonly name: Buffer
  readonly isDirectory: boolean
  readonly method: typeof METHOD_STORE | typeof METHOD_DEFLATE
  /** Sizes and CRC follow the data in a data descriptor (general-purpose flag bit 3). */
  readonly dataDescriptor: boolean
  /** The local header and data descriptor carry ZIP64 sizes (large streamed entries). */
  readonly zip64Local: boolean
  /** `st_mode` in the high 16 bits, MS-DOS attributes in the low byte. */
  readonly externalAttributes: number
  crc32: number
  compressedSize: number
  uncompressedSize: number
  localHeaderOffset: number
}

/**
 * A zero-filled buffer for one record. Taken from Node's shared pool (one
 * 8 KiB slab serves many small records) rather than `Buffer.alloc`, which
 * makes one allocation of its own per record: a package of many small files
 * writes two records per entry, and those allocations left the process
 * holding tens of megabytes it no longer used.
 */
function zeroed(size: number): Buffer {
  return Buffer.allocUnsafe(size).fill(0)
}

/** True when the name has any byte outside ASCII, so flag bit 11 (UTF-8) is set. */
function isNonAscii(name: Buffer): boolean {
  for (const byte of name) if (byte > 0x7f) return true
  return false
}

function flagsFor(record: ZipEntryRecord): number {
  return (
    (isNonAscii(record.name) ? FLAG_UTF8 : 0) | (record.dataDescriptor ? FLAG_DATA_DESCRIPTOR : 0)
  )
}

/** The central directory needs ZIP64 fields for this entry (sizes or offset do not fit 32 bits). */
function centralNeedsZip64(record: ZipEntryRecord): boolean {
  return (
    record.uncompressedSize >= UINT32_LIMIT ||
    record.compressedSize >= UINT32_LIMIT ||
    record.localHeaderOffset >= UINT32_LIMIT
  )
}

function versionNeeded(record: ZipEntryRecord): number {
  if (record.zip64Local || centralNeedsZip64(record)) return VERSION_ZIP64
  if (record.isDirectory || record.method === METHOD_DEFLATE) return VERSION_DEFLATE_OR_FOLDER
  return VERSION_STORE
}

/** Encodes a local file header (§4.3.7), with a ZIP64 extra field when `zip64Local` is set. */
export function encodeLocalFileHeader(record: ZipEntryRecord, when: DosDateTime): Buffer {
  const extraLength = record.zip64Local ? 20 : 0
  const header = zeroed(30 + record.name.length + extraLength)
  header.writeUInt32LE(LOCAL_FILE_HEADER_SIGNATURE, 0)
  header.writeUInt16LE(versionNeeded(record), 4)
  header.writeUInt16LE(flagsFor(record), 6)
  header.writeUInt16LE(record.method, 8)
  header.writeUInt16LE(when.time, 10)
  header.writeUInt16LE(when.date, 12)
  if (record.zip64Local) {
    // Sizes live in the extra field; with a data descriptor they are zero here.
    header.writeUInt32LE(record.dataDescriptor ? 0 : record.crc32, 14)
    header.writeUInt32LE(UINT32_LIMIT, 18)
    header.writeUInt32LE(UINT32_LIMIT, 22)
  } else if (!record.dataDescriptor) {
    header.writeUInt32LE(record.crc32, 14)
    header.writeUInt32LE(record.compressedSize, 18)
    header.writeUInt32LE(record.uncompressedSize, 22)
  }
  header.writeUInt16LE(record.name.length, 26)
  header.writeUInt16LE(extraLength, 28)
  record.name.copy(header, 30)
  if (record.zip64Local) {
    const at = 30 + record.name.length
    header.writeUInt16LE(ZIP64_EXTRA_FIELD_ID, at)
    header.writeUInt16LE(16, at + 2)
    const known = !record.dataDescriptor
    header.writeBigUInt64LE(BigInt(known ? record.uncompressedSize : 0), at + 4)
    header.writeBigUInt64LE(BigInt(known ? record.compressedSize : 0), at + 12)
  }
  return header
}

/** Encodes a data descriptor (§4.3.9), with 8-byte sizes when the local header used ZIP64. */
export function encodeDataDescriptor(record: ZipEntryRecord): Buffer {
  if (record.zip64Local) {
    const descriptor = zeroed(24)
    descriptor.writeUInt32LE(DATA_DESCRIPTOR_SIGNATURE, 0)
    descriptor.writeUInt32LE(record.crc32, 4)
    descriptor.writeBigUInt64LE(BigInt(record.compressedSize), 8)
    descriptor.writeBigUInt64LE(BigInt(record.uncompressedSize), 16)
    return descriptor
  }
  const descriptor = zeroed(16)
  descriptor.writeUInt32LE(DATA_DESCRIPTOR_SIGNATURE, 0)
  descriptor.writeUInt32LE(record.crc32, 4)
  descriptor.writeUInt32LE(record.compressedSize, 8)
  descriptor.writeUInt32LE(record.uncompressedSize, 12)
  return descriptor
}

/**
 * Encodes a central directory header (§4.3.12). Values that do not fit 32
 * bits are written as 0xFFFFFFFF and carried, in APPNOTE order, in a ZIP64
 * extended information extra field; no other extra field and no comment.
 */
export function encodeCentralDirectoryHeader(record: ZipEntryRecord, when: DosDateTime): Buffer {
  const large: bigint[] = []
  const field = (value: number): number => {
    if (value < UINT32_LIMIT) return value
    large.push(BigInt(value))
    return UINT32_LIMIT
  }
  const uncompressed = field(record.uncompressedSize)
  const compressed = field(record.compressedSize)
  const offset = field(record.localHeaderOffset)
  const extraLength = large.length === 0 ? 0 : 4 + 8 * large.length
  const header = zeroed(46 + record.name.length + extraLength)
  header.writeUInt32LE(CENTRAL_DIRECTORY_HEADER_SIGNATURE, 0)
  header.writeUInt16LE((MADE_BY_UNIX << 8) | SPEC_VERSION, 4)
  header.writeUInt16LE(versionNeeded(record), 6)
  header.writeUInt16LE(flagsFor(record), 8)
  header.writeUInt16LE(record.method, 10)
  header.writeUInt16LE(when.time, 12)
  header.writeUInt16LE(when.date, 14)
  header.writeUInt32LE(record.crc32, 16)
  header.writeUInt32LE(compressed, 20)
  header.writeUInt32LE(uncompressed, 24)
  header.writeUInt16LE(record.name.length, 28)
  header.writeUInt16LE(extraLength, 30)
  // comment length (32), disk number start (34), internal attributes (36): all zero
  header.writeUInt32LE(record.externalAttributes >>> 0, 38)
  header.writeUInt32LE(offset, 42)
  record.name.copy(header, 46)
  if (extraLength > 0) {
    let at = 46 + record.name.length
    header.writeUInt16LE(ZIP64_EXTRA_FIELD_ID, at)
    header.writeUInt16LE(8 * large.length, at + 2)
    at += 4
    for (const value of large) {
      header.writeBigUInt64LE(value, at)
      at += 8
    }
  }
  return header
}

/** Where the central directory is and how many entries it holds. */
export interface CentralDirectoryLocation {
  readonly entryCount: number
  readonly size: number
  readonly offset: number
}

/**
 * Encodes the end of the archive: the ZIP64 end of central directory record
 * and locator (§4.3.14–15) when the count, size or offset need them, then the
 * classic end of central directory record (§4.3.16) with an empty comment.
 */
export function encodeEndOfCentralDirectory(location: CentralDirectoryLocation): Buffer {
  const zip64 =
    location.entryCount >= UINT16_LIMIT ||
    location.size >= UINT32_LIMIT ||
    location.offset >= UINT32_LIMIT
  const parts: Buffer[] = []
  if (zip64) {
    const record = zeroed(56)
    record.writeUInt32LE(ZIP64_END_OF_CENTRAL_DIRECTORY_SIGNATURE, 0)
    record.writeBigUInt64LE(44n, 4)
    record.writeUInt16LE((MADE_BY_UNIX << 8) | SPEC_VERSION, 12)
    record.writeUInt16LE(VERSION_ZIP64, 14)
    // this disk (16) and the disk holding the central directory (20): zero
    record.writeBigUInt64LE(BigInt(location.entryCount), 24)
    record.writeBigUInt64LE(BigInt(location.entryCount), 32)
    record.writeBigUInt64LE(BigInt(location.size), 40)
    record.writeBigUInt64LE(BigInt(location.offset), 48)
    const locator = zeroed(20)
    locator.writeUInt32LE(ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR_SIGNATURE, 0)
    // disk holding the ZIP64 record (4): zero
    locator.writeBigUInt64LE(BigInt(location.offset + location.size), 8)
    locator.writeUInt32LE(1, 16)
    parts.push(record, locator)
  }
  const end = zeroed(22)
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY_SIGNATURE, 0)
  const count = Math.min(location.entryCount, UINT16_LIMIT)
  end.writeUInt16LE(count, 8)
  end.writeUInt16LE(count, 10)
  end.writeUInt32LE(Math.min(location.size, UINT32_LIMIT), 12)
  end.writeUInt32LE(Math.min(location.offset, UINT32_LIMIT), 16)
  // comment length (20): zero
  parts.push(end)
  return Buffer.concat(parts)
}
