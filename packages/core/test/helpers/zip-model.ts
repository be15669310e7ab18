/**
 * A valid zip taken apart into its records, so that tests can change, copy or
 * drop one record and write the archive back with every length, offset and
 * count fixed up, and then know where each header field of the result sits.
 *
 * @module
 */

const LOCAL_SIGNATURE = 0x04034b50
const CENTRAL_SIGNATURE = 0x02014b50
const EOCD_SIGNATURE = 0x06054b50
const ZIP64_EOCD_SIGNATURE = 0x06064b50
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50
const DATA_DESCRIPTOR_SIGNATURE = 0x08074b50
const LOCAL_HEADER_SIZE = 30
const CENTRAL_HEADER_SIZE = 46
const EOCD_SIZE = 22
const LOCATOR_SIZE = 20
const U16_MAX = 0xffff
const U32_MAX = 0xffffffff
const ZIP64_EXTRA_ID = 0x0001

/** One entry: its local header, everything up to the next entry, and its central record. */
export interface ZipModelEntry {
  /** The fixed 30 bytes of the local header (lengths are rewritten on serialising). */
  localHeader: Buffer
  localName: Buffer
  localExtra: Buffer
  /** Everything between the local header and the next entry: data, data descriptor, any gap. */
  body: Buffer
  /** The fixed 46 bytes of the central record (lengths and offset are rewritten on serialising). */
  centralHeader: Buffer
  centralName: Buffer
  centralExtra: Buffer
  centralComment: Buffer
  /** Write no local header or body for this entry: its central record points at that entry's local header. */
  sharesLocalHeaderOf?: ZipModelEntry
  /** Write the local header and body but no central record. */
  omitCentralRecord?: boolean
}

export interface ZipModel {
  /** Bytes before the first local header. */
  prefix: Buffer
  /** Entries in central-directory order; local headers are written in the same order. */
  entries: ZipModelEntry[]
  /** The whole ZIP64 end record, when the archive has one (a locator is written after it). */
  zip64End: Buffer | undefined
  /** The fixed 22 bytes of the end-of-central-directory record. */
  end: Buffer
  comment: Buffer
}

/** Where one numeric header field sits in a serialised zip. */
export interface ZipField {
  /** Which record and field, e.g. `central[2].localHeaderOffset`. */
  readonly label: string
  readonly at: number
  readonly size: 2 | 4 | 8
}

export interface SerializedZip {
  readonly bytes: Buffer
  readonly fields: readonly ZipField[]
}

/**
 * Takes apart a well-formed zip (one disk, local headers in central order or
 * not, optional ZIP64 end records).
 *
 * @throws Error when the zip is not well formed: seeds must be valid.
 */
