import { type ErrorCode, PackwrightError } from '../../errors.js'
import { type ZipEntryKind } from './zip-entry-info.js'

/** One thing wrong with a zip: a stable code, a sentence naming what was expected and found, and the entry when there is one. */
export interface ZipProblem {
  readonly code: ErrorCode
  readonly message: string
  /** Name of the entry concerned, when the problem belongs to one entry. */
  readonly entry?: string
}

/** One entry as `validateZip` saw it. Checksums are present only when the entry's bytes were read and verified. */
export interface InspectedEntry {
  readonly path: string
  readonly kind: ZipEntryKind
  /** Uncompressed size: the verified size when the entry was read, else the declared one. */
  readonly size: number
  readonly compressedSize: number
  /** Permission bits in octal (`644`, `755`, `777`, …). */
  readonly mode: '644' | '755' | '777' | (string & {})
  readonly method: 'store' | 'deflate' | `method ${number}`
  /** Declared CRC-32, 8 lowercase hex digits. */
  readonly crc32: string
  readonly sha1?: string
  readonly sha256?: string
  /** Target of a symlink entry, when it was read. */
  readonly linkTarget?: string
}

/** Everything `validateZip` found out about one zip file. */
export interface ZipValidationReport {
  /** True when `problems` is empty. */
  readonly valid: boolean
  readonly problems: readonly ZipProblem[]
  /** Entries in central-directory order (empty when the central directory could not be read). */
  readonly entries: readonly InspectedEntry[]
  /** Sum of the entries' uncompressed sizes (verified where read, else declared). */
  readonly totalUncompressedBytes: number
  /**
   * sha256 of the zip file's bytes, lowercase hex: the package digest. Absent when the
   * archive's structure could not be read (the file is then not hashed at all).
   */
  readonly sha256?: string
  /** Size of the zip file in bytes. */
  readonly size: number
}

/**
 * The error for a zip with problems: the first problem's code and message,
 * how many more there are, and up to `keep` of them in `details.problems`.
 */
export function zipProblemsError(
  path: string,
  problems: readonly [ZipProblem, ...ZipProblem[]],
  keep: number,
): PackwrightError {
  const [first] = problems
  const more = problems.length - 1
  const suffix = more === 0 ? '' : ` (and ${more} more ${more === 1 ? 'problem' : 'problems'})`
  return new PackwrightError(first.code, `${first.message}${suffix}`, {
    details: { path, entry: first.entry, problems: problems.slice(0, keep) },
  })
}
