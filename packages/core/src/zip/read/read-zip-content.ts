import { createHash } from 'node:crypto'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

import { PackwrightError, quoteInput } from '../../errors.js'
import { ContentManifest } from '../../manifest/content-manifest.js'
import { openZip, type OpenZipOptions } from './open-zip.js'
import { MAX_SYMLINK_TARGET_BYTES } from './validate-zip.js'

/**
 * Reads every file and symlink of a zip with `openZip` and records its
 * content manifest: each entry's bytes are streamed through sha256 (a
 * symlink's target is kept, at most `MAX_SYMLINK_TARGET_BYTES`), one entry
 * at a time, so memory does not grow with entry sizes. Folder entries are
 * left out. Any zip whose entries `openZip` can read works, whatever wrote
 * it and however it compressed; `manifest.digest()` is its content digest.
 *
 * The archive's structure is checked as `openZip` checks it, but entry names
 * are not judged: run `validateZip` first to refuse unsafe names.
 *
 * @example
 * const manifest = await readZipContent('package.zip')
 * console.log(manifest.digest())
 *
 * @throws PackwrightError the codes `openZip` and its entry streams throw
 *   (`ZIP_NOT_A_ZIP`, `ZIP_ENTRY_CRC_MISMATCH`, `ABORTED`, …), `ZIP_UNSUPPORTED`
 *   for a symlink target over `MAX_SYMLINK_TARGET_BYTES`. Two entries of the
 *   same name make the manifest's `digest()` throw `INVALID_ARGUMENT`.
 */
export async function readZipContent(
  path: string,
  options: OpenZipOptions = {},
): Promise<ContentManifest> {
  const archive = await openZip(path, options)
  try {
    const manifest = new ContentManifest()
    for (const entry of archive.entries) {
      if (entry.kind === 'directory') continue
      if (entry.kind === 'symlink' && entry.uncompressedSize > MAX_SYMLINK_TARGET_BYTES) {
        throw new PackwrightError(
          'ZIP_UNSUPPORTED',
          `Symlink ${quoteInput(entry.name)} declares a ${entry.uncompressedSize}-byte target; at most ${MAX_SYMLINK_TARGET_BYTES} bytes are supported.`,
          { details: { entry: entry.name } },
        )
      }
      const hash = createHash('sha256')
      const target: Buffer[] = []
      let size = 0
      const keepTarget = entry.kind === 'symlink'
      await pipeline(
        archive.openEntry(entry, options.signal === undefined ? {} : { signal: options.signal }),
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            hash.update(chunk)
            size += chunk.length
            if (keepTarget) target.push(chunk)
            done()
          },
        }),
      )
      manifest.add({
        path: entry.name,
        kind: entry.kind,
        mode: entry.mode.toString(8),
        size,
        sha256: hash.digest('hex'),
        ...(keepTarget ? { linkTarget: Buffer.concat(target).toString('utf8') } : {}),
      })
    }
    return manifest
  } finally {
    await archive.close()
  }
}
