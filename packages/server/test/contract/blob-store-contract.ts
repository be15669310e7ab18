import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { isPackwrightError } from '@packwright/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BlobDigestAlgorithm, BlobStore } from '../../src/storage/blob-store.js'

export interface BlobStoreUnderTest {
  readonly store: BlobStore
  dispose(): Promise<void>
}

function digestOf(algorithm: BlobDigestAlgorithm, content: string): string {
  return createHash(algorithm).update(content).digest('hex')
}

function chunks(...parts: string[]): AsyncIterable<Uint8Array> {
  return Readable.from(parts.map((part) => Buffer.from(part)))
}

/**
 * What every BlobStore must do, whatever keeps the bytes. Call it from the
 * test file of each implementation with a factory for a fresh, empty store.
 */
export function describeBlobStoreContract(
  name: string,
  algorithm: BlobDigestAlgorithm,
  create: () => Promise<BlobStoreUnderTest>,
): void {
  describe(`BlobStore contract: ${name} (${algorithm})`, () => {
    let subject: BlobStoreUnderTest
    let store: BlobStore
    beforeEach(async () => {
      subject = await create()
      store = subject.store
    })
    afterEach(async () => {
      await subject.dispose()
    })

    it('stores a streamed blob under its digest and reads it back', async () => {
      const digest = digestOf(algorithm, 'hello, pool')
      expect(await store.exists(digest)).toBe(false)
      const stored = await store.put(digest, chunks('hello, ', 'pool'))
      expect(stored).toEqual({ digest, size: 11 })
      expect(await store.exists(digest)).toBe(true)
      expect(await store.size(digest)).toBe(11)
      expect(await text(await store.get(digest))).toBe('hello, pool')
    })

    it('refuses content that does not match the digest and keeps nothing', async () => {
      const digest = digestOf(algorithm, 'expected')
      const failure = await store.put(digest, chunks('something else')).catch((e: unknown) => e)
      expect(isPackwrightError(failure, 'CHECKSUM_MISMATCH')).toBe(true)
      expect(String((failure as Error).message)).toContain(digest)
      expect(await store.exists(digest)).toBe(false)
      expect(await store.size(digest)).toBeUndefined()
    })

    it('keeps the first good copy when a later put of the same name lies', async () => {
      const digest = digestOf(algorithm, 'original')
      await store.put(digest, chunks('original'))
      await expect(store.put(digest, chunks('forged'))).rejects.toThrow(/does not match/)
      expect(await text(await store.get(digest))).toBe('original')
    })

    it('stores nothing when the source fails midway', async () => {
      const digest = digestOf(algorithm, 'complete content')
      async function* failing(): AsyncIterable<Uint8Array> {
        yield Buffer.from('complete ')
        await Promise.resolve()
        throw new Error('connection reset')
      }
      await expect(store.put(digest, failing())).rejects.toThrow('connection reset')
      expect(await store.exists(digest)).toBe(false)
    })

    it('stores nothing when the put is aborted', async () => {
      const digest = digestOf(algorithm, 'abc')
      const controller = new AbortController()
      controller.abort()
      await expect(
        store.put(digest, chunks('a', 'b', 'c'), { signal: controller.signal }),
      ).rejects.toThrow()
      expect(await store.exists(digest)).toBe(false)
    })

    it('stores an empty blob', async () => {
      const digest = digestOf(algorithm, '')
      await store.put(digest, chunks())
      expect(await store.size(digest)).toBe(0)
      expect(await text(await store.get(digest))).toBe('')
    })

    it('fails with RESOURCE_NOT_CACHED when reading a blob it lacks', async () => {
      const failure = await store.get(digestOf(algorithm, 'absent')).catch((e: unknown) => e)
      expect(isPackwrightError(failure, 'RESOURCE_NOT_CACHED')).toBe(true)
    })

    it('reads a whole blob with readBytes, when it has one, and fails like get for a missing one', async () => {
      if (store.readBytes === undefined) return
      const digest = digestOf(algorithm, 'whole blob')
      await store.put(digest, chunks('whole ', 'blob'))
      expect((await store.readBytes(digest)).toString('utf8')).toBe('whole blob')
      const failure = await store.readBytes(digestOf(algorithm, 'absent')).catch((e: unknown) => e)
      expect(isPackwrightError(failure, 'RESOURCE_NOT_CACHED')).toBe(true)
    })

    it('deletes a blob and says whether there was one', async () => {
      const digest = digestOf(algorithm, 'to delete')
      await store.put(digest, chunks('to delete'))
      expect(await store.delete(digest)).toBe(true)
      expect(await store.exists(digest)).toBe(false)
      expect(await store.delete(digest)).toBe(false)
    })

    it('lists the digests of the blobs it holds', async () => {
      const listed = async () => {
        const found: string[] = []
        for await (const digest of store.list()) found.push(digest)
        return found.sort()
      }
      expect(await listed()).toEqual([])
      const digests = ['one', 'two', 'three'].map((content) => digestOf(algorithm, content))
      for (const [index, content] of ['one', 'two', 'three'].entries()) {
        await store.put(digests[index]!, chunks(content))
      }
      await store.put(digestOf(algorithm, 'lie'), chunks('not the lie')).catch(() => undefined)
      await store.delete(digests[1]!)
      expect(await listed()).toEqual([digests[0]!, digests[2]!].sort())
    })

    it('refuses names that are not lowercase digests of its algorithm', async () => {
      const upper = digestOf(algorithm, 'x').toUpperCase()
      for (const bad of [upper, '../../etc/passwd', 'abc', '']) {
        const failure = await store.exists(bad).catch((e: unknown) => e)
        expect(isPackwrightError(failure, 'INVALID_ARGUMENT')).toBe(true)
      }
      const wrongLength = algorithm === 'sha1' ? digestOf('sha256', 'x') : digestOf('sha1', 'x')
      await expect(store.put(wrongLength, chunks('x'))).rejects.toThrow(/not a sha/)
    })
  })
}
