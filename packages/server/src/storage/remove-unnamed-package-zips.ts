import type { ServerStorage } from './server-storage.js'

/**
 * Removes package zips no package record names: a server stopped between
 * storing a zip and marking its package READY, or between deleting a package
 * and its zip. Only safe while nothing is being assembled (at startup).
 * Answers how many zips were removed.
 */
export async function removeUnnamedPackageZips(storage: ServerStorage): Promise<number> {
  let removed = 0
  for await (const sha256 of storage.packages.list()) {
    if ((await storage.metadata.countPackagesWithSha256(sha256)) > 0) continue
    if (await storage.packages.delete(sha256)) removed += 1
  }
  return removed
}
