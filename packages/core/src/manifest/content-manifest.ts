import { createHash } from 'node:crypto'

import { PackwrightError, quoteInput } from '../errors.js'
import { type ResourceList } from './resource-list.js'

/**
 * The first line of the canonical text a content digest is taken over; the
 * version changes whenever the form of the text does.
 */
export const CONTENT_MANIFEST_HEADER = 'packwright-content-manifest v1'

/** One file, symlink or folder of a package, as far as its content digest is concerned. */
export interface ContentEntry {
  /** Path inside the package, `/`-separated; a folder's may end with `/`. */
  readonly path: string
  /** Folders are accepted and left out: they are implied by the files under them. */
  readonly kind: 'file' | 'symlink' | 'directory'
  /** Permission bits in octal (`644`, `755`, `777`, …). */
  readonly mode: string
  /** Size of the content in bytes (a symlink's content is its target). */
  readonly size: number
  /** sha256 of the content, lowercase hex; required for files and symlinks. */
  readonly sha256?: string | undefined
  /** A symlink's target, its content decoded as UTF-8; required for symlinks. */
  readonly linkTarget?: string | undefined
}

/** A file or symlink of a content manifest: what it records for one entry. */
export interface ContentManifestEntry {
  readonly path: string
  readonly kind: 'file' | 'symlink'
  /** Permission bits in octal, at least three digits (`644`, `755`, `777`, `4755`). */
  readonly mode: string
  readonly size: number
  readonly sha256: string
  /** The target of a symlink (absent for files). */
  readonly linkTarget?: string
}

/** Characters of canonical text hashed in one update. */
const HASH_BATCH_CHARS = 64 * 1024
const KIND_FILE = 0
const KIND_SYMLINK = 1
const SHA256_BYTES = 32
/** Bytes of printable ASCII other than the space and `%` stand for themselves; the rest are escaped. */
const ESCAPED_BYTE = /[^\x21-\x24\x26-\x7e]/
const OCTAL_MODE = /^[0-7]{1,6}$/
const SHA256_HEX = /^[0-9a-f]{64}$/
const SURROGATE = /[\ud800-\udfff]/
const LONE_SURROGATE = /\p{Surrogate}/u

/**
 * The canonical content manifest of a package: its files and symlinks with
 * their type, permission bits, size, sha256 and link target, whatever order
 * they were added in and however the zip compressed them. Folders are not
 * part of it (a folder exists because a file is in it), so a zip with
 * ancestor folder entries and one without them have the same manifest.
 *
 * Its {@link ContentManifest.digest} is the sha256 of this canonical text,
 * in ASCII:
 *
 * - the line `packwright-content-manifest v1`;
 * - then one line per file and symlink, sorted by path, where paths compare
 *   by the bytes of their UTF-8 encoding (Unicode code point order):
 *   `file <mode> <size> <sha256> <path>` or
 *   `symlink <mode> <size> <sha256> <path> <target>`;
 * - `<mode>` is the permission bits in octal, without leading zeros past
 *   three digits (`644`, `755`, `777`, `4755`); `<size>` is decimal bytes;
 *   `<sha256>` is 64 lowercase hex digits of the content's sha256 (a symlink's
 *   content is its target);
 * - `<path>` and `<target>` are percent-escaped UTF-8: every byte outside
 *   `!`..`~` (0x21–0x7E), and `%` itself, is written as `%` and two uppercase
 *   hex digits, so no field holds a space or a line break and each text has
 *   exactly one reading;
 * - every line, the last included, ends with one line feed (0x0A).
 *
 * The digest is printed as 64 lowercase hex digits. Entries are kept
 * compactly (about 60 bytes an entry besides its path) and the text is
 * hashed line by line as it is made, never held whole.
 *
 * @example
 * const manifest = ContentManifest.fromResources(generated.entries)
 * console.log(manifest.digest())
 */
export class ContentManifest {
  private paths: string[] = []
  private kinds = new Uint8Array(16)
  private modes = new Uint16Array(16)
  private sizes = new Float64Array(16)
  private sha256s = Buffer.alloc(16 * SHA256_BYTES)
  private readonly linkTargets = new Map<number, string>()
  private order: number[] | undefined

