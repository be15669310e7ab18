import { PackwrightError, quoteInput } from '../errors.js'
import { MAX_ENTRY_NAME_BYTES } from '../zip/read/read-central-directory.js'
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from '../zip/read/zip-limits.js'
import { type PlannedEntry } from './planned-entry.js'

/** Bytes of a central directory record before its name (APPNOTE §4.3.12). */
const CENTRAL_RECORD_BYTES = 46
/** A ZIP64 extra field holding both sizes, written when an entry reaches 4 GiB. */
const ZIP64_SIZES_EXTRA_BYTES = 20
const U32_MAX = 0xffffffff

/** What a package planned so far adds up to, in the units the zip validator limits. */
export interface PackageTotals {
  /** Files, symlinks and the folder entries the writer adds above them. */
  readonly entries: number
  readonly uncompressedBytes: number
  /** A lower bound of the central directory size (ZIP64 offsets are not known before writing). */
  readonly centralDirectoryBytes: number
}

/**
 * Counts planned entries against the limits a zip reader applies
 * (`validateZip`, `packwright inspect`), one entry at a time, so a planner
 * can stop as soon as a package would be refused instead of after listing it.
 */
export interface PackageBudget {
  /**
   * Counts `entry` and its not yet counted ancestor folders.
   * @throws PackwrightError `PACKAGE_LIMIT_EXCEEDED` once a limit is passed.
   */
  add(entry: PlannedEntry): void
  readonly totals: PackageTotals
}

export interface PackageBudgetOptions {
  /** Resolved limits (see `resolveZipLimits`). */
  readonly limits: ZipLimits
  /** How the package was being planned, for messages ("following symlinks under \"app\""). */
  readonly activity: string
  /** What the user can do about it, besides raising the limit. */
  readonly remedy: string
}

type LimitName = 'maxEntries' | 'maxTotalUncompressedBytes' | 'maxCentralDirectoryBytes'

const LIMIT_UNITS: Record<LimitName, string> = {
  maxEntries: 'entries (files, symlinks and the folder entries above them)',
  maxTotalUncompressedBytes: 'bytes of file content',
  maxCentralDirectoryBytes: 'bytes of central directory (entry names and headers)',
}

/** The `packwright generate` flags that raise a limit. */
const LIMIT_FLAGS: Partial<Record<LimitName, string>> = {
  maxEntries: ' (`--max-entries`)',
  maxTotalUncompressedBytes: ' (`--max-total-bytes`)',
}

/** Starts an empty budget: nothing counted yet. */
export function createPackageBudget(options: PackageBudgetOptions): PackageBudget {
  const { limits } = options
  const folders = new Set<string>()
  let entries = 0
  let uncompressedBytes = 0
  let centralDirectoryBytes = 0

  const exceeded = (limit: LimitName, reached: number, path: string): PackwrightError => {
    const isDefault = limits[limit] === DEFAULT_ZIP_LIMITS[limit]
    return new PackwrightError(
      'PACKAGE_LIMIT_EXCEEDED',
      `The package would hold more than ${limits[limit]} ${LIMIT_UNITS[limit]}, ` +
        `${isDefault ? 'the most `packwright inspect` accepts by default' : 'the limit given'}: ` +
        `${options.activity} reached ${reached} at ${quoteInput(path)}, so nothing was written.`,
      {
        hint: `${options.remedy}, or raise limits.${limit}${LIMIT_FLAGS[limit] ?? ''} if whoever reads the package accepts more.`,
        details: { limit, max: limits[limit], reached, path },
      },
    )
  }

  const addRecord = (name: string, size: number, path: string): void => {
    entries += 1
    if (entries > limits.maxEntries) throw exceeded('maxEntries', entries, path)
    centralDirectoryBytes +=
      CENTRAL_RECORD_BYTES +
      Buffer.byteLength(name) +
      (size >= U32_MAX ? ZIP64_SIZES_EXTRA_BYTES : 0)
    if (centralDirectoryBytes > limits.maxCentralDirectoryBytes) {
      throw exceeded('maxCentralDirectoryBytes', centralDirectoryBytes, path)
    }
  }

  return {
    add(entry) {
      const path = entry.zipPath
      const nameBytes = Buffer.byteLength(path)
      if (nameBytes > MAX_ENTRY_NAME_BYTES) {
        throw new PackwrightError(
          'PACKAGE_LIMIT_EXCEEDED',
          `Package path ${quoteInput(path)} is ${nameBytes} bytes long; zip readers accept at most ${MAX_ENTRY_NAME_BYTES}: ${options.activity} made it, so nothing was written.`,
          {
            hint: `${options.remedy}.`,
            details: {
              limit: 'entryNameBytes',
              max: MAX_ENTRY_NAME_BYTES,
              reached: nameBytes,
              path,
            },
          },
        )
      }
      for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
        const folder = path.slice(0, slash)
        if (folders.has(folder)) break
        folders.add(folder)
        addRecord(`${folder}/`, 0, path)
      }
      addRecord(path, entry.size, path)
      uncompressedBytes += entry.size
      if (uncompressedBytes > limits.maxTotalUncompressedBytes) {
        throw exceeded('maxTotalUncompressedBytes', uncompressedBytes, path)
      }
    },
    get totals() {
      return { entries, uncompressedBytes, centralDirectoryBytes }
    },
  }
}
