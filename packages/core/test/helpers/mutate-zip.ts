/**
 * Mutations of a valid zip, for fuzzing readers. Layout mutations change the
 * records of a {@link ZipModel} and let the serialiser fix every length and
 * offset, so the result stays plausible and reaches deep checks; byte
 * mutations then change the serialised bytes without fixing anything up.
 * Indices and positions are taken modulo what the zip has, so any number is
 * a valid choice whatever the seed.
 *
 * @module
 */
import { crc32 } from 'node:zlib'

import {
  type ZipField,
  type ZipModel,
  type ZipModelEntry,
  cloneZipModel,
  cloneZipModelEntry,
  serializeZipModel,
  splitExtraFields,
} from './zip-model.js'

export type ZipSide = 'local' | 'central' | 'both'

/** A change of the records, applied before serialising (lengths, offsets and counts are then fixed up). */
export type ZipLayoutMutation =
  /** Copies an entry (local header, data and central record) right after itself. */
  | { readonly kind: 'duplicate-entry'; readonly entry: number }
  /** Adds a second central record for an entry, pointing at the same local header. */
  | { readonly kind: 'duplicate-central-record'; readonly entry: number }
  /** Drops an entry's central record and keeps its local header and data, unaccounted for. */
  | { readonly kind: 'drop-central-record'; readonly entry: number }
  /** Drops an entry completely. */
  | { readonly kind: 'drop-entry'; readonly entry: number }
  | { readonly kind: 'swap-entries'; readonly a: number; readonly b: number }
  /** Inserts bytes before an entry's local header (or before the central directory). */
  | { readonly kind: 'insert-gap'; readonly before: number; readonly bytes: Uint8Array }
  /** Inserts bytes before the first entry, with offsets adjusted (as self-extracting archives do). */
  | { readonly kind: 'prefix'; readonly bytes: Uint8Array }
  /** Writes every extra field of an entry twice. */
  | { readonly kind: 'duplicate-extra-fields'; readonly entry: number; readonly side: ZipSide }
  | {
      readonly kind: 'add-extra-field'
      readonly entry: number
      readonly side: ZipSide
      readonly id: number
      readonly data: Uint8Array
      /** Put it before the existing fields instead of after them. */
      readonly first: boolean
    }
  /** Adds an Info-ZIP Unicode Path field (0x7075) whose CRC matches the stored name, giving another name. */
  | { readonly kind: 'add-unicode-path'; readonly entry: number; readonly name: Uint8Array }
  | {
      readonly kind: 'rename'
      readonly entry: number
      readonly side: ZipSide
      /** New name bytes; `undefined` takes the name of entry `entry + 1`. */
      readonly name: Uint8Array | undefined
    }
  /** Sets the version-made-by host (high byte) and the external attributes of a central record. */
  | {
      readonly kind: 'set-attributes'
      readonly entry: number
      readonly host: number
      readonly attributes: number
    }
  /** Sets and clears general-purpose flag bits. */
  | {
      readonly kind: 'set-flags'
      readonly entry: number
      readonly side: ZipSide
      readonly set: number
      readonly clear: number
    }
  /** Replaces an entry's data with other bytes, stored, with honest sizes and CRC in both headers. */
  | { readonly kind: 'replace-data'; readonly entry: number; readonly data: Uint8Array }

/** A change of the serialised bytes; nothing is fixed up after it. */
export type ZipByteMutation =
  | { readonly kind: 'flip-bit'; readonly position: number; readonly bit: number }
  /** Overwrites a header field (chosen among all fields of the zip) with a value, cut to the field's size. */
  | { readonly kind: 'set-field'; readonly field: number; readonly value: bigint }
  /** Adds `delta` to a header field (offsets, sizes, counts, lengths). */
  | { readonly kind: 'shift-field'; readonly field: number; readonly delta: number }
  | { readonly kind: 'overwrite-bytes'; readonly position: number; readonly bytes: Uint8Array }
  | { readonly kind: 'insert-bytes'; readonly position: number; readonly bytes: Uint8Array }
  | { readonly kind: 'delete-bytes'; readonly position: number; readonly length: number }
  | { readonly kind: 'truncate'; readonly keep: number }
  | { readonly kind: 'append'; readonly bytes: Uint8Array }
  /** Appends a copy of the file's own last `length` bytes (a second end record, central records…). */
  | { readonly kind: 'append-copy-of-tail'; readonly length: number }

