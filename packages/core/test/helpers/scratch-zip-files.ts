import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'

/**
 * A temp folder for the zips one test file writes, made before its tests and
 * removed after them. `write(bytes)` stores one zip there and returns its path.
 */
export function useScratchZipFiles(prefix: string): { write(bytes: Uint8Array): Promise<string> } {
  let dir: string
  let counter = 0
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })
  return {
    async write(bytes) {
      const path = join(dir, `${counter++}.zip`)
      await writeFile(path, bytes)
      return path
    },
  }
}
