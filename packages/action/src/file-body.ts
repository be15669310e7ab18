import { createReadStream } from 'node:fs'

/**
 * A file sent as a request body without reading it into memory. Each
 * iteration opens the file again, so a retried request sends every byte
 * again instead of an exhausted stream.
 */
export class FileBody implements AsyncIterable<Buffer> {
  /**
   * @param path - The file to send.
   * @param size - Its size in bytes, sent as `Content-Length`.
   */
  constructor(
    readonly path: string,
    readonly size: number,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return createReadStream(this.path)[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  }
}
