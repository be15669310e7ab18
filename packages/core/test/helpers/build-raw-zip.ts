/**
 * Builds zip files byte by byte for tests, with every header field
 * overridable, so that tests can craft both ordinary and malicious archives
 * (lying sizes, bad CRCs, overlapping entries, mismatched headers, ZIP64…).
 *
 * @module
 */
import { crc32, deflateRawSync } from 'node:zlib'

const U16_MAX = 0xffff
const U32_MAX = 0xffffffff

/** Fields of one header that a test may override. */
export interface RawHeaderFields {
  name?: string | Uint8Array
  versionNeeded?: number
  flags?: number
  method?: number
  time?: number
  date?: number
  crc32?: number
  compressedSize?: number
  uncompressedSize?: number
  /** The whole extra-field block, exactly as written. */
  extra?: Uint8Array
}

export interface RawDataDescriptor {
  /** Write the optional 0x08074b50 signature (default true). */
  signature?: boolean
  /** Write 8-byte sizes (default: when the entry is ZIP64). */
  zip64?: boolean
  crc32?: number
  compressedSize?: number
  uncompressedSize?: number
}

export interface RawZipEntry {
  name: string | Uint8Array
  /** Uncompressed content (default empty). */
  data?: string | Uint8Array
  /** Compress `data` with raw deflate (method 8). */
  deflate?: boolean
  /** Bytes written as the entry data, instead of `data` stored or deflated. */
  compressed?: Uint8Array
  /** Compression method in both headers (default 8 when deflating, else 0). */
  method?: number
  /** Default: Unix, version 2.0 (0x0314). */
  versionMadeBy?: number
  /** Default: 0o100644 (files) or 0o40755 (names ending with `/`) in the high 16 bits. */
  externalAttributes?: number
  /** General-purpose flags in both headers (bit 3 is added for data descriptors). */
  flags?: number
  /** Declared in both headers (default: the real values). */
  crc32?: number
  compressedSize?: number
  uncompressedSize?: number
  /** Write 0xFFFFFFFF markers and ZIP64 extra fields in both headers. */
  zip64?: boolean
  /** Write sizes and CRC after the data (flag bit 3); the local header then carries zeros. */
  dataDescriptor?: boolean | RawDataDescriptor
  /** Overrides for the local header only; `omit` writes no local header or data at all. */
  local?: RawHeaderFields & { omit?: boolean }
  /** Overrides for the central record only. */
  central?: RawHeaderFields & {
    localHeaderOffset?: number
    comment?: string
    /** Disk number start (default 0). */
    diskStart?: number
    /** Internal file attributes (default 0). */
    internalAttributes?: number
  }
  /** Bytes written just before this entry's local header (later offsets account for them). */
  before?: Uint8Array
}

export interface RawZipOptions {
  /** Bytes written before the first entry (offsets are not adjusted for them). */
  prefix?: Uint8Array
  /** Bytes written after the end-of-central-directory record. */
  suffix?: Uint8Array
  /** Archive comment. */
  comment?: string
  /** Write a ZIP64 end record and locator (default: when more than 65,535 entries). */
  zip64?: boolean
  /** Overrides of the end-of-central-directory fields. */
  eocd?: {
    entries?: number
    diskEntries?: number
    size?: number
    offset?: number
    disk?: number
    centralDirectoryDisk?: number
  }
  /** Overrides of the ZIP64 end record fields. */
  zip64Eocd?: {
    entries?: number
    size?: number
    offset?: number
    disk?: number
    centralDirectoryDisk?: number
  }
  /** Overrides of the ZIP64 end record locator fields. */
  zip64Locator?: { disk?: number; totalDisks?: number }
  /** Bytes written between the last entry and the central directory. */
  gapBeforeCentralDirectory?: Uint8Array
  /** Bytes written between the central directory and the end records. */
  gapAfterCentralDirectory?: Uint8Array
}

/** External attributes for a Unix `st_mode` (type and permission bits). */
export function unixAttributes(mode: number): number {
  return (mode << 16) >>> 0
}

/** A symlink entry as Info-ZIP writes it: the target as stored data, S_IFLNK in the attributes. */
export function symlinkEntry(
  name: string,
  target: string,
  extra: Partial<RawZipEntry> = {},
): RawZipEntry {
  return { name, data: target, externalAttributes: unixAttributes(0o120777), ...extra }
}

