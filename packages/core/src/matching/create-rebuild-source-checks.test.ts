import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemorySourceReader } from '../../test/helpers/memory-source-reader.js'
import { rejection } from '../../test/helpers/rejection.js'
import { plannedEntryFor } from '../plan/planned-entry.js'
import type { ReadOptions } from '../source/source-reader.js'
import { type ZipArchive, openZip } from '../zip/read/open-zip.js'
import { writeDeterministicZip } from '../zip/write/write-deterministic-zip.js'
import { createRebuildSource } from './create-rebuild-source.js'
import type { ResourceDescriptor } from './resource-descriptor.js'
import type { ResourcePool } from './resource-pool.js'

const sha1 = (bytes: string) => createHash('sha1').update(bytes).digest('hex')

/** An in-memory pool that remembers the read options each call was given. */
function memoryPool(
  blobs: readonly string[],
): ResourcePool & { calls: (ReadOptions | undefined)[] } {
  const bySha1 = new Map(blobs.map((bytes) => [sha1(bytes), Buffer.from(bytes)]))
  const calls: (ReadOptions | undefined)[] = []
  return {
    calls,
    size: (hash, options) => {
      calls.push(options)
      return Promise.resolve(bySha1.get(hash)?.length)
    },
    open: (hash) => Readable.from([bySha1.get(hash) as Buffer]),
  }
}

/** A wire descriptor; without `mode` when none is given, as a client may send it. */
const resource = (path: string, content: string, mode?: string): ResourceDescriptor =>
  ({
    checksum: { value: sha1(content) },
    size_in_bytes: content.length,
    path,
    ...(mode === undefined ? {} : { mode }),
  }) as ResourceDescriptor

let work: string
let archive: ZipArchive
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-rebuild-checks-'))
  const files = {
    'bits/app.js': 'app\n',
    'bits/current': { symlink: 'app.js' },
    'bitsy.txt': 'not below bits/\n',
  }
  const source = createMemorySourceReader(files)
  const written = await writeDeterministicZip({
    entries: (await source.list('')).map((entry) => plannedEntryFor(entry)),
    reader: source,
    outFile: join(work, 'bits.zip'),
  })
  archive = await openZip(written.path)
})
afterAll(async () => {
  await archive.close()
  await rm(work, { recursive: true, force: true })
})

describe('createRebuildSource entries and reader', () => {
  it('lists files without a link target, symlinks with theirs, and resources sorted by path', async () => {
    const pool = memoryPool(['zzz', 'aaa'])
    const rebuilt = await createRebuildSource({
      archive,
      resources: [resource('z.txt', 'zzz'), resource('a.txt', 'aaa', '600')],
      pool,
    })
    expect(rebuilt.entries.map((entry) => entry.zipPath)).toEqual([
      'a.txt',
      'bits/app.js',
      'bits/current',
      'bitsy.txt',
      'z.txt',
    ])
    expect(await rebuilt.reader.stat('bits/app.js')).toStrictEqual({
      path: 'bits/app.js',
      kind: 'file',
      size: 4,
      executable: false,
    })
    expect(await rebuilt.reader.stat('bits/current')).toStrictEqual({
      path: 'bits/current',
      kind: 'symlink',
      size: 6,
      executable: true,
      linkTarget: 'app.js',
    })
    expect(rebuilt.reader.description).toBe('uploaded bits and cached resources')
  })

  it('lists below a prefix only what is inside that folder', async () => {
    const rebuilt = await createRebuildSource({ archive, resources: [], pool: memoryPool([]) })
    expect((await rebuilt.reader.list('bits')).map((entry) => entry.path)).toEqual([
      'bits/app.js',
      'bits/current',
    ])
    expect(await rebuilt.reader.list('')).toHaveLength(3)
  })

  it('refuses to open a path that is not in the upload', async () => {
    const rebuilt = await createRebuildSource({ archive, resources: [], pool: memoryPool([]) })
    expect(() => rebuilt.reader.open('missing.txt')).toThrow(
      expect.objectContaining({
        code: 'SOURCE_NOT_FOUND',
        message: 'No "missing.txt" in the upload.',
      }),
    )
  })

  it('takes a missing mode as 744, an executable file', async () => {
    const rebuilt = await createRebuildSource({
      resources: [resource('tool', 'abc')],
      pool: memoryPool(['abc']),
    })
    expect(rebuilt.entries).toEqual([
      { zipPath: 'tool', sourcePath: 'tool', kind: 'file', size: 3, executable: true },
    ])
  })

  it('passes its abort signal to the pool and to the archive', async () => {
    const pool = memoryPool(['abc'])
    const controller = new AbortController()
    await createRebuildSource({
      resources: [resource('a.txt', 'abc', '644')],
      pool,
      signal: controller.signal,
    })
    expect(pool.calls).toEqual([{ signal: controller.signal }])
    controller.abort()
    const error = await rejection(
      createRebuildSource({ archive, resources: [], pool, signal: controller.signal }),
    )
    expect(error.code).toBe('ABORTED')
  })
})

