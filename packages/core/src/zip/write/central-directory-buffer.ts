import { METHOD_DEFLATE, METHOD_STORE } from '../zip-constants.js'
import { createContentRecord, createDirectoryRecord } from './create-zip-entry-record.js'
import { type DosDateTime } from './dos-date-time.js'
import { type ZipLayoutItem } from './plan-zip-layout.js'
import { type ZipEntryRecord, encodeCentralDirectoryHeader } from './zip-records.js'

/** The encoded directory is handed out in slices of this size. */
const SLICE_BYTES = 1024 * 1024

const DEFLATED = 1
const DATA_DESCRIPTOR = 2
const ZIP64_LOCAL = 4

/**
 * The central directory of an archive being written, kept as the few numbers
 * that are known only once each entry is written (offset, CRC-32, compressed
 * size, method): about 21 bytes an entry in typed arrays, outside the
 * JavaScript heap. Everything else (names, kinds, modes, sizes) is in the
 * layout, from which the headers are encoded at the end, in layout order.
 * 200,000 entries cost about 4 MB this way, against about 14 MB of encoded
 * headers.
 */
export class CentralDirectoryBuffer {
  private readonly offsets: Float64Array
  private readonly compressedSizes: Float64Array
  private readonly crcs: Uint32Array
  private readonly flags: Uint8Array
  /** Entries added so far. */
  entryCount = 0

  /** `layout` is the archive's layout: entries must be added in its order. */
  constructor(
    private readonly layout: readonly ZipLayoutItem[],
    private readonly when: DosDateTime,
  ) {
    this.offsets = new Float64Array(layout.length)
    this.compressedSizes = new Float64Array(layout.length)
    this.crcs = new Uint32Array(layout.length)
    this.flags = new Uint8Array(layout.length)
  }

  /** Records a finished entry, the next of the layout: its offset, CRC and sizes must be final. */
  add(record: ZipEntryRecord): void {
    const index = this.entryCount
    if (index >= this.layout.length) throw new Error('more central directory entries than planned')
    this.offsets[index] = record.localHeaderOffset
    this.compressedSizes[index] = record.compressedSize
    this.crcs[index] = record.crc32
    this.flags[index] =
      (record.method === METHOD_DEFLATE ? DEFLATED : 0) |
      (record.dataDescriptor ? DATA_DESCRIPTOR : 0) |
      (record.zip64Local ? ZIP64_LOCAL : 0)
    this.entryCount++
  }

  /** The record of the entry at `index` again, as it was when added. */
  private recordAt(index: number): ZipEntryRecord {
    const item = this.layout[index] as ZipLayoutItem
    const flags = this.flags[index] as number
    const record =
      item.kind === 'directory'
        ? createDirectoryRecord(item.zipPath)
        : createContentRecord(item.zipPath, item.kind, item.executable, item.size, {
            method: (flags & DEFLATED) === 0 ? METHOD_STORE : METHOD_DEFLATE,
            dataDescriptor: (flags & DATA_DESCRIPTOR) !== 0,
            zip64Local: (flags & ZIP64_LOCAL) !== 0,
            crc32: this.crcs[index] as number,
            compressedSize: this.compressedSizes[index] as number,
          })
    record.localHeaderOffset = this.offsets[index] as number
    return record
  }

  /**
   * The encoded directory, in order, in slices of about 1 MiB. The slices
   * share one buffer: each is valid only until the next one is asked for.
   */
  *slices(): Generator<Uint8Array> {
    const slab = new Uint8Array(SLICE_BYTES)
    let used = 0
    for (let index = 0; index < this.entryCount; index++) {
      const header = encodeCentralDirectoryHeader(this.recordAt(index), this.when)
      let at = 0
      while (at < header.length) {
        if (used === SLICE_BYTES) {
          yield slab
          used = 0
        }
        const taken = Math.min(header.length - at, SLICE_BYTES - used)
        slab.set(header.subarray(at, at + taken), used)
        used += taken
        at += taken
      }
    }
    if (used > 0) yield slab.subarray(0, used)
  }
}
