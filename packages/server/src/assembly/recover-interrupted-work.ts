import type { ServerStorage } from '../storage/server-storage.js'
import { removeUnnamedPackageZips } from '../storage/remove-unnamed-package-zips.js'
import { failInterruptedAssemblies } from './fail-interrupted-assemblies.js'
import { settleInterruptedJobs } from './settle-interrupted-jobs.js'

/** What a server found left unfinished by the one before it. */
export interface RecoveredWork {
  /** Packages that were being assembled, now FAILED. */
  readonly failedPackages: number
  /** Jobs that were still running, now COMPLETE or FAILED. */
  readonly settledJobs: number
  /** Package zips no package named, removed. */
  readonly removedPackageZips: number
}

/**
 * Run once at startup, before the server takes requests: ends what a stopped
 * or killed server left half done, so that no package stays PROCESSING_UPLOAD,
 * no job stays PROCESSING and no stored zip is left without its package.
 * (Temporary files are swept when the embedded storage opens.)
 */
export async function recoverInterruptedWork(
  storage: ServerStorage,
  timestamp: () => string,
): Promise<RecoveredWork> {
  const failedPackages = await failInterruptedAssemblies(storage.metadata, timestamp)
  const settledJobs = await settleInterruptedJobs(storage.metadata, timestamp)
  const removedPackageZips = await removeUnnamedPackageZips(storage)
  return { failedPackages, settledJobs, removedPackageZips }
}
