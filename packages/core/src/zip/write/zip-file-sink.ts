import { createHash } from 'node:crypto'
import { type FileHandle } from 'node:fs/promises'

const FLUSH_BYTES = 1024 * 1024
const FLUSH_BUFFERS = 512

/**
 * The output end of the zip writer: buffers what is appended, writes it to
 * the file in large vectored writes, and hashes it in order. It holds on to
 * the appended views until they are written, so callers hand buffer reuse to
 * {@link ZipFileSink.afterFlush} rather than doing it themselves.
 */
export class ZipFileSink {
  private pending: Uint8Array[] = []
  private pendingBytes = 0
  private waiting: (() => void)[] = []
  private readonly hash = createHash('sha256')
  /** Bytes appended so far: the offset the next appended byte will have in the file. */
  offset = 0

  constructor(private readonly handle: FileHandle) {}

  /** Adds bytes; true when enough is pending that the caller should `flush`. */
  append(bytes: Uint8Array): boolean {
    if (bytes.length === 0) return false
    this.pending.push(bytes)
    this.pendingBytes += bytes.length
    this.offset += bytes.length
    return this.pendingBytes >= FLUSH_BYTES || this.pending.length >= FLUSH_BUFFERS
  }

  /** Runs `callback` once everything appended so far is written (never if a write fails). */
  afterFlush(callback: () => void): void {
    this.waiting.push(callback)
  }

  /** Writes and hashes everything pending, then runs the `afterFlush` callbacks. */
  async flush(): Promise<void> {
    let buffers = this.pending
    const waiting = this.waiting
    this.pending = []
    this.pendingBytes = 0
    this.waiting = []
    for (const buffer of buffers) this.hash.update(buffer)
    while (buffers.length > 0) {
      const expected = buffers.reduce((sum, buffer) => sum + buffer.length, 0)
      const { bytesWritten } = await this.handle.writev(buffers)
      if (bytesWritten >= expected) break
      // A short write: continue after the bytes that made it.
      buffers = [Buffer.concat(buffers).subarray(bytesWritten)]
    }
    for (const callback of waiting) callback()
  }

  /** sha256 of every byte appended, lowercase hex; call once, after the last flush. */
  digest(): string {
    return this.hash.digest('hex')
  }
}
