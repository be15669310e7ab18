import { createHash } from 'node:crypto'
import { type FileHandle } from 'node:fs/promises'

const FLUSH_BYTES = 1024 * 1024
const FLUSH_BUFFERS = 512
/** Appended bytes shorter than this are copied into the sink's own buffer instead of being held. */
const COPY_BELOW_BYTES = 64 * 1024

/**
 * The output end of the zip writer: buffers what is appended, writes it to
 * the file in large vectored writes, and hashes it in order.
 *
 * Short appends are copied into one staging buffer that the sink owns; longer
 * ones are held as they are until written. So the caller's memory the sink
 * pins is bounded by what one flush writes, however small the appended pieces
 * are (a megabyte of zeros deflates to a kilobyte, but lives in a megabyte
 * buffer). Callers hand buffer reuse to {@link ZipFileSink.afterFlush} rather
 * than doing it themselves.
 */
export class ZipFileSink {
  private pending: Uint8Array[] = []
  private pendingBytes = 0
  private waiting: (() => void)[] = []
  /** Whether a view appended since the last `afterFlush` is held, not copied. */
  private holding = false
  private readonly staging = new Uint8Array(FLUSH_BYTES + COPY_BELOW_BYTES)
  private stagingStart = 0
  private stagingEnd = 0
  private readonly hash = createHash('sha256')
  /** Bytes appended so far: the offset the next appended byte will have in the file. */
  offset = 0

  constructor(private readonly handle: FileHandle) {}

  /** Adds bytes; true when enough is pending that the caller should `flush`. */
  append(bytes: Uint8Array): boolean {
    if (bytes.length === 0) return false
    if (bytes.length < COPY_BELOW_BYTES) {
      this.copy(bytes)
    } else {
      this.closeStagedRun()
      this.pending.push(bytes)
      this.holding = true
    }
    this.pendingBytes += bytes.length
    this.offset += bytes.length
    return this.pendingBytes >= FLUSH_BYTES || this.pending.length >= FLUSH_BUFFERS
  }

  /**
   * Runs `callback` once the sink no longer refers to anything appended since
   * the previous `afterFlush` call: at once when all of it was copied, else
   * after the flush that writes it (never if that write fails).
   */
  afterFlush(callback: () => void): void {
    if (this.holding) this.waiting.push(callback)
    else callback()
    this.holding = false
  }

  /** Writes and hashes everything pending, then runs the `afterFlush` callbacks. */
  async flush(): Promise<void> {
    this.closeStagedRun()
    let buffers = this.pending
    const waiting = this.waiting
    this.pending = []
    this.pendingBytes = 0
    this.waiting = []
    this.holding = false
    for (const buffer of buffers) this.hash.update(buffer)
    while (buffers.length > 0) {
      const expected = buffers.reduce((sum, buffer) => sum + buffer.length, 0)
      const { bytesWritten } = await this.handle.writev(buffers)
      if (bytesWritten >= expected) break
      // A short write: continue after the bytes that made it.
      buffers = [Buffer.concat(buffers).subarray(bytesWritten)]
    }
    // Everything staged is on disk: the staging buffer is free again.
    this.stagingStart = 0
    this.stagingEnd = 0
    for (const callback of waiting) callback()
  }

  /** sha256 of every byte appended, lowercase hex; call once, after the last flush. */
  digest(): string {
    return this.hash.digest('hex')
  }

  private copy(bytes: Uint8Array): void {
    if (this.stagingEnd + bytes.length > this.staging.length) {
      // Only when a caller appends past a flush it was told to make: keep a private copy.
      this.closeStagedRun()
      this.pending.push(bytes.slice())
      return
    }
    this.staging.set(bytes, this.stagingEnd)
    this.stagingEnd += bytes.length
  }

  /** Queues the bytes staged since the last held view, so the write order stays the append order. */
  private closeStagedRun(): void {
    if (this.stagingEnd === this.stagingStart) return
    this.pending.push(this.staging.subarray(this.stagingStart, this.stagingEnd))
    this.stagingStart = this.stagingEnd
  }
}
