import { createHash, randomBytes } from 'node:crypto'
import { mkdir, open, readFile, readdir, rename, stat, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Readable } from 'node:stream'
import { PackwrightError } from '@packwright/core'
import { assertBlobDigest } from '../blob-digest.js'
import type { BlobDigestAlgorithm, BlobStore, PutBlobOptions, StoredBlob } from '../blob-store.js'
import { syncFolder } from './sync-folder.js'

export interface DiskBlobStoreOptions {
  /** Folder holding the blobs, fanned out as `ab/cd/<digest>`. */
  readonly root: string
  /** Folder for blobs being written; must be on the same file system as `root`. */
  readonly temporaryFolder: string
  readonly algorithm: BlobDigestAlgorithm
  /**
   * Sync the folder after each rename, so a stored blob survives a power
   * loss, not only a crash of the process. A blob's own bytes are always
   * synced before it is renamed into place, so without this a power loss can
   * lose a blob but never leave one whose bytes do not match its name.
   * @default true
   */
  readonly syncFolders?: boolean
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT'
}

/**
 * A BlobStore on the local disk. A put streams into a temporary file while
 * hashing, syncs it, checks the digest and only then renames it into place
 * (and syncs the folder), so a reader never sees a partial blob or one whose
 * bytes do not match its name, even after a crash. A crash leaves at most a
 * temporary file, which the startup sweep removes.
 */
export function createDiskBlobStore(options: DiskBlobStoreOptions): BlobStore {
  const { root, temporaryFolder, algorithm } = options
  const syncFolders = options.syncFolders ?? true

  function pathOf(digest: string): string {
    assertBlobDigest(algorithm, digest)
    return join(root, digest.slice(0, 2), digest.slice(2, 4), digest)
  }

  async function put(
    digest: string,
    source: AsyncIterable<Uint8Array>,
    putOptions: PutBlobOptions = {},
  ): Promise<StoredBlob> {
    const target = pathOf(digest)
    await mkdir(temporaryFolder, { recursive: true })
    const temporary = join(temporaryFolder, `${algorithm}-${randomBytes(8).toString('hex')}.part`)
    const handle = await open(temporary, 'wx', 0o600)
    let kept = false
    try {
      const hash = createHash(algorithm)
      let size = 0
      for await (const chunk of source) {
        putOptions.signal?.throwIfAborted()
        hash.update(chunk)
        size += chunk.byteLength
        await handle.write(chunk)
      }
      putOptions.signal?.throwIfAborted()
      await handle.sync()
      await handle.close()
      const actual = hash.digest('hex')
      if (actual !== digest) {
        throw new PackwrightError(
          'CHECKSUM_MISMATCH',
          `Blob content does not match its name: expected ${algorithm} ${digest}, got ${actual}; nothing was stored.`,
          { details: { algorithm, expected: digest, actual } },
        )
      }
      const folder = dirname(target)
      const created = await mkdir(folder, { recursive: true })
      await rename(temporary, target)
      kept = true
      // The rename, and any fan-out folder it needed, must outlive a power loss too.
      if (syncFolders) await syncFolder(folder)
      if (syncFolders && created !== undefined) {
        await syncFolder(dirname(folder))
        await syncFolder(root)
      }
      return { digest, size }
    } finally {
      if (!kept) {
        await handle.close().catch(() => undefined)
        await unlink(temporary).catch(() => undefined)
      }
    }
  }

  async function size(digest: string): Promise<number | undefined> {
    try {
      const info = await stat(pathOf(digest))
      return info.isFile() ? info.size : undefined
    } catch (error) {
      if (isMissingFile(error)) return undefined
      throw error
    }
  }

  async function get(digest: string): Promise<Readable> {
    const path = pathOf(digest)
    const handle = await open(path, 'r').catch((error: unknown) => {
      if (!isMissingFile(error)) throw error
      throw new PackwrightError(
        'RESOURCE_NOT_CACHED',
        `The blob store has no blob ${algorithm} ${digest}.`,
        { details: { algorithm, digest } },
      )
    })
    return handle.createReadStream()
  }

  async function readBytes(digest: string): Promise<Buffer> {
    return readFile(pathOf(digest)).catch((error: unknown) => {
      if (!isMissingFile(error)) throw error
      throw new PackwrightError(
        'RESOURCE_NOT_CACHED',
        `The blob store has no blob ${algorithm} ${digest}.`,
        { details: { algorithm, digest } },
      )
    })
  }

  async function exists(digest: string): Promise<boolean> {
    return (await size(digest)) !== undefined
  }

  async function remove(digest: string): Promise<boolean> {
    try {
      await unlink(pathOf(digest))
      return true
    } catch (error) {
      if (isMissingFile(error)) return false
      throw error
    }
  }

  const digestName = algorithm === 'sha1' ? /^[0-9a-f]{40}$/ : /^[0-9a-f]{64}$/

  async function* list(): AsyncIterable<string> {
    const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(
      (error: unknown) => {
        if (isMissingFile(error)) return []
        throw error
      },
    )
    for (const entry of entries) {
      if (entry.isFile() && digestName.test(entry.name)) yield entry.name
    }
  }

  return { algorithm, put, get, readBytes, size, exists, delete: remove, list }
}
