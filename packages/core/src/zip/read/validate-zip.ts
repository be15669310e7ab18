import { createHash } from 'node:crypto'

import { PackwrightError, quoteInput } from '../../errors.js'
import { EntryDigest, type EntryResult, digestEntryBytes } from './entry-digest.js'
import { type UncompressedBudget, readEntryChunks } from './read-entry-chunks.js'
import { isSmallEntry, readSmallEntry } from './read-small-entry.js'
import { readZipLayout, type ZipLayout } from './read-zip-layout.js'
import { validateEntryNames } from './validate-entry-names.js'
import { validateSymlinks } from './validate-symlinks.js'
import {
  type InspectedEntry,
  type ZipProblem,
  type ZipValidationReport,
  zipProblemsError,
} from './validate-zip-report.js'
import { METHOD_DEFLATE, METHOD_STORE } from '../zip-constants.js'
import { type ZipEntryInfo } from './zip-entry-info.js'
import { type ZipLimits, resolveZipLimits } from './zip-limits.js'
import { DATA_READ_BYTES, ZipReaderFile } from './zip-reader-file.js'
import { throwIfZipReadAborted } from './zip-reader-errors.js'

/** Longest symlink target accepted, in bytes (Linux PATH_MAX). */
export const MAX_SYMLINK_TARGET_BYTES = 4096

export interface ValidateZipOptions {
  /** Overrides of {@link DEFAULT_ZIP_LIMITS}. */
  readonly limits?: Partial<ZipLimits>
  readonly signal?: AbortSignal
}

/** Small entries judged between two checks of the abort signal. */
const ENTRIES_PER_ABORT_CHECK = 1024

/** Codes that end validation: after them, nothing more can be trusted or afforded. */
const FATAL_CODES = new Set(['ZIP_TOO_LARGE', 'ZIP_COMPRESSION_RATIO_EXCEEDED'])

/**
 * Validates a zip file completely and reports every problem found: the
 * archive structure (central directory, ZIP64, local headers, overlaps,
 * bytes that belong to no listed entry), entry types and the names and link
 * targets extra fields could substitute,
 * the limits, entry names, duplicates, file/directory conflicts, symlink
 * targets, and every entry's actual bytes (inflated once, with CRC-32, sizes,
 * sha1 and sha256 computed in the same pass). The structure is read before
 * the whole file is hashed, so a file that is no zip costs only a read of its
 * tail. Memory stays bounded whatever the zip size.
 *
 * @throws PackwrightError `ZIP_READ_FAILED` when the file cannot be read, `INVALID_ARGUMENT` for bad limits,
 *   `ABORTED`; problems with the zip itself are reported, not thrown.
 */
export async function validateZip(
  path: string,
  options: ValidateZipOptions = {},
): Promise<ZipValidationReport> {
  const limits = resolveZipLimits(options.limits)
  const { signal } = options
  const file = await ZipReaderFile.open(path, signal)
  try {
    let layout: ZipLayout
    try {
      layout = await readZipLayout(file, limits, signal)
    } catch (error) {
      // Not hashed: a file that is no zip is refused after reading only its tail.
      return {
        valid: false,
        problems: [problemFrom(error)],
        entries: [],
        totalUncompressedBytes: 0,
        size: file.size,
      }
    }
    const sha256 = await hashFile(file, signal)
    const report = (
      problems: ZipProblem[],
      entries: InspectedEntry[],
      total: number,
    ): ZipValidationReport => ({
      valid: problems.length === 0,
      problems,
      entries,
      totalUncompressedBytes: total,
      sha256,
      size: file.size,
    })

    const problems: ZipProblem[] = [...layout.problems, ...validateEntryNames(layout.entries)]
    const results = new Map<number, EntryResult>()
    const budget: UncompressedBudget = { remaining: limits.maxTotalUncompressedBytes }
    const byOffset = layout.entries
      .filter((entry) => !layout.unreadable.has(entry.index))
      .sort((a, b) => a.localHeaderOffset - b.localHeaderOffset)
    // Small entries are judged synchronously from one read covering many
    // neighbours (entries are contiguous on disk); the rest are streamed.
    let untilAbortCheck = ENTRIES_PER_ABORT_CHECK
    for (const [at, entry] of byOffset.entries()) {
      try {
        if (isSmallEntry(entry, limits)) {
          if (--untilAbortCheck === 0) {
            untilAbortCheck = ENTRIES_PER_ABORT_CHECK
            throwIfZipReadAborted(signal, file.path)
          }
          throwIfSymlinkTargetTooLong(entry)
          const data = await readSmallEntry(file, byOffset, at, limits, budget)
          results.set(entry.index, digestEntryBytes(entry, data))
        } else {
          results.set(entry.index, await readEntry(file, entry, limits, budget, signal))
        }
      } catch (error) {
        const problem = problemFrom(error, entry.name)
        problems.push(problem)
        if (FATAL_CODES.has(problem.code)) break
      }
    }

    const links = new Map<string, string>()
    for (const entry of layout.entries) {
      const result = results.get(entry.index)
      if (entry.kind === 'directory' && result !== undefined && result.size > 0) {
        problems.push({
          code: 'ZIP_ENTRY_SIZE_MISMATCH',
          message: `Directory entry ${quoteInput(entry.name)} holds ${result.size} bytes; expected none.`,
          entry: entry.name,
        })
      }
      if (entry.kind === 'symlink' && result?.linkTarget !== undefined)
        links.set(entry.name, result.linkTarget)
    }
    problems.push(...validateSymlinks(links))

    let total = 0
    const entries = layout.entries.map((entry): InspectedEntry => {
      const result = results.get(entry.index)
      total += result?.size ?? entry.uncompressedSize
      return {
        path: entry.name,
        kind: entry.kind,
        size: result?.size ?? entry.uncompressedSize,
        compressedSize: entry.compressedSize,
        mode: entry.mode.toString(8).padStart(3, '0'),
        method: methodName(entry.method),
        crc32: entry.crc32.toString(16).padStart(8, '0'),
        ...(result === undefined || entry.kind === 'directory'
          ? {}
          : { sha1: result.sha1, sha256: result.sha256 }),
        ...(result?.linkTarget === undefined ? {} : { linkTarget: result.linkTarget }),
      }
    })
    return report(problems, entries, total)
  } finally {
    await file.close().catch(() => undefined)
  }
}

