import { type EntryMode, type ResourceEntry } from './resource-manifest.js'

/** Bytes of one entry's digests: SHA-1 (20) then SHA-256 (32). */
const DIGESTS_BYTES = 52
const SHA1_BYTES = 20
const MODES: readonly EntryMode[] = ['644', '755', '777']

/**
 * The files and symlinks of a written package, in zip order (sorted by path),
 * kept compactly: sizes, modes and digests in typed arrays outside the
 * JavaScript heap, paths shared with the plan. Each entry becomes a
 * {@link ResourceEntry} (with hex digests) only when asked for. A package of
 * 200,000 files costs about 70 bytes an entry this way, against about 210 as
 * an array of entry objects.
 *
 * @example
 * for (const { path, sha256 } of written.entries) console.log(sha256, path)
 * const everything = written.entries.toArray()
 */
export class ResourceList implements Iterable<ResourceEntry> {
  private paths: string[]
  private sizes: Float64Array
  private modes: Uint8Array
  private digests: Buffer
  /** Symlink targets by index: few entries are links, so they are kept aside. */
  private readonly linkTargets = new Map<number, string>()
  private count = 0

  /** An empty list with room for `capacity` entries (it grows past them when it must). */
  constructor(capacity = 16) {
    const room = Math.max(1, Math.floor(capacity))
    // Filled, not `new Array(room)`: V8 keeps large holey arrays as slow dictionaries.
    this.paths = Array.from({ length: room }, () => '')
    this.sizes = new Float64Array(room)
    this.modes = new Uint8Array(room)
    this.digests = Buffer.allocUnsafeSlow(room * DIGESTS_BYTES)
  }

  /**
   * A list of the given entries, in the order given (a manifest read back
   * from JSON, a test's fixture); a symlink's `linkTarget` is kept when given.
   * @throws TypeError when a digest is not lowercase hex of its length
   */
  static from(entries: Iterable<ResourceEntry & { readonly linkTarget?: string }>): ResourceList {
    const all = [...entries]
    const list = new ResourceList(all.length)
    const digests = Buffer.alloc(DIGESTS_BYTES)
    for (const entry of all) {
      if (!/^[0-9a-f]{40}$/.test(entry.sha1) || !/^[0-9a-f]{64}$/.test(entry.sha256)) {
        throw new TypeError(`Invalid digests for ${JSON.stringify(entry.path)}: expected hex.`)
      }
      digests.write(entry.sha1, 0, 'hex')
      digests.write(entry.sha256, SHA1_BYTES, 'hex')
      list.add(entry.path, entry.mode, entry.size, digests, 0, entry.linkTarget)
    }
    return list
  }

  /** Files and symlinks in the list. */
  get length(): number {
    return this.count
  }

  /**
   * Appends an entry; `digests` holds its SHA-1 then its SHA-256 from
   * `offset` on, and `linkTarget` a symlink's target (its content as text).
   * The writer calls this in zip order.
   */
  add(
    path: string,
    mode: EntryMode,
    size: number,
    digests: Uint8Array,
    offset = 0,
    linkTarget?: string,
  ): void {
    const index = this.count
    if (index === this.sizes.length) this.grow()
    this.paths[index] = path
    if (mode === '777' && linkTarget !== undefined) this.linkTargets.set(index, linkTarget)
    this.sizes[index] = size
    this.modes[index] = MODES.indexOf(mode)
    this.digests.set(digests.subarray(offset, offset + DIGESTS_BYTES), index * DIGESTS_BYTES)
    this.count++
  }

  /** The entry at `index` (0-based, in zip order), or undefined past the end. */
  at(index: number): ResourceEntry | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined
    const mode = MODES[this.modes[index] as number] as EntryMode
    const at = index * DIGESTS_BYTES
    return {
      path: this.paths[index] as string,
      kind: mode === '777' ? 'symlink' : 'file',
      size: this.sizes[index] as number,
      mode,
      sha1: this.digests.toString('hex', at, at + SHA1_BYTES),
      sha256: this.digests.toString('hex', at + SHA1_BYTES, at + DIGESTS_BYTES),
    }
  }

  /**
   * The target of the symlink at `index` (its content decoded as UTF-8), or
   * undefined for a file, past the end, or a link added without its target.
   */
  linkTargetAt(index: number): string | undefined {
    return this.linkTargets.get(index)
  }

  *[Symbol.iterator](): Iterator<ResourceEntry> {
    for (let index = 0; index < this.count; index++) {
      yield this.at(index) as ResourceEntry
    }
  }

  /** Every entry as an object: a plain resource manifest (costs the memory this list saves). */
  toArray(): ResourceEntry[] {
    return [...this]
  }

  private grow(): void {
    const room = this.sizes.length * 2
    for (let index = this.paths.length; index < room; index++) this.paths.push('')
    const sizes = new Float64Array(room)
    sizes.set(this.sizes)
    this.sizes = sizes
    const modes = new Uint8Array(room)
    modes.set(this.modes)
    this.modes = modes
    const digests = Buffer.allocUnsafeSlow(room * DIGESTS_BYTES)
    this.digests.copy(digests)
    this.digests = digests
  }
}
