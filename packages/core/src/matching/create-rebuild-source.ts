import { createHash } from 'node:crypto'
import { type Readable, Transform, pipeline } from 'node:stream'
import { buffer, text } from 'node:stream/consumers'
import { comparePaths } from '../_internal/compare-paths.js'
import { PackwrightError, quoteInput } from '../errors.js'
import { type PlannedEntry, plannedEntryFor } from '../plan/planned-entry.js'
import type { ReadOptions, SourceEntry, SourceReader } from '../source/source-reader.js'
import type { ZipArchive } from '../zip/read/open-zip.js'
import type { ZipEntryInfo } from '../zip/read/zip-entry-info.js'
import { ancestorDirectories, findZipPathProblem } from '../zip/zip-path.js'
import type { ResourceDescriptor } from './resource-descriptor.js'
import type { ResourcePool } from './resource-pool.js'

export interface RebuildSourceOptions {
  /** The uploaded bits, already validated; absent for a resources-only upload. */
  readonly archive?: ZipArchive
  /** The matched resources sent with the upload. */
  readonly resources: readonly ResourceDescriptor[]
  readonly pool: ResourcePool
  readonly signal?: AbortSignal
}

export interface RebuildSource {
  /** Serves the uploaded entries and the pooled blobs, verifying each blob's sha1 as it is read. */
  readonly reader: SourceReader
  /** Every file and symlink of the full package, ready for `writeDeterministicZip`. */
  readonly entries: PlannedEntry[]
}

type Origin = { kind: 'archive'; entry: ZipEntryInfo } | { kind: 'pool'; sha1: string }

function invalidResource(
  index: number,
  resource: ResourceDescriptor,
  reason: string,
): PackwrightError {
  return new PackwrightError(
    'RESOURCE_INVALID',
    `resources[${index}] (${quoteInput(String(resource.path))}) ${reason}.`,
    { details: { index, path: resource.path } },
  )
}

/** Checks one wire descriptor as the packer would, returning its permission bits. */
function checkResource(resource: ResourceDescriptor, index: number): number {
  const problem = findZipPathProblem(String(resource.path))
  if (problem !== undefined)
    throw invalidResource(index, resource, `has an unsafe path: it ${problem.reason}`)
  if (!/^[0-9a-f]{40}$/i.test(String(resource.checksum?.value))) {
    throw invalidResource(index, resource, 'has a checksum that is not a 40-character hex sha1')
  }
  const mode = resource.mode === undefined ? '744' : String(resource.mode)
  if (!/^[0-7]+$/.test(mode) || (Number.parseInt(mode, 8) & 0o600) !== 0o600) {
    throw invalidResource(
      index,
      resource,
      `has mode ${quoteInput(mode)}; the minimum file mode is 0600`,
    )
  }
  return Number.parseInt(mode, 8) & 0o777
}

function checksumMismatch(path: string, expected: string, actual: string): PackwrightError {
  return new PackwrightError(
    'CHECKSUM_MISMATCH',
    `The cached resource for ${quoteInput(path)} has sha1 ${actual}, expected ${expected}.`,
    {
      hint: 'The pooled blob is corrupt: remove it from the pool and upload the file again.',
      details: { path, expected, actual },
    },
  )
}

function verifySha1(expected: string, path: string): Transform {
  const hash = createHash('sha1')
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk)
      callback(null, chunk)
    },
    flush(callback) {
      const actual = hash.digest('hex')
      if (actual === expected) return callback()
      callback(checksumMismatch(path, expected, actual))
    },
  })
}

/**
 * The reverse of resource matching: rebuilds the full file set of a package
 * from an uploaded zip plus the pooled blobs its `resources` name. Everything
 * is checked before any byte is served: safe paths, owner-rw modes, 40-hex
 * sha1s, each blob present in the pool, no path given twice.
 *
 * @throws PackwrightError `RESOURCE_INVALID`, `RESOURCE_NOT_CACHED`; reading a
 *   blob whose bytes do not hash to its sha1 fails with `CHECKSUM_MISMATCH`.
 */
export async function createRebuildSource(options: RebuildSourceOptions): Promise<RebuildSource> {
  const { archive, pool, signal } = options
  const origins = new Map<string, Origin>()
  const entries: SourceEntry[] = []

  for (const entry of archive?.entries ?? []) {
    if (entry.kind === 'directory') continue
    const linkTarget =
      entry.kind === 'symlink' && archive !== undefined
        ? await text(archive.openEntry(entry, { signal }))
        : undefined
    origins.set(entry.name, { kind: 'archive', entry })
    entries.push({
      path: entry.name,
      kind: entry.kind,
      size: entry.uncompressedSize,
      executable: (entry.mode & 0o111) !== 0,
      ...(linkTarget === undefined ? {} : { linkTarget }),
    })
  }

  for (const [index, resource] of options.resources.entries()) {
    const mode = checkResource(resource, index)
    const sha1 = resource.checksum.value.toLowerCase()
    if (origins.has(resource.path)) {
      throw invalidResource(index, resource, 'is also in the uploaded bits or listed twice')
    }
    const size = await pool.size(sha1, { signal })
    if (size === undefined) {
      throw new PackwrightError(
        'RESOURCE_NOT_CACHED',
        `resources[${index}] (${quoteInput(resource.path)}) names sha1 ${sha1}, which the resource pool does not hold.`,
        {
          hint: 'Match resources again and upload the files that no longer match.',
          details: { index, sha1 },
        },
      )
    }
    origins.set(resource.path, { kind: 'pool', sha1 })
    entries.push({ path: resource.path, kind: 'file', size, executable: (mode & 0o111) !== 0 })
  }
  for (const entry of entries) {
    for (const folder of ancestorDirectories(entry.path)) {
      const clash = folder.slice(0, -1)
      if (origins.has(clash)) {
        throw new PackwrightError(
          'RESOURCE_INVALID',
          `${quoteInput(clash)} is a file in the upload, but ${quoteInput(entry.path)} needs it to be a folder.`,
          { details: { path: clash, conflictsWith: entry.path } },
        )
      }
    }
  }
  entries.sort((a, b) => comparePaths(a.path, b.path))
  const byPath = new Map(entries.map((entry) => [entry.path, entry]))

  const open = (path: string, readOptions?: ReadOptions): Readable => {
    const origin = origins.get(path)
    if (origin === undefined)
      throw new PackwrightError('SOURCE_NOT_FOUND', `No ${quoteInput(path)} in the upload.`)
    if (origin.kind === 'archive') return archive!.openEntry(origin.entry, readOptions)
    return pipeline(
      pool.open(origin.sha1, readOptions),
      verifySha1(origin.sha1, path),
      () => undefined,
    )
  }

  const reader: SourceReader = {
    description: 'uploaded bits and cached resources',
    list: (prefix) => {
      const start = prefix === '' ? '' : `${prefix}/`
      return Promise.resolve(entries.filter((entry) => entry.path.startsWith(start)))
    },
    stat: (path) => Promise.resolve(byPath.get(path)),
    open,
    readBytes: async (path, readOptions) => {
      const origin = origins.get(path)
      if (origin?.kind !== 'pool' || pool.readBytes === undefined) {
        return buffer(open(path, readOptions))
      }
      const bytes = await pool.readBytes(origin.sha1, readOptions)
      const actual = createHash('sha1').update(bytes).digest('hex')
      if (actual !== origin.sha1) throw checksumMismatch(path, origin.sha1, actual)
      return bytes
    },
    close: () => Promise.resolve(),
  }
  return { reader, entries: entries.map((entry) => plannedEntryFor(entry)) }
}
