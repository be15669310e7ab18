import { open } from 'node:fs/promises'

/**
 * Flushes a folder's entries to disk, so that a file renamed into it (or a
 * folder created in it) is still there after a power loss, not only after a
 * crash of the process.
 */
export async function syncFolder(path: string): Promise<void> {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
