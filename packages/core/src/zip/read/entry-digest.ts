import { createHash, type Hash, hash } from 'node:crypto'

import { PackwrightError, quoteInput } from '../../errors.js'
import { FLAG_DATA_DESCRIPTOR, METHOD_STORE } from '../zip-constants.js'
import { EmbeddedDataDescriptorFinder } from './find-embedded-data-descriptor.js'
import { type ZipEntryInfo } from './zip-entry-info.js'

/** What reading one entry's bytes established. */
export interface EntryResult {
  readonly size: number
  readonly sha1: string
  readonly sha256: string
  readonly linkTarget?: string
}

/**
 * Takes an entry's verified uncompressed bytes, in one piece or in chunks, and
 * computes in the same pass its size, sha1 and sha256, a symlink's target, and
 * whether stored data hides a data descriptor a streaming reader would end it at.
 */
export class EntryDigest {
  readonly #entry: ZipEntryInfo
  readonly #sha1: Hash = createHash('sha1')
  readonly #sha256: Hash = createHash('sha256')
  readonly #finder: EmbeddedDataDescriptorFinder | undefined
  readonly #target: Buffer[] = []
  #size = 0

  constructor(entry: ZipEntryInfo) {
    this.#entry = entry
    this.#finder =
      entry.method === METHOD_STORE && (entry.flags & FLAG_DATA_DESCRIPTOR) !== 0
        ? new EmbeddedDataDescriptorFinder()
        : undefined
  }

  update(chunk: Buffer): void {
    this.#sha1.update(chunk)
    this.#sha256.update(chunk)
    this.#finder?.push(chunk)
    this.#size += chunk.length
    if (this.#entry.kind === 'symlink') this.#target.push(chunk)
  }

  /**
   * @throws PackwrightError `ZIP_UNACCOUNTED_BYTES` when stored data holds a data descriptor
   *   that matches the data before it.
   */
  finish(): EntryResult {
    throwIfDescriptorFound(this.#entry, this.#finder)
    const [only, ...more] = this.#target
    return entryResult(
      this.#entry,
      this.#size,
      this.#sha1.digest('hex'),
      this.#sha256.digest('hex'),
      more.length === 0 && only !== undefined ? only : Buffer.concat(this.#target),
    )
  }
}

/**
 * Digests an entry's verified uncompressed bytes held in one piece, as
 * {@link EntryDigest} does for chunks, without per-entry hash objects.
 *
 * @throws PackwrightError `ZIP_UNACCOUNTED_BYTES` as {@link EntryDigest.finish} does.
 */
export function digestEntryBytes(entry: ZipEntryInfo, data: Buffer): EntryResult {
  if (entry.method === METHOD_STORE && (entry.flags & FLAG_DATA_DESCRIPTOR) !== 0) {
    const finder = new EmbeddedDataDescriptorFinder()
    finder.push(data)
    throwIfDescriptorFound(entry, finder)
  }
  return entryResult(entry, data.length, hash('sha1', data), hash('sha256', data), data)
}

function entryResult(
  entry: ZipEntryInfo,
  size: number,
  sha1: string,
  sha256: string,
  bytes: Buffer,
): EntryResult {
  return entry.kind === 'symlink'
    ? { size, sha1, sha256, linkTarget: bytes.toString('utf8') }
    : { size, sha1, sha256 }
}

function throwIfDescriptorFound(
  entry: ZipEntryInfo,
  finder: EmbeddedDataDescriptorFinder | undefined,
): void {
  const found = finder?.found
  if (found === undefined) return
  const at = entry.dataOffset + found
  throw new PackwrightError(
    'ZIP_UNACCOUNTED_BYTES',
    `Stored entry ${quoteInput(entry.name)} holds a data descriptor at offset ${at} that matches the data before it: streaming readers end the entry there and read bytes ${at}..${entry.dataOffset + entry.compressedSize} as further entries the central directory does not list; expected no such descriptor inside the data.`,
    { details: { entry: entry.name } },
  )
}
