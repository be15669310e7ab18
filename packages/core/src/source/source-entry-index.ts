import { comparePaths } from '../_internal/compare-paths.js'
import { type SourceEntry } from './source-reader.js'

/**
 * A sorted, immutable index of a source's entries, for readers that know the
 * whole tree up front (a git commit, a GitHub tree): listing a prefix is a
 * binary search plus a slice.
 */
export class SourceEntryIndex {
  readonly #entries: readonly SourceEntry[]
  readonly #byPath: ReadonlyMap<string, SourceEntry>

  constructor(entries: Iterable<SourceEntry>) {
    const sorted = [...entries].sort((a, b) => comparePaths(a.path, b.path))
    this.#entries = sorted
    this.#byPath = new Map(sorted.map((entry) => [entry.path, entry]))
  }

  get size(): number {
    return this.#entries.length
  }

  /** The entry at `path`, if any. */
  get(path: string): SourceEntry | undefined {
    return this.#byPath.get(path)
  }

  /** Every entry under the folder `prefix` (`''`: all), in code-unit order. */
  list(prefix: string): SourceEntry[] {
    if (prefix === '') return [...this.#entries]
    const start = `${prefix}/`
    let low = 0
    let high = this.#entries.length
    while (low < high) {
      const middle = (low + high) >>> 1
      const entry = this.#entries[middle] as SourceEntry
      if (entry.path < start) low = middle + 1
      else high = middle
    }
    const listed: SourceEntry[] = []
    for (let i = low; i < this.#entries.length; i++) {
      const entry = this.#entries[i] as SourceEntry
      if (!entry.path.startsWith(start)) break
      listed.push(entry)
    }
    return listed
  }
}