  /**
   * A manifest of the given entries (folders are skipped).
   * @throws PackwrightError `INVALID_ARGUMENT` as {@link ContentManifest.add} does.
   */
  static from(entries: Iterable<ContentEntry>): ContentManifest {
    const manifest = new ContentManifest()
    for (const entry of entries) manifest.add(entry)
    return manifest
  }

  /**
   * The manifest of a written package's resource list (what
   * `writeDeterministicZip` and `generatePackage` return as `entries`).
   * @throws PackwrightError `INVALID_ARGUMENT` when a symlink was listed without its target.
   */
  static fromResources(list: ResourceList): ContentManifest {
    const manifest = new ContentManifest()
    for (let index = 0; index < list.length; index++) {
      const entry = list.at(index)
      if (entry === undefined) break
      manifest.add({
        path: entry.path,
        kind: entry.kind,
        mode: entry.mode,
        size: entry.size,
        sha256: entry.sha256,
        linkTarget: list.linkTargetAt(index),
      })
    }
    return manifest
  }

  /** Files and symlinks in the manifest. */
  get length(): number {
    return this.paths.length
  }

  /**
   * Adds an entry; a folder is skipped.
   * @throws PackwrightError `INVALID_ARGUMENT` for an entry that cannot be
   *   recorded: a path that is empty, not well-formed UTF-16 or already
   *   added, a mode that is not octal permission bits, a size that is not a
   *   whole number of bytes, a sha256 that is not 64 lowercase hex digits,
   *   a symlink without its target.
   */
  add(entry: ContentEntry): void {
    if (entry.kind === 'directory') return
    const { path } = entry
    if (path === '' || isMalformed(path)) {
      throw invalidEntry(path, 'path', 'a non-empty, well-formed Unicode path')
    }
    const mode = OCTAL_MODE.test(entry.mode) ? Number.parseInt(entry.mode, 8) : -1
    if (mode < 0 || mode > 0o7777) {
      throw invalidEntry(
        path,
        'mode',
        `octal permission bits (0 to 7777), got ${quoteInput(entry.mode)}`,
      )
    }
    if (!Number.isSafeInteger(entry.size) || entry.size < 0) {
      throw invalidEntry(path, 'size', `a whole number of bytes, got ${String(entry.size)}`)
    }
    if (entry.sha256 === undefined || !SHA256_HEX.test(entry.sha256)) {
      throw invalidEntry(path, 'sha256', '64 lowercase hex digits of the content sha256')
    }
    if (
      entry.kind === 'symlink' &&
      (entry.linkTarget === undefined || isMalformed(entry.linkTarget))
    ) {
      throw invalidEntry(path, 'linkTarget', 'the well-formed target of the symlink')
    }
    const index = this.paths.length
    if (index === this.sizes.length) this.grow()
    this.paths.push(path)
    this.kinds[index] = entry.kind === 'symlink' ? KIND_SYMLINK : KIND_FILE
    this.modes[index] = mode
    this.sizes[index] = entry.size
    this.sha256s.write(entry.sha256, index * SHA256_BYTES, 'hex')
    if (entry.kind === 'symlink') this.linkTargets.set(index, entry.linkTarget as string)
    this.order = undefined
  }

  /**
   * The entries in canonical order (by the UTF-8 bytes of their paths).
   * @throws PackwrightError `INVALID_ARGUMENT` when two entries have the same path.
   */
  *entries(): Generator<ContentManifestEntry> {
    for (const index of this.sortedIndexes()) yield this.entryAt(index)
  }

  /**
   * The canonical text, line by line (each line without its line feed): the
   * header, then one line per entry in canonical order.
   * @throws PackwrightError `INVALID_ARGUMENT` when two entries have the same path.
   */
  *lines(): Generator<string> {
    yield CONTENT_MANIFEST_HEADER
    for (const index of this.sortedIndexes()) yield this.lineAt(index)
  }

  /**
   * The content digest: sha256 of the canonical text, 64 lowercase hex digits.
   * @throws PackwrightError `INVALID_ARGUMENT` when two entries have the same path.
   */
  digest(): string {
    const hash = createHash('sha256')
    // Lines are hashed a few hundred at a time: one update per line costs more than the hashing.
    let pending = ''
    for (const line of this.lines()) {
      pending += `${line}\n`
      if (pending.length >= HASH_BATCH_CHARS) {
        hash.update(pending, 'latin1')
        pending = ''
      }
    }
    hash.update(pending, 'latin1')
    return hash.digest('hex')
  }