export interface ZipMutationPlan {
  readonly layout: readonly ZipLayoutMutation[]
  readonly bytes: readonly ZipByteMutation[]
}

export interface MutatedZip {
  readonly bytes: Buffer
  /** One line per mutation applied, with indices resolved against the seed (`central[2].flags`…). */
  readonly steps: readonly string[]
}

const UNICODE_PATH_ID = 0x7075
const U64_MASK = 0xffffffffffffffffn

/** Applies `plan` to a copy of `seed`. */
export function mutateZip(seed: ZipModel, plan: ZipMutationPlan): MutatedZip {
  const model = cloneZipModel(seed)
  const steps: string[] = []
  for (const mutation of plan.layout) {
    const step = applyLayoutMutation(model, mutation)
    if (step !== undefined) steps.push(step)
  }
  const serialized = serializeZipModel(model)
  let bytes = serialized.bytes
  for (const mutation of plan.bytes) {
    const applied = applyByteMutation(bytes, serialized.fields, mutation)
    bytes = applied.bytes
    steps.push(applied.step)
  }
  return { bytes, steps }
}

function applyLayoutMutation(model: ZipModel, mutation: ZipLayoutMutation): string | undefined {
  const { entries } = model
  if (mutation.kind === 'prefix') {
    model.prefix = Buffer.concat([model.prefix, mutation.bytes])
    return `prefix ${hex(mutation.bytes)} (offsets adjusted)`
  }
  if (entries.length === 0) return undefined
  const index = ('entry' in mutation ? mutation.entry : 0) % entries.length
  const entry = entries[index] as ZipModelEntry
  const name = showName(entry.centralName)
  switch (mutation.kind) {
    case 'duplicate-entry':
      entries.splice(index + 1, 0, cloneZipModelEntry(entry))
      return `duplicate entry ${index} ${name}`
    case 'duplicate-central-record': {
      entries.splice(index + 1, 0, { ...cloneZipModelEntry(entry), sharesLocalHeaderOf: entry })
      return `duplicate the central record of entry ${index} ${name}`
    }
    case 'drop-central-record':
      entry.omitCentralRecord = true
      return `drop the central record of entry ${index} ${name}, keeping its local header and data`
    case 'drop-entry':
      entries.splice(index, 1)
      return `drop entry ${index} ${name}`
    case 'swap-entries': {
      const a = mutation.a % entries.length
      const b = mutation.b % entries.length
      ;[entries[a], entries[b]] = [entries[b] as ZipModelEntry, entries[a] as ZipModelEntry]
      return `swap entries ${a} and ${b}`
    }
    case 'insert-gap': {
      const before = mutation.before % (entries.length + 1)
      const target = entries[before - 1] ?? undefined
      if (before === 0) model.prefix = Buffer.concat([model.prefix, mutation.bytes])
      else if (target !== undefined) target.body = Buffer.concat([target.body, mutation.bytes])
      return `insert ${hex(mutation.bytes)} before ${before === entries.length ? 'the central directory' : `entry ${before}`} (offsets adjusted)`
    }
    case 'duplicate-extra-fields':
      forSides(mutation.side, (side) => {
        const key = side === 'local' ? 'localExtra' : 'centralExtra'
        entry[key] = Buffer.concat([entry[key], ...splitExtraFields(entry[key])])
      })
      return `duplicate the ${mutation.side} extra fields of entry ${index} ${name}`
    case 'add-extra-field': {
      const field = extraField(mutation.id, mutation.data)
      forSides(mutation.side, (side) => {
        const key = side === 'local' ? 'localExtra' : 'centralExtra'
        entry[key] = Buffer.concat(mutation.first ? [field, entry[key]] : [entry[key], field])
      })
      return `add ${mutation.side} extra field ${hex(field)} ${mutation.first ? 'before' : 'after'} the others of entry ${index} ${name}`
    }
    case 'add-unicode-path': {
      const data = Buffer.alloc(5)
      data.writeUInt8(1, 0)
      data.writeUInt32LE(crc32(entry.centralName), 1)
      const field = extraField(UNICODE_PATH_ID, Buffer.concat([data, mutation.name]))
      entry.localExtra = Buffer.concat([entry.localExtra, field])
      entry.centralExtra = Buffer.concat([entry.centralExtra, field])
      return `add a Unicode Path extra field naming ${JSON.stringify(Buffer.from(mutation.name).toString('utf8'))} to entry ${index} ${name}`
    }
    case 'rename': {
      const other = entries[(index + 1) % entries.length] as ZipModelEntry
      const bytes = Buffer.from(mutation.name ?? other.centralName)
      forSides(mutation.side, (side) => {
        if (side === 'local') entry.localName = bytes
        else entry.centralName = bytes
      })
      return `rename entry ${index} ${name} to ${showName(bytes)} (${mutation.side})`
    }
    case 'set-attributes':
      entry.centralHeader.writeUInt8(mutation.host & 0xff, 5)
      entry.centralHeader.writeUInt32LE(mutation.attributes >>> 0, 38)
      return `set entry ${index} ${name} host ${mutation.host & 0xff}, external attributes 0x${(mutation.attributes >>> 0).toString(16)}`
    case 'set-flags':
      forSides(mutation.side, (side) => {
        const header = side === 'local' ? entry.localHeader : entry.centralHeader
        const at = side === 'local' ? 6 : 8
        header.writeUInt16LE(
          (header.readUInt16LE(at) | mutation.set) & ~mutation.clear & 0xffff,
          at,
        )
      })
      return `entry ${index} ${name} flags |= 0x${mutation.set.toString(16)}, &= ~0x${mutation.clear.toString(16)} (${mutation.side})`
    case 'replace-data': {
      const data = Buffer.from(mutation.data)
      const checksum = crc32(data)
      const descriptor = (entry.localHeader.readUInt16LE(6) & 0x0008) !== 0
      for (const [header, base] of [
        [entry.localHeader, 8],
        [entry.centralHeader, 10],
      ] as const) {
        header.writeUInt16LE(0, base)
        header.writeUInt32LE(checksum, base + 6)
        header.writeUInt32LE(data.length, base + 10)
        header.writeUInt32LE(data.length, base + 14)
      }
      entry.localHeader.writeUInt16LE(entry.localHeader.readUInt16LE(6) & ~0x0008, 6)
      entry.centralHeader.writeUInt16LE(entry.centralHeader.readUInt16LE(8) & ~0x0008, 8)
      entry.localExtra = withoutZip64(entry.localExtra)
      entry.centralExtra = withoutZip64(entry.centralExtra)
      entry.body = data
      return `replace the data of entry ${index} ${name} with ${JSON.stringify(data.toString('latin1'))} stored${descriptor ? ' (data descriptor removed)' : ''}`
    }
  }
}