export function parseZipModel(bytes: Buffer): ZipModel {
  const endAt = bytes.lastIndexOf(u32(EOCD_SIGNATURE))
  if (endAt < 0) throw new Error('seed zip has no end-of-central-directory record')
  const end = copy(bytes, endAt, EOCD_SIZE)
  const comment = copy(bytes, endAt + EOCD_SIZE, end.readUInt16LE(20))
  let count = end.readUInt16LE(10)
  let centralStart = end.readUInt32LE(16)
  let zip64End: Buffer | undefined
  const locatorAt = endAt - LOCATOR_SIZE
  if (locatorAt >= 0 && bytes.readUInt32LE(locatorAt) === ZIP64_LOCATOR_SIGNATURE) {
    const zip64At = Number(bytes.readBigUInt64LE(locatorAt + 8))
    if (bytes.readUInt32LE(zip64At) !== ZIP64_EOCD_SIGNATURE)
      throw new Error('seed zip has a ZIP64 locator but no ZIP64 end record')
    zip64End = copy(bytes, zip64At, locatorAt - zip64At)
    count = Number(zip64End.readBigUInt64LE(32))
    centralStart = Number(zip64End.readBigUInt64LE(48))
  }

  const records: { offset: number; entry: Omit<ZipModelEntry, 'body'> & { body?: Buffer } }[] = []
  let at = centralStart
  for (let index = 0; index < count; index++) {
    if (bytes.readUInt32LE(at) !== CENTRAL_SIGNATURE)
      throw new Error(`seed zip: no central record ${index} at ${at}`)
    const centralHeader = copy(bytes, at, CENTRAL_HEADER_SIZE)
    const nameLength = centralHeader.readUInt16LE(28)
    const extraLength = centralHeader.readUInt16LE(30)
    const commentLength = centralHeader.readUInt16LE(32)
    const centralName = copy(bytes, at + CENTRAL_HEADER_SIZE, nameLength)
    const centralExtra = copy(bytes, at + CENTRAL_HEADER_SIZE + nameLength, extraLength)
    const centralComment = copy(
      bytes,
      at + CENTRAL_HEADER_SIZE + nameLength + extraLength,
      commentLength,
    )
    at += CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength
    const offset = centralValues(centralHeader, centralExtra).localHeaderOffset
    if (bytes.readUInt32LE(offset) !== LOCAL_SIGNATURE)
      throw new Error(`seed zip: no local header for record ${index} at ${offset}`)
    const localHeader = copy(bytes, offset, LOCAL_HEADER_SIZE)
    const localName = copy(bytes, offset + LOCAL_HEADER_SIZE, localHeader.readUInt16LE(26))
    const localExtra = copy(
      bytes,
      offset + LOCAL_HEADER_SIZE + localName.length,
      localHeader.readUInt16LE(28),
    )
    records.push({
      offset,
      entry: {
        localHeader,
        localName,
        localExtra,
        centralHeader,
        centralName,
        centralExtra,
        centralComment,
      },
    })
  }

  const byOffset = [...records].sort((a, b) => a.offset - b.offset)
  byOffset.forEach((record, position) => {
    const start =
      record.offset +
      LOCAL_HEADER_SIZE +
      record.entry.localName.length +
      record.entry.localExtra.length
    const next = byOffset[position + 1]?.offset ?? centralStart
    record.entry.body = copy(bytes, start, next - start)
  })
  return {
    prefix: copy(bytes, 0, byOffset[0]?.offset ?? centralStart),
    entries: records.map(({ entry }) => ({ ...entry, body: entry.body ?? Buffer.alloc(0) })),
    zip64End,
    end,
    comment,
  }
}

/** A deep copy, so mutations of one model never touch another. */
export function cloneZipModel(model: ZipModel): ZipModel {
  const copies = new Map(model.entries.map((entry) => [entry, cloneZipModelEntry(entry)]))
  for (const entry of copies.values()) {
    if (entry.sharesLocalHeaderOf !== undefined)
      entry.sharesLocalHeaderOf = copies.get(entry.sharesLocalHeaderOf)
  }
  return {
    prefix: Buffer.from(model.prefix),
    entries: [...copies.values()],
    zip64End: model.zip64End === undefined ? undefined : Buffer.from(model.zip64End),
    end: Buffer.from(model.end),
    comment: Buffer.from(model.comment),
  }
}

/** A copy of one entry's bytes; a shared local header stays shared with the same entry. */
export function cloneZipModelEntry(entry: ZipModelEntry): ZipModelEntry {
  return {
    ...entry,
    localHeader: Buffer.from(entry.localHeader),
    localName: Buffer.from(entry.localName),
    localExtra: Buffer.from(entry.localExtra),
    body: Buffer.from(entry.body),
    centralHeader: Buffer.from(entry.centralHeader),
    centralName: Buffer.from(entry.centralName),
    centralExtra: Buffer.from(entry.centralExtra),
    centralComment: Buffer.from(entry.centralComment),
  }
}

/**
 * Writes the model back as a zip: name and extra lengths, local header
 * offsets (in the ZIP64 extra field when the record uses one), entry counts,
 * central directory size and offset, and the ZIP64 locator all follow the
 * records as they now are. Returns where every header field landed.
 */
