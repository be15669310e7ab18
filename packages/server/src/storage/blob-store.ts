import type { Readable } from 'node:stream'

/**
 * Content-addressed bytes: every blob is named by the digest of its content,
 * and a store never holds a blob whose content does not match its name. The
 * embedded default keeps blobs on disk; object stores implement the same
 * interface and pass the same contract suite.
 *
 * @module
 */

export type BlobDigestAlgorithm = 'sha1' | 'sha256'

export interface PutBlobOptions {
  readonly signal?: AbortSignal
}

export interface StoredBlob {
  readonly digest: string
  readonly size: number
}

export interface BlobStore {
  /** The digest that names this store's blobs (the pool uses sha1, packages sha256). */
  readonly algorithm: BlobDigestAlgorithm
  /**
   * Stores the bytes of `source` under `digest` (lowercase hex). The bytes
   * become visible only once they are complete and their digest equals
   * `digest`; on a mismatch nothing is stored and the put fails with
   * CHECKSUM_MISMATCH.
   */
  put(
    digest: string,
    source: AsyncIterable<Uint8Array>,
    options?: PutBlobOptions,
  ): Promise<StoredBlob>
  /** The blob's bytes; fails with RESOURCE_NOT_CACHED when the store lacks it. */
  get(digest: string): Promise<Readable>
  /**
   * The whole blob in memory, for small blobs read by the thousand (the
   * files of a package rebuilt from the pool), where a stream each costs
   * more than the blob. Optional; fails like `get`.
   */
  readBytes?(digest: string): Promise<Buffer>
  /** The blob's size, or undefined when the store lacks it. */
  size(digest: string): Promise<number | undefined>
  exists(digest: string): Promise<boolean>
  /** Answers whether there was a blob to delete. */
  delete(digest: string): Promise<boolean>
  /**
   * The digest of every blob the store holds, in no particular order; blobs
   * being put are not listed until complete. For sweeps that find blobs no
   * record names.
   */
  list(): AsyncIterable<string>
}