describe('createRebuildSource refusals', () => {
  const good = resource('a.txt', 'abc', '644')
  const pool = memoryPool(['abc'])

  it.each([
    ['a checksum with text before it', `x${'a'.repeat(40)}`],
    ['a checksum with text after it', `${'a'.repeat(40)}x`],
  ])('refuses %s, naming the resource in its details', async (_what, value) => {
    const error = await rejection(
      createRebuildSource({
        resources: [good, { ...good, path: 'b.txt', checksum: { value } }],
        pool,
      }),
    )
    expect(error.code).toBe('RESOURCE_INVALID')
    expect(error.message).toBe(
      'resources[1] ("b.txt") has a checksum that is not a 40-character hex sha1.',
    )
    expect(error.details).toEqual({ index: 1, path: 'b.txt' })
  })

  it('refuses a resource without a checksum with a coded error', async () => {
    const withoutChecksum = { ...good, checksum: undefined } as unknown as ResourceDescriptor
    const error = await rejection(createRebuildSource({ resources: [withoutChecksum], pool }))
    expect(error.code).toBe('RESOURCE_INVALID')
  })

  it.each(['600x4', '644x', 'x644'])('refuses the mode %j', async (mode) => {
    const error = await rejection(createRebuildSource({ resources: [{ ...good, mode }], pool }))
    expect(error.code).toBe('RESOURCE_INVALID')
    expect(error.message).toContain('the minimum file mode is 0600')
  })

  it('says why a path given twice is refused', async () => {
    const error = await rejection(createRebuildSource({ resources: [good, good], pool }))
    expect(error.message).toBe(
      'resources[1] ("a.txt") is also in the uploaded bits or listed twice.',
    )
  })

  it('refuses a resource whose path is also in the uploaded bits', async () => {
    const error = await rejection(
      createRebuildSource({ archive, resources: [resource('bits/app.js', 'abc', '644')], pool }),
    )
    expect(error.code).toBe('RESOURCE_INVALID')
    expect(error.details).toEqual({ index: 0, path: 'bits/app.js' })
  })

  it('tells what to do about a blob the pool lacks', async () => {
    const missing = { ...good, checksum: { value: 'F'.repeat(40) } }
    const error = await rejection(createRebuildSource({ resources: [missing], pool }))
    expect(error.code).toBe('RESOURCE_NOT_CACHED')
    expect(error.hint).toBe('Match resources again and upload the files that no longer match.')
    expect(error.details).toEqual({ index: 0, sha1: 'f'.repeat(40) })
  })

  it('names both paths when a file would have to be a folder', async () => {
    const error = await rejection(
      createRebuildSource({ resources: [good, { ...good, path: 'a.txt/inner.txt' }], pool }),
    )
    expect(error.details).toEqual({ path: 'a.txt', conflictsWith: 'a.txt/inner.txt' })
  })

  it('tells what to do about a pooled blob with other bytes', async () => {
    const liar: ResourcePool = {
      size: () => Promise.resolve(3),
      open: () => Readable.from([Buffer.from('xyz')]),
    }
    const rebuilt = await createRebuildSource({ resources: [good], pool: liar })
    const error = await rejection(rebuilt.reader.readBytes('a.txt'))
    expect(error.code).toBe('CHECKSUM_MISMATCH')
    expect(error.hint).toBe(
      'The pooled blob is corrupt: remove it from the pool and upload the file again.',
    )
    expect(error.details).toEqual({ path: 'a.txt', expected: sha1('abc'), actual: sha1('xyz') })
  })
})
