import type { MetadataStore } from '../storage/metadata-store.js'

/** The `data.error` of a package whose assembly a stop or crash cut short. */
export const INTERRUPTED_ASSEMBLY_MESSAGE =
  'The app package is invalid: the server stopped while assembling this package; create a new package and upload again.'

/**
 * Run at startup: a package still in PROCESSING_UPLOAD was being assembled
 * by a server that stopped. Its upload is gone, so it becomes FAILED, never
 * READY with bytes nobody checked. Answers how many packages were failed.
 */
export async function failInterruptedAssemblies(
  metadata: MetadataStore,
  timestamp: () => string,
): Promise<number> {
  let failed = 0
  for (;;) {
    const page = await metadata.listPackages(
      { states: ['PROCESSING_UPLOAD'] },
      { page: 1, perPage: 5000, order: { field: 'created_at', descending: false } },
    )
    for (const record of page.items) {
      const changed = await metadata.transitionPackage(record.guid, 'PROCESSING_UPLOAD', {
        state: 'FAILED',
        error: INTERRUPTED_ASSEMBLY_MESSAGE,
        updatedAt: timestamp(),
      })
      if (changed !== undefined) failed += 1
    }
    if (page.items.length < 5000) return failed
  }
}
