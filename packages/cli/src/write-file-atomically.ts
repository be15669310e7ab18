import { randomBytes } from 'node:crypto'
import { rename, rm, writeFile } from 'node:fs/promises'

/**
 * Writes `content` to a temp file beside `path`, then renames it: never
 * half-written. When `signal` aborts first, the temp file is removed and
 * `path` is left as it was.
 */
export async function writeFileAtomically(
  path: string,
  content: string,
  signal?: AbortSignal,
): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(temp, content, signal === undefined ? {} : { signal })
    signal?.throwIfAborted()
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}