/**
 * Validates a zip like {@link validateZip} and throws when it has any problem.
 *
 * @throws PackwrightError with the first problem's code (`ZIP_*`) and message, up to 50 problems in `details.problems`;
 *   `ZIP_READ_FAILED`, `INVALID_ARGUMENT`, `ABORTED` as `validateZip` does.
 */
export async function assertValidZip(
  path: string,
  options: ValidateZipOptions = {},
): Promise<ZipValidationReport> {
  const report = await validateZip(path, options)
  const [first, ...rest] = report.problems
  if (first !== undefined) throw zipProblemsError(path, [first, ...rest], 50)
  return report
}

async function readEntry(
  file: ZipReaderFile,
  entry: ZipEntryInfo,
  limits: ZipLimits,
  budget: UncompressedBudget,
  signal: AbortSignal | undefined,
): Promise<EntryResult> {
  throwIfSymlinkTargetTooLong(entry)
  const digest = new EntryDigest(entry)
  for await (const chunk of readEntryChunks(file, entry, { limits, signal, budget }))
    digest.update(chunk)
  return digest.finish()
}

function throwIfSymlinkTargetTooLong(entry: ZipEntryInfo): void {
  if (entry.kind === 'symlink' && entry.uncompressedSize > MAX_SYMLINK_TARGET_BYTES) {
    throw new PackwrightError(
      'ZIP_UNSUPPORTED',
      `Symlink ${quoteInput(entry.name)} declares a ${entry.uncompressedSize}-byte target; at most ${MAX_SYMLINK_TARGET_BYTES} bytes are supported.`,
      { details: { entry: entry.name } },
    )
  }
}

async function hashFile(file: ZipReaderFile, signal: AbortSignal | undefined): Promise<string> {
  const hash = createHash('sha256')
  for (let position = 0; position < file.size;) {
    throwIfZipReadAborted(signal, file.path)
    const length = Math.min(DATA_READ_BYTES, file.size - position)
    hash.update(await file.read(position, length, 'The zip file', DATA_READ_BYTES))
    position += length
  }
  return hash.digest('hex')
}

/** Turns an error about the zip into a problem; anything else (I/O failure, abort) is rethrown. */
function problemFrom(error: unknown, entry?: string): ZipProblem {
  if (
    !(error instanceof PackwrightError) ||
    error.code === 'ZIP_READ_FAILED' ||
    error.code === 'ABORTED'
  )
    throw error
  const named = entry ?? (typeof error.details.entry === 'string' ? error.details.entry : undefined)
  return named === undefined
    ? { code: error.code, message: error.message }
    : { code: error.code, message: error.message, entry: named }
}

function methodName(method: number): InspectedEntry['method'] {
  if (method === METHOD_STORE) return 'store'
  if (method === METHOD_DEFLATE) return 'deflate'
  return `method ${method}`
}
