import { constants, type Stats } from 'node:fs'
import { type FileHandle, open, stat } from 'node:fs/promises'

import { PackwrightError, quoteInput } from '../../errors.js'
import { throwIfZipReadAborted, zipReadFailedError } from './zip-reader-errors.js'

/** Smallest read issued for headers and records: small records are served from this window. */
export const HEADER_READ_BYTES = 64 * 1024
/** Read size for entry data and whole-file hashing. */
export const DATA_READ_BYTES = 1024 * 1024

/**
 * Random access to a zip file through one FileHandle, in bounded reads. The
 * last read stays cached as a window, so neighbouring small records cost no
 * extra system call. Every returned buffer is freshly allocated (or a view of
 * one), so callers may keep it while other reads run.
 */
export class ZipReaderFile {
  readonly path: string
  readonly size: number
  readonly #handle: FileHandle
  #windowStart = 0
  #window: Buffer = Buffer.alloc(0)
  #closed = false

  private constructor(path: string, handle: FileHandle, size: number) {
    this.path = path
    this.#handle = handle
    this.size = size
  }

  /**
   * Opens `path` for reading. The file type is checked before opening (opening
   * a FIFO would wait for a writer) and again on the open handle, which is
   * opened non-blocking in case the path was swapped in between.
   *
   * @throws PackwrightError `ZIP_READ_FAILED` when the file cannot be opened or is not a regular file; `ABORTED`.
   */
  static async open(path: string, signal?: AbortSignal): Promise<ZipReaderFile> {
    throwIfZipReadAborted(signal, path)
    try {
      throwUnlessRegularFile(await stat(path), path)
    } catch (error) {
      throw zipReadFailedError(error, path)
    }
    let handle: FileHandle
    try {
      handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
    } catch (error) {
      throw zipReadFailedError(error, path)
    }
    try {
      const stats = await handle.stat()
      throwUnlessRegularFile(stats, path)
      return new ZipReaderFile(path, handle, stats.size)
    } catch (error) {
      await handle.close().catch(() => undefined)
      throw zipReadFailedError(error, path)
    }
  }

  /**
   * Returns exactly `length` bytes at `offset`, reading at least `minRead`
   * bytes (bounded by the end of the file) when the cached window misses.
   *
   * @throws PackwrightError `ZIP_TRUNCATED` (message built from `what`) when the range passes the end of the file; `ZIP_READ_FAILED`.
   */
  async read(
    offset: number,
    length: number,
    what: string,
    minRead = HEADER_READ_BYTES,
  ): Promise<Buffer> {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new PackwrightError(
        'ZIP_TRUNCATED',
        `${what} needs bytes ${offset}..${offset + length} but the file ends at ${this.size}.`,
        { details: { offset, length, fileSize: this.size } },
      )
    }
    const windowEnd = this.#windowStart + this.#window.length
    if (offset >= this.#windowStart && offset + length <= windowEnd) {
      const start = offset - this.#windowStart
      return this.#window.subarray(start, start + length)
    }
    const want = Math.min(Math.max(length, minRead), this.size - offset)
    const buffer = Buffer.allocUnsafe(want)
    await this.#readFully(buffer, offset)
    this.#windowStart = offset
    this.#window = buffer
    return buffer.subarray(0, length)
  }

  /**
   * Returns the `length` bytes at `offset` when the cached window holds them,
   * else undefined; never reads. Lets a caller walking neighbouring ranges
   * skip an awaited call for each one the last read already covered.
   */
  cached(offset: number, length: number): Buffer | undefined {
    const start = offset - this.#windowStart
    if (start < 0 || length < 0 || start + length > this.#window.length) return undefined
    return this.#window.subarray(start, start + length)
  }

  /** Closes the handle; later reads fail with `ZIP_READ_FAILED`. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#window = Buffer.alloc(0)
    await this.#handle.close()
  }

  async #readFully(buffer: Buffer, position: number): Promise<void> {
    if (this.#closed) {
      throw new PackwrightError(
        'ZIP_READ_FAILED',
        `Cannot read zip ${quoteInput(this.path)}: it is closed.`,
        {
          details: { path: this.path },
        },
      )
    }
    let filled = 0
    try {
      while (filled < buffer.length) {
        const { bytesRead } = await this.#handle.read(
          buffer,
          filled,
          buffer.length - filled,
          position + filled,
        )
        if (bytesRead === 0) {
          throw new PackwrightError(
            'ZIP_TRUNCATED',
            `The file ${quoteInput(this.path)} ended at ${position + filled} while ${this.size} bytes were expected (it changed while being read).`,
          )
        }
        filled += bytesRead
      }
    } catch (error) {
      throw zipReadFailedError(error, this.path)
    }
  }
}

function throwUnlessRegularFile(stats: Stats, path: string): void {
  if (stats.isFile()) return
  const kind = stats.isDirectory()
    ? 'a directory'
    : stats.isFIFO()
      ? 'a FIFO'
      : stats.isCharacterDevice()
        ? 'a character device'
        : stats.isBlockDevice()
          ? 'a block device'
          : stats.isSocket()
            ? 'a socket'
            : 'a special file'
  throw new PackwrightError(
    'ZIP_READ_FAILED',
    `Cannot read zip ${quoteInput(path)}: it is ${kind}; expected a regular file.`,
    { details: { path } },
  )
}
