import { PackwrightError, quoteInput } from '@packwright/core'
import type { BlobDigestAlgorithm } from './blob-store.js'

const DIGEST_LENGTHS: Readonly<Record<BlobDigestAlgorithm, number>> = { sha1: 40, sha256: 64 }

/** Refuses anything but a lowercase hex digest of the store's algorithm. */
export function assertBlobDigest(algorithm: BlobDigestAlgorithm, digest: string): void {
  const length = DIGEST_LENGTHS[algorithm]
  if (digest.length !== length || !/^[0-9a-f]+$/.test(digest)) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Blob name ${quoteInput(digest)} is not a ${algorithm} digest: expected ${length} lowercase hex characters.`,
      { details: { algorithm, digest } },
    )
  }
}
