import { isPackwrightError } from '@packwright/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ApplicationPackageRecord } from '../../src/storage/application-store.js'
import type { MetadataStore, PackageRecord } from '../../src/storage/metadata-store.js'

const VERSION_KEYS = ['packwright.dev/version', 'packwright.dev/commit-sha']

function applicationPackage(
  version: string,
  changes: Partial<ApplicationPackageRecord> = {},
): ApplicationPackageRecord {
  return {
    applicationId: 'shop',
    version,
    basePackageVersion: null,
    archived: false,
    preview: false,
    components: [
      {
        componentId: 'web',
        version: '1.0.0',
        appGuid: 'a1',
        packageGuid: 'p1',
        dockerImage: null,
        branch: 'main',
        commit: {
          id: 'c0ffee',
          message: 'Ship it',
          author: { name: 'Ada', email: 'ada@example.test', date: '2024-05-06T07:08:09Z' },
          committer: null,
        },
      },
    ],
    labels: [{ id: 'l1', text: 'release candidate', color: 'green' }],
    createdAt: '2026-01-01T00:00:00Z',
    ...changes,
  }
}

function readyPackage(
  guid: string,
  annotations: Record<string, string>,
  state: PackageRecord['state'] = 'READY',
): PackageRecord {
  return {
    guid,
    appGuid: 'a1',
    type: 'bits',
    state,
    sha1: null,
    sha256: null,
    error: null,
    docker: null,
    labels: {},
    annotations,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: null,
  }
}

/**
 * What every MetadataStore must do with CodeNOW applications and their
 * packages. Call it beside describeMetadataStoreContract.
 */
export function describeApplicationStoreContract(
  name: string,
  create: () => Promise<MetadataStore>,
): void {
  describe(`ApplicationStore contract: ${name}`, () => {
    let store: MetadataStore
    beforeEach(async () => {
      store = await create()
      await store.createApplication({ id: 'shop', name: 'Shop', createdAt: '2026-01-01T00:00:00Z' })
    })
    afterEach(async () => {
      await store.close()
    })

    it('creates an application, reads it back and refuses its id twice', async () => {
      expect(await store.getApplication('shop')).toEqual({
        id: 'shop',
        name: 'Shop',
        createdAt: '2026-01-01T00:00:00Z',
      })
      expect(await store.getApplication('missing')).toBeUndefined()
      const failure = await store
        .createApplication({ id: 'shop', name: 'Other', createdAt: '2026-01-02T00:00:00Z' })
        .catch((error: unknown) => error)
      expect(isPackwrightError(failure, 'INVALID_ARGUMENT')).toBe(true)
      expect((failure as { details: Record<string, unknown> }).details.conflict).toBe('application')
    })

    it('keeps an application package as it was given', async () => {
      await store.createApplicationPackage(applicationPackage('1.0.0'))
      expect(await store.getApplicationPackage('shop', '1.0.0')).toEqual(
        applicationPackage('1.0.0'),
      )
      expect(await store.getApplicationPackage('shop', '9.9.9')).toBeUndefined()
      expect(await store.getApplicationPackage('other', '1.0.0')).toBeUndefined()
    })

    it('refuses a second package of the same version, and one for a missing application', async () => {
      await store.createApplicationPackage(applicationPackage('1.0.0'))
      const twice = await store
        .createApplicationPackage(applicationPackage('1.0.0', { labels: [] }))
        .catch((error: unknown) => error)
      expect(isPackwrightError(twice, 'INVALID_ARGUMENT')).toBe(true)
      expect((twice as { details: Record<string, unknown> }).details.conflict).toBe(
        'application-package',
      )
      const orphan = await store
        .createApplicationPackage(applicationPackage('1.0.0', { applicationId: 'missing' }))
        .catch((error: unknown) => error)
      expect((orphan as { details: Record<string, unknown> }).details.conflict).toBe('application')
      await store.createApplication({ id: 'blog', name: 'Blog', createdAt: '2026-01-01T00:00:00Z' })
      await store.createApplicationPackage(applicationPackage('1.0.0', { applicationId: 'blog' }))
    })

    it('lists packages oldest first, archived ones only when asked', async () => {
      await store.createApplicationPackage(applicationPackage('1.0.0'))
      await store.createApplicationPackage(applicationPackage('0.9.0', { archived: true }))
      await store.createApplicationPackage(applicationPackage('1.1.0', { preview: true }))
      const versions = async (includeArchived: boolean) =>
        (await store.listApplicationPackages('shop', { includeArchived })).map(
          (record) => record.version,
        )
      expect(await versions(false)).toEqual(['1.0.0', '1.1.0'])
      expect(await versions(true)).toEqual(['1.0.0', '0.9.0', '1.1.0'])
      expect(await store.listApplicationPackages('other', { includeArchived: true })).toEqual([])
    })

    it("finds an app's newest package in a state by its version annotation, else its commit", async () => {
      await store.createApp({
        guid: 'a1',
        name: 'web',
        lifecycleType: 'buildpack',
        labels: {},
        annotations: {},
        createdAt: '2026-01-01T00:00:00Z',
        updatedAt: null,
      })
      const sha = 'aa'.repeat(20)
      await store.createPackage(readyPackage('p1', { 'packwright.dev/version': '1.0.0' }))
      await store.createPackage(readyPackage('p2', { 'packwright.dev/version': '1.0.0' }))
      await store.createPackage(
        readyPackage('p3', { 'packwright.dev/version': '2.0.0' }, 'AWAITING_UPLOAD'),
      )
      await store.createPackage(
        readyPackage('p4', { 'packwright.dev/version': '3.0.0', 'packwright.dev/commit-sha': sha }),
      )
      await store.createPackage(
        readyPackage('p5', { 'packwright.dev/commit-sha': 'bb'.repeat(20) }),
      )
      const find = (version: string) =>
        store
          .findPackageByVersion({
            appGuid: 'a1',
            state: 'READY',
            versionKeys: VERSION_KEYS,
            version,
          })
          .then((record) => record?.guid)
      expect(await find('1.0.0')).toBe('p2')
      expect(await find('2.0.0')).toBeUndefined()
      expect(await find('3.0.0')).toBe('p4')
      // A package with a version is known by it, not by its commit.
      expect(await find(sha)).toBeUndefined()
      expect(await find('bb'.repeat(20))).toBe('p5')
      expect(
        await store.findPackageByVersion({
          appGuid: 'other',
          state: 'READY',
          versionKeys: VERSION_KEYS,
          version: '1.0.0',
        }),
      ).toBeUndefined()
    })
  })
}
