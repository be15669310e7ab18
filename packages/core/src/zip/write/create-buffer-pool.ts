/** Reusable memory for jobs of whole entries, so finished jobs do not leave garbage for the collector. */
export interface BufferPool {
  /**
   * A view of exactly `size` bytes at the start of a free buffer (a new one
   * when none is large enough). Its content is left over from earlier use:
   * the caller overwrites every byte it relies on.
   */
  take(size: number): Uint8Array
  /** Returns a buffer taken earlier once nothing reads or writes it any more. */
  give(buffer: ArrayBufferLike): void
  /** Buffers the pool has created so far: how much memory it ever needed. */
  readonly created: number
}

/**
 * Creates a pool that keeps up to `keep` free buffers; new buffers hold at
 * least `minimumBytes`, so one buffer serves most requests of similar size.
 */
export function createBufferPool(keep: number, minimumBytes: number): BufferPool {
  const free: ArrayBuffer[] = []
  let created = 0
  return {
    take(size) {
      const index = free.findIndex((buffer) => buffer.byteLength >= size)
      if (index === -1) created++
      const buffer =
        index === -1 ? new ArrayBuffer(Math.max(size, minimumBytes)) : free.splice(index, 1)[0]
      return new Uint8Array(buffer as ArrayBuffer, 0, size)
    },
    give(buffer) {
      // A buffer moved to another thread and not back is detached (length 0): drop it.
      if (buffer instanceof ArrayBuffer && buffer.byteLength > 0 && free.length < keep) {
        free.push(buffer)
      }
    },
    get created() {
      return created
    },
  }
}
