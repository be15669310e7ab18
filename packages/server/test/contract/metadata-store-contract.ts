import { isPackwrightError } from '@packwright/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type {
  AppRecord,
  JobRecord,
  MetadataStore,
  PackageRecord,
  PageRequest,
} from '../../src/storage/metadata-store.js'

const FIRST_PAGE: PageRequest = {
  page: 1,
  perPage: 50,
  order: { field: 'created_at', descending: false },
}

function app(guid: string, name: string, createdAt = '2026-01-01T00:00:00Z'): AppRecord {
  return {
    guid,
    name,
    lifecycleType: 'buildpack',
    labels: { team: 'core' },
    annotations: {},
    createdAt,
    updatedAt: null,
  }
}

function bitsPackage(guid: string, appGuid: string, createdAt: string): PackageRecord {
  return {
    guid,
    appGuid,
    type: 'bits',
    state: 'AWAITING_UPLOAD',
    sha1: null,
    sha256: null,
    error: null,
    docker: null,
    labels: {},
    annotations: { note: 'x' },
    createdAt,
    updatedAt: null,
  }
}

/**
 * What every MetadataStore must do, whatever database holds it. Call it from
 * the test file of each implementation with a factory for a fresh, empty store.
 */
export function describeMetadataStoreContract(
  name: string,
  create: () => Promise<MetadataStore>,
): void {
  describe(`MetadataStore contract: ${name}`, () => {
    let store: MetadataStore
    beforeEach(async () => {
      store = await create()
    })
    afterEach(async () => {
      await store.close()
    })

    it('creates an app and reads it back unchanged', async () => {
      await store.createApp(app('a1', 'web'))
      expect(await store.getApp('a1')).toEqual(app('a1', 'web'))
      expect(await store.getApp('missing')).toBeUndefined()
    })

    it('refuses a second app with the same name', async () => {
      await store.createApp(app('a1', 'web'))
      const failure = await store.createApp(app('a2', 'web')).catch((e: unknown) => e)
      expect(isPackwrightError(failure, 'INVALID_ARGUMENT')).toBe(true)
      expect((failure as { details: Record<string, unknown> }).details.conflict).toBe('app')
    })

    it('lists apps by name and pages them', async () => {
      await store.createApp(app('a1', 'one', '2026-01-01T00:00:01Z'))
      await store.createApp(app('a2', 'two', '2026-01-01T00:00:02Z'))
      await store.createApp(app('a3', 'three', '2026-01-01T00:00:03Z'))
      const named = await store.listApps({ names: ['one', 'three'] }, FIRST_PAGE)
      expect(named.totalResults).toBe(2)
      expect(named.items.map((item) => item.guid)).toEqual(['a1', 'a3'])
      const second = await store.listApps({}, { ...FIRST_PAGE, page: 2, perPage: 2 })
      expect(second.totalResults).toBe(3)
      expect(second.items.map((item) => item.guid)).toEqual(['a3'])
      expect((await store.listApps({ names: [] }, FIRST_PAGE)).totalResults).toBe(0)
    })

    it('creates packages, filters and orders them', async () => {
      await store.createApp(app('a1', 'one'))
      await store.createApp(app('a2', 'two'))
      await store.createPackage(bitsPackage('p1', 'a1', '2026-01-01T00:00:01Z'))
      await store.createPackage(bitsPackage('p2', 'a2', '2026-01-01T00:00:02Z'))
      await store.createPackage({
        ...bitsPackage('p3', 'a1', '2026-01-01T00:00:02Z'),
        type: 'docker',
        state: 'READY',
        docker: { image: 'registry/image:1', username: 'u', password: 'p' },
      })
      expect(await store.getPackage('p3')).toMatchObject({
        docker: { image: 'registry/image:1', username: 'u', password: 'p' },
        annotations: { note: 'x' },
      })

      const byApp = await store.listPackages({ appGuids: ['a1'] }, FIRST_PAGE)
      expect(byApp.items.map((item) => item.guid)).toEqual(['p1', 'p3'])
      const newestFirst = await store.listPackages(
        {},
        { ...FIRST_PAGE, order: { field: 'created_at', descending: true } },
      )
      expect(newestFirst.items.map((item) => item.guid)).toEqual(['p3', 'p2', 'p1'])
      const filtered = await store.listPackages(
        { states: ['AWAITING_UPLOAD'], types: ['bits'], guids: ['p1', 'p2', 'p3'] },
        FIRST_PAGE,
      )
      expect(filtered.items.map((item) => item.guid)).toEqual(['p1', 'p2'])
      expect((await store.listPackages({ states: [] }, FIRST_PAGE)).totalResults).toBe(0)
    })

    it('refuses a package whose app does not exist', async () => {
      const failure = await store
        .createPackage(bitsPackage('p1', 'nope', '2026-01-01T00:00:00Z'))
        .catch((e: unknown) => e)
      expect(isPackwrightError(failure, 'INVALID_ARGUMENT')).toBe(true)
    })

    it('orders by updated_at, taking created_at for records never updated', async () => {
      await store.createApp(app('a1', 'one'))
      await store.createPackage(bitsPackage('p1', 'a1', '2026-01-01T00:00:01Z'))
      await store.createPackage(bitsPackage('p2', 'a1', '2026-01-01T00:00:02Z'))
      await store.transitionPackage('p1', 'AWAITING_UPLOAD', {
        state: 'PROCESSING_UPLOAD',
        updatedAt: '2026-01-01T00:00:03Z',
      })
      const page = await store.listPackages(
        {},
        { ...FIRST_PAGE, order: { field: 'updated_at', descending: false } },
      )
      expect(page.items.map((item) => item.guid)).toEqual(['p2', 'p1'])
    })

    it('moves a package between states only from the expected state', async () => {
      await store.createApp(app('a1', 'one'))
      await store.createPackage(bitsPackage('p1', 'a1', '2026-01-01T00:00:01Z'))
      const moved = await store.transitionPackage('p1', 'AWAITING_UPLOAD', {
        state: 'PROCESSING_UPLOAD',
        updatedAt: '2026-01-01T00:00:05Z',
      })
      expect(moved).toMatchObject({ state: 'PROCESSING_UPLOAD', updatedAt: '2026-01-01T00:00:05Z' })
      const again = await store.transitionPackage('p1', 'AWAITING_UPLOAD', {
        state: 'PROCESSING_UPLOAD',
        updatedAt: '2026-01-01T00:00:06Z',
      })
      expect(again).toBeUndefined()
      const ready = await store.transitionPackage('p1', 'PROCESSING_UPLOAD', {
        state: 'READY',
        sha1: 'a'.repeat(40),
        sha256: 'b'.repeat(64),
        updatedAt: '2026-01-01T00:00:07Z',
      })
      expect(ready).toMatchObject({ state: 'READY', sha1: 'a'.repeat(40), error: null })
      expect(
        await store.transitionPackage('missing', 'READY', { state: 'FAILED', updatedAt: 'x' }),
      ).toBeUndefined()
    })

    it('deletes packages and counts those naming a package zip', async () => {
      await store.createApp(app('a1', 'one'))
      await store.createPackage(bitsPackage('p1', 'a1', '2026-01-01T00:00:01Z'))
      await store.createPackage(bitsPackage('p2', 'a1', '2026-01-01T00:00:02Z'))
      const digest = 'd'.repeat(64)
      for (const guid of ['p1', 'p2']) {
        await store.transitionPackage(guid, 'AWAITING_UPLOAD', {
          state: 'READY',
          sha256: digest,
          updatedAt: '2026-01-01T00:00:03Z',
        })
      }
      expect(await store.countPackagesWithSha256(digest)).toBe(2)
      expect(await store.deletePackage('p1')).toMatchObject({ guid: 'p1', sha256: digest })
      expect(await store.getPackage('p1')).toBeUndefined()
      expect(await store.countPackagesWithSha256(digest)).toBe(1)
      expect(await store.deletePackage('p1')).toBeUndefined()
      expect(await store.countPackagesWithSha256('e'.repeat(64))).toBe(0)
    })

    it('creates, reads and updates jobs', async () => {
      const job: JobRecord = {
        guid: 'j1',
        operation: 'package.delete',
        state: 'PROCESSING',
        resourceType: 'package',
        resourceGuid: 'p1',
        errors: [],
        createdAt: '2026-01-01T00:00:00Z',
        updatedAt: null,
      }
      await store.createJob(job)
      expect(await store.getJob('j1')).toEqual(job)
      const failedError = { detail: 'boom', title: 'CF-UnknownError', code: 10001 }
      expect(
        await store.updateJob('j1', {
          state: 'FAILED',
          errors: [failedError],
          updatedAt: '2026-01-01T00:00:09Z',
        }),
      ).toEqual({
        ...job,
        state: 'FAILED',
        errors: [failedError],
        updatedAt: '2026-01-01T00:00:09Z',
      })
      expect(
        await store.updateJob('missing', { state: 'COMPLETE', updatedAt: 'x' }),
      ).toBeUndefined()
    })

    it('lists the jobs still PROCESSING or POLLING, oldest first', async () => {
      const job = (guid: string, state: JobRecord['state'], createdAt: string): JobRecord => ({
        guid,
        operation: 'package.upload',
        state,
        resourceType: 'package',
        resourceGuid: `p-${guid}`,
        errors: [],
        createdAt,
        updatedAt: null,
      })
      expect(await store.listUnfinishedJobs()).toEqual([])
      await store.createJob(job('late', 'PROCESSING', '2026-01-01T00:00:09Z'))
      await store.createJob(job('done', 'COMPLETE', '2026-01-01T00:00:01Z'))
      await store.createJob(job('early', 'POLLING', '2026-01-01T00:00:02Z'))
      await store.createJob(job('failed', 'FAILED', '2026-01-01T00:00:03Z'))
      expect((await store.listUnfinishedJobs()).map((found) => found.guid)).toEqual([
        'early',
        'late',
      ])
      await store.updateJob('early', { state: 'COMPLETE', updatedAt: '2026-01-01T00:00:10Z' })
      expect(await store.listUnfinishedJobs()).toEqual([
        job('late', 'PROCESSING', '2026-01-01T00:00:09Z'),
      ])
    })

    it('finds the pool entries of many sha1s at once', async () => {
      const held = Array.from({ length: 2500 }, (_, index) => ({
        sha1: index.toString(16).padStart(40, '0'),
        size: index,
      }))
      for (const entry of held.filter((_, index) => index % 2 === 0)) {
        await store.addPoolEntry(entry)
      }
      expect(await store.findPoolEntries([])).toEqual([])
      const found = await store.findPoolEntries([
        ...held.map((entry) => entry.sha1),
        'f'.repeat(40),
      ])
      expect(found.sort((a, b) => a.sha1.localeCompare(b.sha1))).toEqual(
        held.filter((_, index) => index % 2 === 0),
      )
    })

    it('indexes the resource pool', async () => {
      const sha1 = 'c'.repeat(40)
      expect(await store.getPoolEntry(sha1)).toBeUndefined()
      await store.addPoolEntry({ sha1, size: 12 })
      await store.addPoolEntry({ sha1, size: 12 })
      expect(await store.getPoolEntry(sha1)).toEqual({ sha1, size: 12 })
      expect(await store.removePoolEntry(sha1)).toBe(true)
      expect(await store.removePoolEntry(sha1)).toBe(false)
    })
  })
}
