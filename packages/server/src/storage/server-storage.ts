import type { BlobStore } from './blob-store.js'
import type { KeyedLock } from './keyed-lock.js'
import type { MetadataStore } from './metadata-store.js'

/** Everything the server stores, behind its two interfaces. */
export interface ServerStorage {
  readonly metadata: MetadataStore
  /** The resource pool: single files, named by sha1. */
  readonly pool: BlobStore
  /** Package zips, named by sha256. */
  readonly packages: BlobStore
  /**
   * Held, per sha256, while a package zip is stored and a package marked
   * READY with it, and while a zip is found unnamed and deleted: a deletion
   * never removes a zip a package is about to name.
   */
  readonly packageZipLock: KeyedLock
  close(): Promise<void>
}