function applyByteMutation(
  bytes: Buffer,
  fields: readonly ZipField[],
  mutation: ZipByteMutation,
): { bytes: Buffer; step: string } {
  const length = bytes.length
  switch (mutation.kind) {
    case 'flip-bit': {
      if (length === 0) return { bytes, step: 'flip a bit of an empty file' }
      const position = mutation.position % length
      const out = Buffer.from(bytes)
      out.writeUInt8((out.readUInt8(position) ^ (1 << (mutation.bit % 8))) & 0xff, position)
      return {
        bytes: out,
        step: `flip bit ${mutation.bit % 8} of byte ${position}${fieldAt(fields, position)}`,
      }
    }
    case 'set-field':
    case 'shift-field': {
      const field = fields[mutation.field % Math.max(fields.length, 1)]
      if (field === undefined || field.at + field.size > length)
        return { bytes, step: `${mutation.kind}: no such field` }
      const out = Buffer.from(bytes)
      const old = readField(out, field)
      const mask = (1n << BigInt(field.size * 8)) - 1n
      const value =
        mutation.kind === 'set-field'
          ? mutation.value & mask
          : (((old + BigInt(mutation.delta)) % (mask + 1n)) + mask + 1n) & mask
      writeField(out, field, value)
      return {
        bytes: out,
        step: `set ${field.label} (${field.size} bytes at ${field.at}) from ${old} to ${value} (0x${value.toString(16)})`,
      }
    }
    case 'overwrite-bytes': {
      const position = mutation.position % Math.max(length, 1)
      const out = Buffer.from(bytes)
      out.set(mutation.bytes.subarray(0, length - position), position)
      return {
        bytes: out,
        step: `overwrite byte ${position}${fieldAt(fields, position)} with ${hex(mutation.bytes)}`,
      }
    }
    case 'insert-bytes': {
      const position = mutation.position % (length + 1)
      return {
        bytes: Buffer.concat([
          bytes.subarray(0, position),
          mutation.bytes,
          bytes.subarray(position),
        ]),
        step: `insert ${hex(mutation.bytes)} at byte ${position}${fieldAt(fields, position)} (offsets not adjusted)`,
      }
    }
    case 'delete-bytes': {
      const position = mutation.position % Math.max(length, 1)
      return {
        bytes: Buffer.concat([
          bytes.subarray(0, position),
          bytes.subarray(position + mutation.length),
        ]),
        step: `delete ${mutation.length} bytes at ${position}${fieldAt(fields, position)}`,
      }
    }
    case 'truncate': {
      const keep = mutation.keep % Math.max(length, 1)
      return { bytes: bytes.subarray(0, keep), step: `truncate to ${keep} of ${length} bytes` }
    }
    case 'append':
      return {
        bytes: Buffer.concat([bytes, mutation.bytes]),
        step: `append ${hex(mutation.bytes)}`,
      }
    case 'append-copy-of-tail': {
      const tail = bytes.subarray(Math.max(0, length - mutation.length))
      return {
        bytes: Buffer.concat([bytes, tail]),
        step: `append a copy of the last ${tail.length} bytes`,
      }
    }
  }
}

