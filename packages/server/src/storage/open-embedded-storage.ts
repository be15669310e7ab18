import { mkdir } from 'node:fs/promises'
import { PackwrightError, quoteInput } from '@packwright/core'
import { dataFolderLayout } from './data-folder.js'
import { createDiskBlobStore } from './disk/disk-blob-store.js'
import { lockDataFolder } from './disk/data-folder-lock.js'
import { sweepTemporaryFolder } from './disk/sweep-temporary-folder.js'
import { createKeyedLock } from './keyed-lock.js'
import type { ServerStorage } from './server-storage.js'
import { openSqliteMetadataStore } from './sqlite/sqlite-metadata-store.js'

/**
 * The embedded storage under one data folder: `metadata.sqlite`, pool blobs
 * by sha1 under `blobs/pool/`, package zips by sha256 under
 * `blobs/packages/`, and `tmp/` for blobs and uploads being written. Opening
 * takes the folder for this process (`server.lock`; a lock left by a process
 * that is gone is taken over) and empties `tmp/` of whatever a killed server
 * left there; closing gives the folder back.
 *
 * @throws PackwrightError INVALID_ARGUMENT when the folder cannot be
 *   created or another running server holds it.
 */
export async function openEmbeddedStorage(dataFolder?: string): Promise<ServerStorage> {
  const layout = dataFolderLayout(dataFolder)
  try {
    await mkdir(layout.root, { recursive: true })
  } catch (error) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Could not create the data folder ${quoteInput(layout.root)}: ${error instanceof Error ? error.message : 'unknown error'}.`,
      { cause: error, hint: 'Pass a writable folder with --data.' },
    )
  }
  const lock = await lockDataFolder(layout.root, layout.lock)
  try {
    await sweepTemporaryFolder(layout.temporary)
    const metadata = await openSqliteMetadataStore({ file: layout.metadataDatabase })
    return {
      metadata,
      pool: createDiskBlobStore({
        root: layout.poolBlobs,
        temporaryFolder: layout.temporary,
        algorithm: 'sha1',
        // A pool blob a power loss takes is found missing when next used
        // (its package FAILS, the index forgets it, the retry uploads it):
        // not worth a folder sync per pooled file.
        syncFolders: false,
      }),
      packages: createDiskBlobStore({
        root: layout.packageBlobs,
        temporaryFolder: layout.temporary,
        algorithm: 'sha256',
      }),
      // One server process per data folder: a lock within the process suffices.
      packageZipLock: createKeyedLock(),
      async close() {
        try {
          await metadata.close()
        } finally {
          await lock.release()
        }
      },
    }
  } catch (error) {
    await lock.release()
    throw error
  }
}
