import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rename, rm, writeFile } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

/**
 * Writes `content` to a temp file beside `path`, then renames it: never
 * half-written. `content` may come in pieces (an iterable of strings), which
 * are written one after the other, so the whole text is never held at once.
 * When `signal` aborts first, the temp file is removed and `path` is left as
 * it was.
 */
export async function writeFileAtomically(
  path: string,
  content: string | Iterable<string>,
  signal?: AbortSignal,
): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  const options = signal === undefined ? {} : { signal }
  try {
    if (typeof content === 'string') {
      await writeFile(temp, content, options)
    } else {
      await pipeline(Readable.from(content), createWriteStream(temp, { flags: 'wx' }), options)
    }
    signal?.throwIfAborted()
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}
