/**
 * Why assembly failed, in the words Cloud Controller's packing job uses:
 * the message becomes the FAILED package's `data.error`.
 */
export class AssemblyFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'AssemblyFailure'
  }
}

/** Cloud Controller's ResourceChecksumMismatch text. */
export const RESOURCE_CHECKSUM_MISMATCH_MESSAGE =
  'One or more cached resources did not match the given checksum. They have been deleted; please retry package upload.'