export function serializeZipModel(model: ZipModel): SerializedZip {
  const parts: Buffer[] = []
  const fields: ZipField[] = []
  let offset = 0
  const write = (bytes: Buffer): number => {
    const at = offset
    parts.push(bytes)
    offset += bytes.length
    return at
  }

  write(model.prefix)
  const localOffsets = new Map<ZipModelEntry, number>()
  model.entries.forEach((entry, index) => {
    const shared = entry.sharesLocalHeaderOf
    if (shared !== undefined && model.entries.includes(shared)) return
    const header = Buffer.from(entry.localHeader)
    header.writeUInt16LE(entry.localName.length, 26)
    header.writeUInt16LE(entry.localExtra.length, 28)
    const at = write(header)
    write(entry.localName)
    const extraAt = write(entry.localExtra)
    const bodyAt = write(entry.body)
    fields.push(...localHeaderFields(`local[${index}]`, at))
    fields.push(...extraFieldFields(`local[${index}]`, entry.localExtra, extraAt))
    fields.push(...descriptorFields(index, entry, bodyAt))
    localOffsets.set(entry, at)
  })

  const centralStart = offset
  let count = 0
  model.entries.forEach((entry, index) => {
    if (entry.omitCentralRecord === true) return
    count++
    const header = Buffer.from(entry.centralHeader)
    header.writeUInt16LE(entry.centralName.length, 28)
    header.writeUInt16LE(entry.centralExtra.length, 30)
    header.writeUInt16LE(entry.centralComment.length, 32)
    const extra = Buffer.from(entry.centralExtra)
    const localOffset =
      localOffsets.get(entry) ??
      (entry.sharesLocalHeaderOf === undefined ? 0 : localOffsets.get(entry.sharesLocalHeaderOf)) ??
      0
    const slot = zip64OffsetSlot(header, extra)
    if (slot === undefined) header.writeUInt32LE(localOffset, 42)
    else extra.writeBigUInt64LE(BigInt(localOffset), slot)
    const at = write(header)
    write(entry.centralName)
    const extraAt = write(extra)
    write(entry.centralComment)
    fields.push(...centralHeaderFields(`central[${index}]`, at))
    fields.push(...extraFieldFields(`central[${index}]`, extra, extraAt))
  })
  const centralSize = offset - centralStart

  if (model.zip64End !== undefined) {
    const record = Buffer.from(model.zip64End)
    record.writeBigUInt64LE(BigInt(count), 24)
    record.writeBigUInt64LE(BigInt(count), 32)
    record.writeBigUInt64LE(BigInt(centralSize), 40)
    record.writeBigUInt64LE(BigInt(centralStart), 48)
    const at = write(record)
    const locator = Buffer.alloc(LOCATOR_SIZE)
    locator.writeUInt32LE(ZIP64_LOCATOR_SIGNATURE, 0)
    locator.writeBigUInt64LE(BigInt(at), 8)
    locator.writeUInt32LE(1, 16)
    const locatorAt = write(locator)
    fields.push(
      { label: 'zip64End.recordSize', at: at + 4, size: 8 },
      { label: 'zip64End.diskNumber', at: at + 16, size: 4 },
      { label: 'zip64End.centralDirectoryDisk', at: at + 20, size: 4 },
      { label: 'zip64End.diskEntries', at: at + 24, size: 8 },
      { label: 'zip64End.totalEntries', at: at + 32, size: 8 },
      { label: 'zip64End.centralDirectorySize', at: at + 40, size: 8 },
      { label: 'zip64End.centralDirectoryOffset', at: at + 48, size: 8 },
      { label: 'zip64Locator.disk', at: locatorAt + 4, size: 4 },
      { label: 'zip64Locator.zip64EndOffset', at: locatorAt + 8, size: 8 },
      { label: 'zip64Locator.diskCount', at: locatorAt + 16, size: 4 },
    )
  }

  const end = Buffer.from(model.end)
  if (end.readUInt16LE(8) !== U16_MAX) end.writeUInt16LE(Math.min(count, U16_MAX), 8)
  if (end.readUInt16LE(10) !== U16_MAX) end.writeUInt16LE(Math.min(count, U16_MAX), 10)
  if (end.readUInt32LE(12) !== U32_MAX) end.writeUInt32LE(centralSize, 12)
  if (end.readUInt32LE(16) !== U32_MAX) end.writeUInt32LE(centralStart, 16)
  end.writeUInt16LE(model.comment.length, 20)
  const endAt = write(end)
  write(model.comment)
  fields.push(
    { label: 'end.diskNumber', at: endAt + 4, size: 2 },
    { label: 'end.centralDirectoryDisk', at: endAt + 6, size: 2 },
    { label: 'end.diskEntries', at: endAt + 8, size: 2 },
    { label: 'end.totalEntries', at: endAt + 10, size: 2 },
    { label: 'end.centralDirectorySize', at: endAt + 12, size: 4 },
    { label: 'end.centralDirectoryOffset', at: endAt + 16, size: 4 },
    { label: 'end.commentLength', at: endAt + 20, size: 2 },
  )
  return { bytes: Buffer.concat(parts), fields }
}

