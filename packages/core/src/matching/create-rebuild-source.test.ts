import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemorySourceReader } from '../../test/helpers/memory-source-reader.js'
import { isPackwrightError } from '../errors.js'
import { type PlannedEntry, plannedEntryFor } from '../plan/planned-entry.js'
import type { SourceReader } from '../source/source-reader.js'
import { openZip } from '../zip/read/open-zip.js'
import { writeDeterministicZip } from '../zip/write/write-deterministic-zip.js'
import { createRebuildSource } from './create-rebuild-source.js'
import { planResourceUpload } from './plan-resource-upload.js'
import type { ResourceDescriptor } from './resource-descriptor.js'
import type { ResourcePool } from './resource-pool.js'

const FILES = {
  'app.js': 'console.log("app")\n'.repeat(100),
  'lib/big.bin': Buffer.alloc(200_000, 7),
  'lib/shared.txt': 'shared across versions\n',
  'run.sh': { content: '#!/bin/sh\n', executable: true },
  current: { symlink: 'lib/shared.txt' },
}

const sha1 = (bytes: string | Buffer) => createHash('sha1').update(bytes).digest('hex')

function memoryPool(blobs: Record<string, string | Buffer>): ResourcePool {
  const bySha1 = new Map(Object.values(blobs).map((bytes) => [sha1(bytes), Buffer.from(bytes)]))
  return {
    size: (hash) => Promise.resolve(bySha1.get(hash)?.length),
    open: (hash) => Readable.from([bySha1.get(hash) as Buffer]),
  }
}

async function plannedFrom(reader: SourceReader): Promise<PlannedEntry[]> {
  return (await reader.list('')).map((entry) => plannedEntryFor(entry))
}

let work: string
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-rebuild-'))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('createRebuildSource', () => {
  it('rebuilds, from partial bits plus pooled blobs, the very package the client built', async () => {
    const source = createMemorySourceReader(FILES, { sourceDateEpoch: 1_700_000_000 })
    const all = await plannedFrom(source)
    const full = await writeDeterministicZip({
      entries: all,
      reader: source,
      outFile: join(work, 'full.zip'),
    })

    const known = new Set([sha1(FILES['lib/big.bin']), sha1(FILES['lib/shared.txt'])])
    const plan = planResourceUpload(full.entries.toArray(), known)
    expect(plan.resources.map((r) => r.path)).toEqual(['lib/big.bin', 'lib/shared.txt'])
    const uploadPaths = new Set(plan.upload.map((e) => e.path))
    const bits = await writeDeterministicZip({
      entries: all.filter((e) => uploadPaths.has(e.zipPath)),
      reader: source,
      outFile: join(work, 'bits.zip'),
      sourceDateEpoch: 1_700_000_000,
    })
    expect(bits.size).toBeLessThan(full.size)

    const archive = await openZip(bits.path)
    try {
      const pool = memoryPool({ big: FILES['lib/big.bin'], shared: FILES['lib/shared.txt'] })
      const rebuilt = await createRebuildSource({ archive, resources: plan.resources, pool })
      const again = await writeDeterministicZip({
        entries: rebuilt.entries,
        reader: rebuilt.reader,
        outFile: join(work, 'rebuilt.zip'),
        sourceDateEpoch: 1_700_000_000,
      })
      expect(again.sha256).toBe(full.sha256)
      expect(again.entries).toEqual(full.entries)
    } finally {
      await archive.close()
    }
  })

  it('builds a package from resources alone', async () => {
    const resources: ResourceDescriptor[] = [
      { checksum: { value: sha1('abc') }, size_in_bytes: 3, path: 'x/abc.txt', mode: '755' },
    ]
    const rebuilt = await createRebuildSource({ resources, pool: memoryPool({ abc: 'abc' }) })
    expect(rebuilt.entries).toEqual([
      { zipPath: 'x/abc.txt', sourcePath: 'x/abc.txt', kind: 'file', size: 3, executable: true },
    ])
    expect((await rebuilt.reader.readBytes('x/abc.txt')).toString()).toBe('abc')
  })

  it('fails reading a pooled blob whose bytes do not hash to its sha1', async () => {
    const liar: ResourcePool = {
      size: () => Promise.resolve(3),
      open: () => Readable.from([Buffer.from('xyz')]),
    }
    const resources = [
      { checksum: { value: sha1('abc') }, size_in_bytes: 3, path: 'a.txt', mode: '644' },
    ]
    const rebuilt = await createRebuildSource({ resources, pool: liar })
    const failure = await rebuilt.reader.readBytes('a.txt').catch((error: unknown) => error)
    expect(isPackwrightError(failure, 'CHECKSUM_MISMATCH')).toBe(true)
    expect((failure as Error).message).toContain(sha1('abc'))
  })

  const pool = memoryPool({ abc: 'abc' })
  const good = { checksum: { value: sha1('abc') }, size_in_bytes: 3, path: 'a.txt', mode: '644' }
  it.each([
    ['an escaping path', { ...good, path: '../etc/passwd' }, 'RESOURCE_INVALID', 'unsafe path'],
    ['an absolute path', { ...good, path: '/etc/passwd' }, 'RESOURCE_INVALID', 'unsafe path'],
    [
      'a short checksum',
      { ...good, checksum: { value: 'abc' } },
      'RESOURCE_INVALID',
      '40-character',
    ],
    ['a mode without owner rw', { ...good, mode: '444' }, 'RESOURCE_INVALID', '0600'],
    [
      'a blob the pool lacks',
      { ...good, checksum: { value: 'f'.repeat(40) } },
      'RESOURCE_NOT_CACHED',
      'pool',
    ],
  ] as const)('rejects %s before serving anything', async (_name, resource, code, words) => {
    const failure = await createRebuildSource({ resources: [resource], pool }).catch(
      (error: unknown) => error,
    )
    expect(isPackwrightError(failure, code)).toBe(true)
    expect((failure as Error).message).toContain(words)
  })

  it('rejects a resource that needs a file of the upload to be a folder', async () => {
    const resources = [good, { ...good, path: 'a.txt/inner.txt' }]
    const failure = await createRebuildSource({ resources, pool }).catch((error: unknown) => error)
    expect(isPackwrightError(failure, 'RESOURCE_INVALID')).toBe(true)
    expect((failure as Error).message).toContain('"a.txt/inner.txt" needs it to be a folder')
  })

  it('rejects a path given twice', async () => {
    const failure = await createRebuildSource({ resources: [good, good], pool }).catch(
      (error: unknown) => error,
    )
    expect(isPackwrightError(failure, 'RESOURCE_INVALID')).toBe(true)
  })
})
