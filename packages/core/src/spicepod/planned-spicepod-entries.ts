import { comparePaths } from '../_internal/compare-paths.js'
import { quoteInput } from '../errors.js'
import { type Logger } from '../logger.js'
import { type PlannedEntry } from '../plan/planned-entry.js'
import { spicepodError } from './spicepod-error.js'

interface PlannedFrom {
  readonly entry: PlannedEntry
  /** What linked it, for messages (`` `views[0].sql_ref` in spicepod.yaml ``). */
  readonly from: string
}

/**
 * The files of a spicepod package planned so far, by zip path: a file linked
 * more than once is kept once, while two different files for one zip path
 * are an error (Spice fails on any repeated name).
 */
export class PlannedSpicepodEntries {
  readonly #byZipPath = new Map<string, PlannedFrom>()
  readonly #logger: Logger

  constructor(logger: Logger) {
    this.#logger = logger
  }

  /** True when something is already planned at `zipPath`. */
  has(zipPath: string): boolean {
    return this.#byZipPath.has(zipPath)
  }

  /**
   * Plans `entry`, linked by `from`, unless the same source file is already planned there.
   *
   * @throws PackwrightError `SPICEPOD_ZIP_FAILED` when another file is planned at its zip path.
   */
  add(entry: PlannedEntry, from: string): void {
    const existing = this.#byZipPath.get(entry.zipPath)
    if (existing === undefined) {
      this.#byZipPath.set(entry.zipPath, { entry, from })
      return
    }
    if (existing.entry.sourcePath === entry.sourcePath) {
      this.#logger.debug(
        `${entry.zipPath} is linked more than once (${existing.from}; ${from}); packaged once.`,
      )
      return
    }
    throw spicepodError(
      'SPICEPOD_ZIP_FAILED',
      `Two different files would be stored as ${quoteInput(entry.zipPath)}: ${quoteInput(existing.entry.sourcePath)} (${existing.from}) and ${quoteInput(entry.sourcePath)} (${from}).`,
      { path: entry.zipPath },
      { hint: 'Rename one of the files, or link only one of them.' },
    )
  }

  /** Every planned entry, sorted by zip path in code-unit order. */
  sorted(): PlannedEntry[] {
    return [...this.#byZipPath.values()]
      .map(({ entry }) => entry)
      .sort((a, b) => comparePaths(a.zipPath, b.zipPath))
  }
}