/** The sizes and local header offset of a central record, read from its ZIP64 extra field where marked. */
export function centralValues(
  header: Buffer,
  extra: Buffer,
): { compressedSize: number; uncompressedSize: number; localHeaderOffset: number } {
  let uncompressedSize = header.readUInt32LE(24)
  let compressedSize = header.readUInt32LE(20)
  let localHeaderOffset = header.readUInt32LE(42)
  const zip64 = findExtraField(extra, ZIP64_EXTRA_ID)
  let at = zip64 === undefined ? 0 : zip64.dataAt
  const next = (): number => {
    const value =
      zip64 !== undefined && at + 8 <= zip64.dataAt + zip64.length ? extra.readBigUInt64LE(at) : 0n
    at += 8
    return Number(value)
  }
  if (uncompressedSize === U32_MAX) uncompressedSize = next()
  if (compressedSize === U32_MAX) compressedSize = next()
  if (localHeaderOffset === U32_MAX) localHeaderOffset = next()
  return { compressedSize, uncompressedSize, localHeaderOffset }
}

/** Position of the first extra field with `id` in an extra block. */
export function findExtraField(
  extra: Buffer,
  id: number,
): { at: number; dataAt: number; length: number } | undefined {
  for (let at = 0; at + 4 <= extra.length;) {
    const length = extra.readUInt16LE(at + 2)
    if (extra.readUInt16LE(at) === id) return { at, dataAt: at + 4, length }
    at += 4 + length
  }
  return undefined
}

/** Splits an extra block into whole fields (id, length and data); trailing bytes are dropped. */
export function splitExtraFields(extra: Buffer): Buffer[] {
  const fields: Buffer[] = []
  for (let at = 0; at + 4 <= extra.length;) {
    const next = at + 4 + extra.readUInt16LE(at + 2)
    if (next > extra.length) break
    fields.push(extra.subarray(at, next))
    at = next
  }
  return fields
}

function zip64OffsetSlot(header: Buffer, extra: Buffer): number | undefined {
  if (header.readUInt32LE(42) !== U32_MAX) return undefined
  const zip64 = findExtraField(extra, ZIP64_EXTRA_ID)
  if (zip64 === undefined) return undefined
  const before =
    (header.readUInt32LE(24) === U32_MAX ? 8 : 0) + (header.readUInt32LE(20) === U32_MAX ? 8 : 0)
  return before + 8 <= zip64.length ? zip64.dataAt + before : undefined
}

