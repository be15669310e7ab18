import { DATA_DESCRIPTOR_SIGNATURE } from '../zip-constants.js'

/** Signature, CRC-32 and the first 4 bytes of the compressed size. */
const NEEDED = 12
const SIGNATURE = Buffer.alloc(4)
SIGNATURE.writeUInt32LE(DATA_DESCRIPTOR_SIGNATURE)

/**
 * Watches the bytes of a stored entry that ends with a data descriptor, as
 * they stream past, for a place where a streaming reader would end it early.
 * Such a reader (libarchive, so `bsdtar` reading a pipe) cannot know where
 * stored data ends, so it stops at the first data descriptor signature whose
 * sizes equal the bytes read so far, and reads whatever follows as the next
 * entries. This finds every data descriptor signature followed by a
 * compressed size equal to its own offset in the data (a superset of what
 * those readers accept: they also check the CRC-32), in O(1) memory.
 */
export class EmbeddedDataDescriptorFinder {
  /** Offset in the data where the first such descriptor starts, once one is seen. */
  found: number | undefined
  #consumed = 0
  /** The last bytes seen (fewer than `NEEDED`), which may start a descriptor that spans chunks. */
  #tail: Buffer = Buffer.alloc(0)

  push(chunk: Buffer): void {
    if (this.found !== undefined) return
    const tailStart = this.#consumed - this.#tail.length
    const joint = Buffer.concat([this.#tail, chunk.subarray(0, NEEDED - 1)])
    this.#scan(joint, tailStart, this.#tail.length)
    this.#scan(chunk, this.#consumed, chunk.length)
    this.#consumed += chunk.length
    this.#tail =
      chunk.length >= NEEDED - 1
        ? Buffer.from(chunk.subarray(chunk.length - (NEEDED - 1)))
        : Buffer.from(Buffer.concat([this.#tail, chunk]).subarray(-(NEEDED - 1)))
  }

  /** Looks for descriptors starting before `startsBefore` in `bytes`, which start at data offset `base`. */
  #scan(bytes: Buffer, base: number, startsBefore: number): void {
    for (let at = bytes.indexOf(SIGNATURE); at !== -1 && at < startsBefore;) {
      if (at + NEEDED > bytes.length) return
      if (bytes.readUInt32LE(at + 8) === (base + at) % 2 ** 32) {
        this.found ??= base + at
        return
      }
      at = bytes.indexOf(SIGNATURE, at + 1)
    }
  }
}
