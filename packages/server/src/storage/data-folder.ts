import { join, resolve } from 'node:path'

/** The folder a server keeps everything in, unless told otherwise. */
export const DEFAULT_DATA_FOLDER = '.packwright'

/** Where each part of the embedded storage lives inside the data folder. */
export interface DataFolderLayout {
  readonly root: string
  /** The SQLite database of the MetadataStore. */
  readonly metadataDatabase: string
  /** Resource-pool blobs, named by sha1. */
  readonly poolBlobs: string
  /** Package zips, named by sha256. */
  readonly packageBlobs: string
  /** Blobs and uploads being written; same file system as the blobs. Emptied at startup. */
  readonly temporary: string
  /** Names the process that holds the folder: one server per data folder. */
  readonly lock: string
}

export function dataFolderLayout(folder: string = DEFAULT_DATA_FOLDER): DataFolderLayout {
  const root = resolve(folder)
  return {
    root,
    metadataDatabase: join(root, 'metadata.sqlite'),
    poolBlobs: join(root, 'blobs', 'pool'),
    packageBlobs: join(root, 'blobs', 'packages'),
    temporary: join(root, 'tmp'),
    lock: join(root, 'server.lock'),
  }
}