function localHeaderFields(prefix: string, at: number): ZipField[] {
  return [
    { label: `${prefix}.signature`, at, size: 4 },
    { label: `${prefix}.versionNeeded`, at: at + 4, size: 2 },
    { label: `${prefix}.flags`, at: at + 6, size: 2 },
    { label: `${prefix}.method`, at: at + 8, size: 2 },
    { label: `${prefix}.crc32`, at: at + 14, size: 4 },
    { label: `${prefix}.compressedSize`, at: at + 18, size: 4 },
    { label: `${prefix}.uncompressedSize`, at: at + 22, size: 4 },
    { label: `${prefix}.nameLength`, at: at + 26, size: 2 },
    { label: `${prefix}.extraLength`, at: at + 28, size: 2 },
  ]
}

function centralHeaderFields(prefix: string, at: number): ZipField[] {
  return [
    { label: `${prefix}.signature`, at, size: 4 },
    { label: `${prefix}.versionMadeBy`, at: at + 4, size: 2 },
    { label: `${prefix}.versionNeeded`, at: at + 6, size: 2 },
    { label: `${prefix}.flags`, at: at + 8, size: 2 },
    { label: `${prefix}.method`, at: at + 10, size: 2 },
    { label: `${prefix}.crc32`, at: at + 16, size: 4 },
    { label: `${prefix}.compressedSize`, at: at + 20, size: 4 },
    { label: `${prefix}.uncompressedSize`, at: at + 24, size: 4 },
    { label: `${prefix}.nameLength`, at: at + 28, size: 2 },
    { label: `${prefix}.extraLength`, at: at + 30, size: 2 },
    { label: `${prefix}.commentLength`, at: at + 32, size: 2 },
    { label: `${prefix}.diskStart`, at: at + 34, size: 2 },
    { label: `${prefix}.internalAttributes`, at: at + 36, size: 2 },
    { label: `${prefix}.externalAttributes`, at: at + 38, size: 4 },
    { label: `${prefix}.localHeaderOffset`, at: at + 42, size: 4 },
  ]
}

function extraFieldFields(prefix: string, extra: Buffer, extraAt: number): ZipField[] {
  const fields: ZipField[] = []
  let index = 0
  for (let at = 0; at + 4 <= extra.length; index++) {
    const id = extra.readUInt16LE(at)
    const length = extra.readUInt16LE(at + 2)
    const label = `${prefix}.extra[${index}]`
    fields.push(
      { label: `${label}.id`, at: extraAt + at, size: 2 },
      { label: `${label}.length`, at: extraAt + at + 2, size: 2 },
    )
    if (id === ZIP64_EXTRA_ID) {
      for (let value = 0; value + 8 <= length && at + 4 + value + 8 <= extra.length; value += 8)
        fields.push({
          label: `${label}.zip64[${value / 8}]`,
          at: extraAt + at + 4 + value,
          size: 8,
        })
    }
    at += 4 + length
  }
  return fields
}

function descriptorFields(index: number, entry: ZipModelEntry, bodyAt: number): ZipField[] {
  if ((entry.localHeader.readUInt16LE(6) & 0x0008) === 0) return []
  const { compressedSize } = centralValues(entry.centralHeader, entry.centralExtra)
  let at = compressedSize
  if (at + 4 <= entry.body.length && entry.body.readUInt32LE(at) === DATA_DESCRIPTOR_SIGNATURE)
    at += 4
  const wide = entry.body.length - at >= 20
  const size = wide ? 8 : 4
  if (at + 4 + 2 * size > entry.body.length) return []
  const label = `descriptor[${index}]`
  return [
    { label: `${label}.crc32`, at: bodyAt + at, size: 4 },
    { label: `${label}.compressedSize`, at: bodyAt + at + 4, size },
    { label: `${label}.uncompressedSize`, at: bodyAt + at + 4 + size, size },
  ]
}

function copy(bytes: Buffer, at: number, length: number): Buffer {
  if (at < 0 || length < 0 || at + length > bytes.length)
    throw new Error(`seed zip: bytes ${at}..${at + length} are outside the file`)
  return Buffer.from(bytes.subarray(at, at + length))
}

function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4)
  bytes.writeUInt32LE(value, 0)
  return bytes
}
