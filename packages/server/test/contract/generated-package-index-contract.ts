import { afterEach, describe, expect, it } from 'vitest'
import type { MetadataStore } from '../../src/storage/metadata-store.js'

const KEY = JSON.stringify(['https://api.github.com', 'org', 'repo', 'abc1234', 'spicepod.yaml'])
const SHA_A = 'a'.repeat(64)
const SHA_B = 'b'.repeat(64)

/**
 * The generated-package index every MetadataStore implementation keeps: a
 * source key finds the zip generated for it, and the zip counts as named.
 */
export function describeGeneratedPackageIndexContract(
  name: string,
  open: () => Promise<MetadataStore & { close(): Promise<void> }>,
): void {
  describe(`generated-package index contract: ${name}`, () => {
    let store: (MetadataStore & { close(): Promise<void> }) | undefined
    afterEach(async () => {
      await store?.close()
      store = undefined
    })

    it('finds nothing for a key never recorded', async () => {
      store = await open()
      expect(await store.findGeneratedPackage(KEY)).toBeUndefined()
    })

    it('finds what was recorded for the key, and only for that key', async () => {
      store = await open()
      const record = { sourceKey: KEY, sha256: SHA_A, size: 123, createdAt: '2026-01-01T00:00:00Z' }
      await store.recordGeneratedPackage(record)
      expect(await store.findGeneratedPackage(KEY)).toEqual(record)
      expect(await store.findGeneratedPackage(`${KEY} `)).toBeUndefined()
    })

    it('replaces the record when the same key is recorded again', async () => {
      store = await open()
      await store.recordGeneratedPackage({
        sourceKey: KEY,
        sha256: SHA_A,
        size: 1,
        createdAt: '2026-01-01T00:00:00Z',
      })
      const second = { sourceKey: KEY, sha256: SHA_B, size: 2, createdAt: '2026-01-02T00:00:00Z' }
      await store.recordGeneratedPackage(second)
      expect(await store.findGeneratedPackage(KEY)).toEqual(second)
    })

    it('counts a generated package as naming its zip, so the zip is not removed as unused', async () => {
      store = await open()
      expect(await store.countPackagesWithSha256(SHA_A)).toBe(0)
      await store.recordGeneratedPackage({
        sourceKey: KEY,
        sha256: SHA_A,
        size: 1,
        createdAt: '2026-01-01T00:00:00Z',
      })
      expect(await store.countPackagesWithSha256(SHA_A)).toBe(1)
      expect(await store.countPackagesWithSha256(SHA_B)).toBe(0)
    })
  })
}
