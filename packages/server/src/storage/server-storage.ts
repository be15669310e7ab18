import type { BlobStore } from './blob-store.js'
import type { MetadataStore } from './metadata-store.js'

/** Everything the server stores, behind its two interfaces. */
export interface ServerStorage {
  readonly metadata: MetadataStore
  /** The resource pool: single files, named by sha1. */
  readonly pool: BlobStore
  /** Package zips, named by sha256. */
  readonly packages: BlobStore
  close(): Promise<void>
}
