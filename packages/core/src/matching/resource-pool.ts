import type { Readable } from 'node:stream'
import type { ReadOptions } from '../source/source-reader.js'

/**
 * Content-addressed blobs the server already holds, keyed by lowercase sha1
 * (Cloud Foundry's resource pool).
 */
export interface ResourcePool {
  /** Size of the blob, or undefined when the pool does not have it. */
  size(sha1: string, options?: ReadOptions): Promise<number | undefined>
  /** The blob's bytes; only called for blobs `size` found. */
  open(sha1: string, options?: ReadOptions): Readable
  /**
   * The whole blob at once, for the small files a zip writer reads whole,
   * where a stream per file costs more than the file. Optional: without it,
   * those reads go through `open`.
   */
  readBytes?(sha1: string, options?: ReadOptions): Promise<Buffer>
}