/** Builds a zip from raw entry descriptions. */
export function buildRawZip(entries: readonly RawZipEntry[], options: RawZipOptions = {}): Buffer {
  const parts: Buffer[] = []
  let offset = 0
  const write = (bytes: Uint8Array): void => {
    parts.push(Buffer.from(bytes))
    offset += bytes.length
  }
  if (options.prefix !== undefined) write(options.prefix)

  const centrals: Buffer[] = []
  for (const entry of entries) {
    const name = toBytes(entry.name)
    const data = toBytes(entry.data ?? '')
    const deflating = entry.deflate === true
    const payload = entry.compressed ?? (deflating ? deflateRawSync(data) : data)
    const method = entry.method ?? (deflating ? 8 : 0)
    const crc = entry.crc32 ?? crc32(data)
    const compressedSize = entry.compressedSize ?? payload.length
    const uncompressedSize = entry.uncompressedSize ?? data.length
    const descriptor: RawDataDescriptor | undefined =
      entry.dataDescriptor === true
        ? {}
        : entry.dataDescriptor === false
          ? undefined
          : entry.dataDescriptor
    const zip64 = entry.zip64 === true
    const flags = (entry.flags ?? 0) | (descriptor === undefined ? 0 : 0x0008)
    const isDirectory = typeof entry.name === 'string' && entry.name.endsWith('/')
    const attributes = entry.externalAttributes ?? unixAttributes(isDirectory ? 0o40755 : 0o100644)
    const versionNeeded = zip64 ? 45 : 20
    if (entry.before !== undefined) write(entry.before)
    const localOffset = offset

    const local = entry.local ?? {}
    if (local.omit !== true) {
      const localName = local.name === undefined ? name : toBytes(local.name)
      const localSizes =
        descriptor === undefined
          ? { crc, compressedSize, uncompressedSize }
          : { crc: 0, compressedSize: 0, uncompressedSize: 0 }
      const localExtra =
        local.extra ??
        (zip64
          ? zip64Extra([localSizes.uncompressedSize, localSizes.compressedSize])
          : new Uint8Array())
      const header = Buffer.alloc(30)
      header.writeUInt32LE(0x04034b50, 0)
      header.writeUInt16LE(local.versionNeeded ?? versionNeeded, 4)
      header.writeUInt16LE(local.flags ?? flags, 6)
      header.writeUInt16LE(local.method ?? method, 8)
      header.writeUInt16LE(local.time ?? 0, 10)
      header.writeUInt16LE(local.date ?? 0x21, 12)
      header.writeUInt32LE(local.crc32 ?? localSizes.crc, 14)
      header.writeUInt32LE(
        local.compressedSize ?? (zip64 ? U32_MAX : localSizes.compressedSize),
        18,
      )
      header.writeUInt32LE(
        local.uncompressedSize ?? (zip64 ? U32_MAX : localSizes.uncompressedSize),
        22,
      )
      header.writeUInt16LE(localName.length, 26)
      header.writeUInt16LE(localExtra.length, 28)
      write(header)
      write(localName)
      write(localExtra)
      write(payload)
      if (descriptor !== undefined) {
        const wide = descriptor.zip64 ?? zip64
        const bytes = Buffer.alloc((descriptor.signature === false ? 0 : 4) + 4 + (wide ? 16 : 8))
        let at = 0
        if (descriptor.signature !== false) at = bytes.writeUInt32LE(0x08074b50, 0)
        at = bytes.writeUInt32LE(descriptor.crc32 ?? crc, at)
        const sizes = [
          descriptor.compressedSize ?? compressedSize,
          descriptor.uncompressedSize ?? uncompressedSize,
        ]
        for (const size of sizes)
          at = wide ? bytes.writeBigUInt64LE(BigInt(size), at) : bytes.writeUInt32LE(size, at)
        write(bytes)
      }
    }

    const central = entry.central ?? {}
    const centralName = central.name === undefined ? name : toBytes(central.name)
    const headerOffset = central.localHeaderOffset ?? localOffset
    const centralExtra =
      central.extra ??
      (zip64 ? zip64Extra([uncompressedSize, compressedSize, headerOffset]) : new Uint8Array())
    const comment = Buffer.from(central.comment ?? '', 'utf8')
    const record = Buffer.alloc(46)
    record.writeUInt32LE(0x02014b50, 0)
    record.writeUInt16LE(entry.versionMadeBy ?? 0x0314, 4)
    record.writeUInt16LE(central.versionNeeded ?? versionNeeded, 6)
    record.writeUInt16LE(central.flags ?? flags, 8)
    record.writeUInt16LE(central.method ?? method, 10)
    record.writeUInt16LE(central.time ?? 0, 12)
    record.writeUInt16LE(central.date ?? 0x21, 14)
    record.writeUInt32LE(central.crc32 ?? crc, 16)
    record.writeUInt32LE(central.compressedSize ?? (zip64 ? U32_MAX : compressedSize), 20)
    record.writeUInt32LE(central.uncompressedSize ?? (zip64 ? U32_MAX : uncompressedSize), 24)
    record.writeUInt16LE(centralName.length, 28)
    record.writeUInt16LE(centralExtra.length, 30)
    record.writeUInt16LE(comment.length, 32)
    record.writeUInt16LE(central.diskStart ?? 0, 34)
    record.writeUInt16LE(central.internalAttributes ?? 0, 36)
    record.writeUInt32LE(attributes >>> 0, 38)
    record.writeUInt32LE(zip64 ? U32_MAX : headerOffset, 42)
    centrals.push(Buffer.concat([record, centralName, centralExtra, comment]))
  }

  if (options.gapBeforeCentralDirectory !== undefined) write(options.gapBeforeCentralDirectory)
  const centralOffset = offset
  for (const record of centrals) write(record)
  const centralSize = offset - centralOffset
  if (options.gapAfterCentralDirectory !== undefined) write(options.gapAfterCentralDirectory)

  const useZip64 = options.zip64 ?? entries.length > U16_MAX
  if (useZip64) {
    const zip64EndOffset = offset
    const end = Buffer.alloc(56)
    end.writeUInt32LE(0x06064b50, 0)
    end.writeBigUInt64LE(44n, 4)
    end.writeUInt16LE(0x032d, 12)
    end.writeUInt16LE(45, 14)
    end.writeUInt32LE(options.zip64Eocd?.disk ?? 0, 16)
    end.writeUInt32LE(options.zip64Eocd?.centralDirectoryDisk ?? 0, 20)
    const count = BigInt(options.zip64Eocd?.entries ?? entries.length)
    end.writeBigUInt64LE(count, 24)
    end.writeBigUInt64LE(count, 32)
    end.writeBigUInt64LE(BigInt(options.zip64Eocd?.size ?? centralSize), 40)
    end.writeBigUInt64LE(BigInt(options.zip64Eocd?.offset ?? centralOffset), 48)
    write(end)
    const locator = Buffer.alloc(20)
    locator.writeUInt32LE(0x07064b50, 0)
    locator.writeUInt32LE(options.zip64Locator?.disk ?? 0, 4)
    locator.writeBigUInt64LE(BigInt(zip64EndOffset), 8)
    locator.writeUInt32LE(options.zip64Locator?.totalDisks ?? 1, 16)
    write(locator)
  }

  const comment = Buffer.from(options.comment ?? '', 'utf8')
  const eocd = Buffer.alloc(22)
  const count = options.eocd?.entries ?? (useZip64 ? U16_MAX : entries.length)
  eocd.writeUInt32LE(0x06054b50, 0)
  eocd.writeUInt16LE(options.eocd?.disk ?? 0, 4)
  eocd.writeUInt16LE(options.eocd?.centralDirectoryDisk ?? 0, 6)
  eocd.writeUInt16LE(options.eocd?.diskEntries ?? count, 8)
  eocd.writeUInt16LE(count, 10)
  eocd.writeUInt32LE(options.eocd?.size ?? (useZip64 ? U32_MAX : centralSize), 12)
  eocd.writeUInt32LE(options.eocd?.offset ?? (useZip64 ? U32_MAX : centralOffset), 16)
  eocd.writeUInt16LE(comment.length, 20)
  write(eocd)
  write(comment)
  if (options.suffix !== undefined) write(options.suffix)
  return Buffer.concat(parts)
}

/** One extra field: its id, its length and `data`. */
export function extraField(id: number, data: Uint8Array): Buffer {
  const field = Buffer.alloc(4 + data.length)
  field.writeUInt16LE(id, 0)
  field.writeUInt16LE(data.length, 2)
  Buffer.from(data).copy(field, 4)
  return field
}

/** An Info-ZIP Unicode Path extra field (0x7075) naming `name`, with the CRC-32 of `storedName`. */
export function unicodePathExtra(storedName: string | Uint8Array, name: string): Buffer {
  const header = Buffer.alloc(5)
  header.writeUInt8(1, 0)
  header.writeUInt32LE(crc32(toBytes(storedName)), 1)
  return extraField(0x7075, Buffer.concat([header, Buffer.from(name, 'utf8')]))
}

function zip64Extra(values: readonly number[]): Buffer {
  const extra = Buffer.alloc(4 + 8 * values.length)
  extra.writeUInt16LE(0x0001, 0)
  extra.writeUInt16LE(8 * values.length, 2)
  values.forEach((value, index) => extra.writeBigUInt64LE(BigInt(value), 4 + 8 * index))
  return extra
}

function toBytes(value: string | Uint8Array): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value)
}
