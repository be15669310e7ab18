import { createHash, hash } from 'node:crypto'

import { PackwrightError, quoteInput } from '../../errors.js'
import { ContentManifest } from '../../manifest/content-manifest.js'
import { type OpenZipOptions } from './open-zip.js'
import { type UncompressedBudget, readEntryChunks } from './read-entry-chunks.js'
import { isSmallEntry, readSmallEntry } from './read-small-entry.js'
import { readZipLayout } from './read-zip-layout.js'
import { MAX_SYMLINK_TARGET_BYTES } from './validate-zip.js'
import { zipProblemsError } from './validate-zip-report.js'
import { type ZipEntryInfo } from './zip-entry-info.js'
import { type ZipLimits, resolveZipLimits } from './zip-limits.js'
import { ZipReaderFile } from './zip-reader-file.js'
import { throwIfZipReadAborted } from './zip-reader-errors.js'

/** Small entries read between two checks of the abort signal. */
const ENTRIES_PER_ABORT_CHECK = 1024

/**
 * Reads every file and symlink of a zip with core's zip reader and records
 * its content manifest; `manifest.digest()` is the zip's content digest.
 * The archive is checked as `openZip` checks it (structure, local headers,
 * overlaps, limits), then each entry's bytes are read once, in file order,
 * and hashed with sha256 as they are inflated, their CRC-32 and sizes
 * verified: small entries from shared reads, large ones streamed, so memory
 * does not grow with entry sizes. Folder entries are left out. Any zip
 * `openZip` accepts works, whatever wrote it and however it compressed.
 *
 * Entry names are not judged here: run `validateZip` first to refuse unsafe
 * names (or take `ContentManifest.from(report.entries)` from its report).
 *
 * @example
 * const manifest = await readZipContent('package.zip')
 * console.log(manifest.digest())
 *
 * @throws PackwrightError the codes `openZip` and its entry streams throw
 *   (`ZIP_NOT_A_ZIP`, `ZIP_ENTRY_CRC_MISMATCH`, `ZIP_TOO_LARGE`, `ABORTED`, …),
 *   `ZIP_UNSUPPORTED` for a symlink target over `MAX_SYMLINK_TARGET_BYTES`.
 *   Two entries of the same name make the manifest's `digest()` throw `INVALID_ARGUMENT`.
 */
export async function readZipContent(
  path: string,
  options: OpenZipOptions = {},
): Promise<ContentManifest> {
  const limits = resolveZipLimits(options.limits)
  const { signal } = options
  const file = await ZipReaderFile.open(path, signal)
  try {
    const layout = await readZipLayout(file, limits, signal)
    const [first, ...rest] = layout.problems
    if (first !== undefined) throw zipProblemsError(path, [first, ...rest], 20)
    const byOffset = layout.entries
      .filter((entry) => entry.kind !== 'directory')
      .sort((a, b) => a.localHeaderOffset - b.localHeaderOffset)
    const budget: UncompressedBudget = { remaining: limits.maxTotalUncompressedBytes }
    const manifest = new ContentManifest()
    let untilAbortCheck = ENTRIES_PER_ABORT_CHECK
    for (const [at, entry] of byOffset.entries()) {
      throwIfTargetTooLong(entry)
      let content: { size: number; sha256: string; target?: Buffer }
      if (isSmallEntry(entry, limits)) {
        if (--untilAbortCheck === 0) {
          untilAbortCheck = ENTRIES_PER_ABORT_CHECK
          throwIfZipReadAborted(signal, file.path)
        }
        const data = await readSmallEntry(file, byOffset, at, limits, budget)
        content = { size: data.length, sha256: hash('sha256', data), target: data }
      } else {
        content = await streamEntry(file, entry, limits, budget, signal)
      }
      manifest.add({
        path: entry.name,
        kind: entry.kind,
        mode: entry.mode.toString(8),
        size: content.size,
        sha256: content.sha256,
        ...(entry.kind === 'symlink' ? { linkTarget: content.target?.toString('utf8') } : {}),
      })
    }
    return manifest
  } finally {
    await file.close().catch(() => undefined)
  }
}

async function streamEntry(
  file: ZipReaderFile,
  entry: ZipEntryInfo,
  limits: ZipLimits,
  budget: UncompressedBudget,
  signal: AbortSignal | undefined,
): Promise<{ size: number; sha256: string; target?: Buffer }> {
  const sha256 = createHash('sha256')
  const target: Buffer[] = []
  let size = 0
  for await (const chunk of readEntryChunks(file, entry, {
    limits,
    budget,
    ...(signal === undefined ? {} : { signal }),
  })) {
    sha256.update(chunk)
    size += chunk.length
    if (entry.kind === 'symlink') target.push(chunk)
  }
  return { size, sha256: sha256.digest('hex'), target: Buffer.concat(target) }
}

function throwIfTargetTooLong(entry: ZipEntryInfo): void {
  if (entry.kind === 'symlink' && entry.uncompressedSize > MAX_SYMLINK_TARGET_BYTES) {
    throw new PackwrightError(
      'ZIP_UNSUPPORTED',
      `Symlink ${quoteInput(entry.name)} declares a ${entry.uncompressedSize}-byte target; at most ${MAX_SYMLINK_TARGET_BYTES} bytes are supported.`,
      { details: { entry: entry.name } },
    )
  }
}
