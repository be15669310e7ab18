import { mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * Empties the data folder's temporary folder at startup: partial uploads,
 * package zips being written and blobs not yet renamed into place, left by a
 * server that was killed. Only the server holding the data folder's lock
 * may call it. Answers how many entries were removed.
 */
export async function sweepTemporaryFolder(folder: string): Promise<number> {
  await mkdir(folder, { recursive: true })
  const names = await readdir(folder)
  for (const name of names) await rm(join(folder, name), { recursive: true, force: true })
  return names.length
}