function forSides(side: ZipSide, action: (side: 'local' | 'central') => void): void {
  if (side !== 'central') action('local')
  if (side !== 'local') action('central')
}

function extraField(id: number, data: Uint8Array): Buffer {
  const header = Buffer.alloc(4)
  header.writeUInt16LE(id & 0xffff, 0)
  header.writeUInt16LE(data.length, 2)
  return Buffer.concat([header, data])
}

function withoutZip64(extra: Buffer): Buffer {
  return Buffer.concat(splitExtraFields(extra).filter((field) => field.readUInt16LE(0) !== 0x0001))
}

function readField(bytes: Buffer, field: ZipField): bigint {
  if (field.size === 2) return BigInt(bytes.readUInt16LE(field.at))
  if (field.size === 4) return BigInt(bytes.readUInt32LE(field.at))
  return bytes.readBigUInt64LE(field.at)
}

function writeField(bytes: Buffer, field: ZipField, value: bigint): void {
  if (field.size === 2) bytes.writeUInt16LE(Number(value), field.at)
  else if (field.size === 4) bytes.writeUInt32LE(Number(value), field.at)
  else bytes.writeBigUInt64LE(value & U64_MASK, field.at)
}

function fieldAt(fields: readonly ZipField[], position: number): string {
  const field = fields.find(
    (candidate) => position >= candidate.at && position < candidate.at + candidate.size,
  )
  return field === undefined ? '' : ` (in ${field.label})`
}

/** A name as a JSON string when it is printable ASCII, else also as bytes. */
function showName(bytes: Uint8Array): string {
  const text = JSON.stringify(Buffer.from(bytes).toString('utf8'))
  return bytes.every((byte) => byte >= 0x20 && byte < 0x7f) ? text : `${text} (${hex(bytes)})`
}

function hex(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('hex')
  return text.length > 64 ? `${bytes.length} bytes 0x${text.slice(0, 64)}…` : `0x${text}`
}
