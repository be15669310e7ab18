import { createHash } from 'node:crypto'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { describeBlobStoreContract } from '../../../test/contract/blob-store-contract.js'
import { createDiskBlobStore } from './disk-blob-store.js'

async function diskStore(algorithm: 'sha1' | 'sha256') {
  const folder = await mkdtemp(join(tmpdir(), 'packwright-blobs-'))
  const store = createDiskBlobStore({
    root: join(folder, 'blobs'),
    temporaryFolder: join(folder, 'tmp'),
    algorithm,
  })
  return { folder, store, dispose: () => rm(folder, { recursive: true, force: true }) }
}

describeBlobStoreContract('disk', 'sha1', () => diskStore('sha1'))
describeBlobStoreContract('disk', 'sha256', () => diskStore('sha256'))

describe('disk blob store', () => {
  it('fans blobs out by digest prefix and leaves no temporary file behind', async () => {
    const { folder, store, dispose } = await diskStore('sha256')
    try {
      const good = createHash('sha256').update('kept').digest('hex')
      await store.put(good, Readable.from([Buffer.from('kept')]))
      const bad = createHash('sha256').update('other').digest('hex')
      await store.put(bad, Readable.from([Buffer.from('not other')])).catch(() => undefined)
      expect(await readdir(join(folder, 'blobs', good.slice(0, 2), good.slice(2, 4)))).toEqual([
        good,
      ])
      expect(await readdir(join(folder, 'tmp'))).toEqual([])
    } finally {
      await dispose()
    }
  })
})