  private entryAt(index: number): ContentManifestEntry {
    const kind = this.kinds[index] === KIND_SYMLINK ? 'symlink' : 'file'
    const target = this.linkTargets.get(index)
    return {
      path: this.paths[index] as string,
      kind,
      mode: (this.modes[index] as number).toString(8).padStart(3, '0'),
      size: this.sizes[index] as number,
      sha256: this.sha256s.toString('hex', index * SHA256_BYTES, (index + 1) * SHA256_BYTES),
      ...(target === undefined ? {} : { linkTarget: target }),
    }
  }

  private lineAt(index: number): string {
    const entry = this.entryAt(index)
    const line = `${entry.kind} ${entry.mode} ${entry.size} ${entry.sha256} ${escapeField(entry.path)}`
    return entry.linkTarget === undefined ? line : `${line} ${escapeField(entry.linkTarget)}`
  }

  private sortedIndexes(): readonly number[] {
    if (this.order !== undefined) return this.order
    const { paths } = this
    const order = Array.from({ length: paths.length }, (_, index) => index)
    const compare = paths.some((path) => /[\ud800-\uffff]/.test(path))
      ? compareCodePoints
      : compareCodeUnits
    let sorted = true
    for (let index = 1; index < paths.length && sorted; index++) {
      sorted = compare(paths[index - 1] as string, paths[index] as string) < 0
    }
    if (!sorted) order.sort((a, b) => compare(paths[a] as string, paths[b] as string))
    for (let at = 1; at < order.length; at++) {
      const path = paths[order[at] as number] as string
      if (path === paths[order[at - 1] as number]) {
        throw new PackwrightError(
          'INVALID_ARGUMENT',
          `Content entry ${quoteInput(path)} is listed twice; expected each path once.`,
          { details: { path } },
        )
      }
    }
    this.order = order
    return order
  }

  private grow(): void {
    const room = this.sizes.length * 2
    const kinds = new Uint8Array(room)
    kinds.set(this.kinds)
    this.kinds = kinds
    const modes = new Uint16Array(room)
    modes.set(this.modes)
    this.modes = modes
    const sizes = new Float64Array(room)
    sizes.set(this.sizes)
    this.sizes = sizes
    const sha256s = Buffer.alloc(room * SHA256_BYTES)
    this.sha256s.copy(sha256s)
    this.sha256s = sha256s
  }
}

/**
 * The content digest of entries given in any order: the digest of their
 * {@link ContentManifest}.
 *
 * @throws PackwrightError `INVALID_ARGUMENT` as {@link ContentManifest.add} does, or for a path given twice.
 */
export function computeContentDigest(entries: ResourceList | Iterable<ContentEntry>): string {
  const manifest =
    'linkTargetAt' in entries
      ? ContentManifest.fromResources(entries)
      : ContentManifest.from(entries)
  return manifest.digest()
}

/** A path or link target as written in the canonical text: percent-escaped UTF-8. */
function escapeField(text: string): string {
  if (!ESCAPED_BYTE.test(text)) return text
  let escaped = ''
  for (const byte of Buffer.from(text, 'utf8')) {
    escaped +=
      byte >= 0x21 && byte <= 0x7e && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return escaped
}

/** Whether `text` holds a surrogate that is not half of a pair (no UTF-8 encoding). */
function isMalformed(text: string): boolean {
  return SURROGATE.test(text) && LONE_SURROGATE.test(text)
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Code point order (the order of UTF-8 bytes) of well-formed strings, without encoding them. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length)
  for (let at = 0; at < length; at++) {
    const x = a.charCodeAt(at)
    const y = b.charCodeAt(at)
    if (x !== y) return codePointRank(x) - codePointRank(y)
  }
  return a.length - b.length
}

/** Moves surrogates above U+E000..U+FFFF, so code units compare as the code points they start. */
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000
}

function invalidEntry(path: string, field: string, expected: string): PackwrightError {
  return new PackwrightError(
    'INVALID_ARGUMENT',
    `Content entry ${quoteInput(path)} has an invalid ${field}; expected ${expected}.`,
    { details: { path, field } },
  )
}
