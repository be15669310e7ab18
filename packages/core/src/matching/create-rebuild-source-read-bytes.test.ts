import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { PackwrightError } from '../errors.js'
import { createRebuildSource } from './create-rebuild-source.js'
import type { ResourcePool } from './resource-pool.js'

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex')

/** A pool over `blobs` (sha1 → bytes) that counts how each blob was read. */
function countingPool(blobs: Map<string, Buffer>, withReadBytes: boolean) {
  const reads = { open: 0, readBytes: 0 }
  const pool: ResourcePool = {
    size: (key) => Promise.resolve(blobs.get(key)?.length),
    open: (key) => {
      reads.open++
      return Readable.from([blobs.get(key) as Buffer])
    },
    ...(withReadBytes
      ? {
          readBytes: (key: string) => {
            reads.readBytes++
            return Promise.resolve(blobs.get(key) as Buffer)
          },
        }
      : {}),
  }
  return { pool, reads }
}

const resource = (path: string, content: string) => ({
  path,
  checksum: { value: sha1(content) },
  size_in_bytes: content.length,
  mode: '644',
})

describe('createRebuildSource with a pool that reads whole blobs', () => {
  it('reads a pooled file whole through readBytes, not a stream', async () => {
    const { pool, reads } = countingPool(new Map([[sha1('hello'), Buffer.from('hello')]]), true)
    const rebuild = await createRebuildSource({ resources: [resource('a.txt', 'hello')], pool })
    expect((await rebuild.reader.readBytes('a.txt')).toString()).toBe('hello')
    expect(reads).toEqual({ open: 0, readBytes: 1 })
  })

  it('refuses a whole blob whose sha1 is not its name', async () => {
    const { pool } = countingPool(new Map([[sha1('hello'), Buffer.from('jello')]]), true)
    const rebuild = await createRebuildSource({ resources: [resource('a.txt', 'hello')], pool })
    const error = await rebuild.reader.readBytes('a.txt').catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(PackwrightError)
    expect(error).toMatchObject({
      code: 'CHECKSUM_MISMATCH',
      details: { path: 'a.txt', expected: sha1('hello'), actual: sha1('jello') },
    })
  })

  it('streams through open when the pool has no readBytes', async () => {
    const { pool, reads } = countingPool(new Map([[sha1('hello'), Buffer.from('hello')]]), false)
    const rebuild = await createRebuildSource({ resources: [resource('a.txt', 'hello')], pool })
    expect((await rebuild.reader.readBytes('a.txt')).toString()).toBe('hello')
    expect(reads).toEqual({ open: 1, readBytes: 0 })
  })
})
