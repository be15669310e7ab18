import { PassThrough, type Readable, pipeline } from 'node:stream'
import type { ResourcePool } from '@packwright/core'
import type { BlobStore } from '../storage/blob-store.js'

/**
 * The resource pool core's rebuild source reads, over the server's pool
 * BlobStore. Core verifies each blob's sha1 as it streams.
 */
export function blobStoreResourcePool(store: BlobStore): ResourcePool {
  const readBytes = store.readBytes?.bind(store)
  return {
    size: (sha1) => store.size(sha1),
    open(sha1): Readable {
      const out = new PassThrough()
      store.get(sha1).then(
        (blob) => pipeline(blob, out, () => undefined),
        (error: unknown) => out.destroy(error instanceof Error ? error : undefined),
      )
      return out
    },
    ...(readBytes === undefined ? {} : { readBytes: (sha1: string) => readBytes(sha1) }),
  }
}
