import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { JobRecord, PackageRecord, PackageState } from '../storage/metadata-store.js'
import { openEmbeddedStorage } from '../storage/open-embedded-storage.js'
import type { ServerStorage } from '../storage/server-storage.js'
import { INTERRUPTED_ASSEMBLY_MESSAGE } from './fail-interrupted-assemblies.js'
import { recoverInterruptedWork } from './recover-interrupted-work.js'

const CREATED = '2026-01-01T00:00:00Z'
const NOW = '2026-01-02T00:00:00Z'

function bitsPackage(guid: string, state: PackageState, sha256: string | null): PackageRecord {
  return {
    guid,
    appGuid: 'app',
    type: 'bits',
    state,
    sha1: null,
    sha256,
    error: state === 'FAILED' ? 'The app upload is invalid: Invalid zip archive (bad).' : null,
    docker: null,
    labels: {},
    annotations: {},
    createdAt: CREATED,
    updatedAt: null,
  }
}

function job(guid: string, operation: string, resourceGuid: string): JobRecord {
  return {
    guid,
    operation,
    state: 'PROCESSING',
    resourceType: 'package',
    resourceGuid,
    errors: [],
    createdAt: CREATED,
    updatedAt: null,
  }
}

async function storeZip(storage: ServerStorage, content: string): Promise<string> {
  const sha256 = createHash('sha256').update(content).digest('hex')
  await storage.packages.put(sha256, Readable.from([Buffer.from(content)]))
  return sha256
}

describe('recoverInterruptedWork', () => {
  let folder: string
  let storage: ServerStorage
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'packwright-recover-'))
    storage = await openEmbeddedStorage(folder)
    await storage.metadata.createApp({
      guid: 'app',
      name: 'app',
      lifecycleType: 'buildpack',
      labels: {},
      annotations: {},
      createdAt: CREATED,
      updatedAt: null,
    })
  })
  afterEach(async () => {
    await storage.close()
    await rm(folder, { recursive: true, force: true })
  })

  it('fails interrupted assemblies and ends every job as its work ended', async () => {
    const { metadata } = storage
    const readyZip = await storeZip(storage, 'ready zip')
    await metadata.createPackage(bitsPackage('ready', 'READY', readyZip))
    await metadata.createPackage(bitsPackage('failed', 'FAILED', null))
    await metadata.createPackage(bitsPackage('assembling', 'PROCESSING_UPLOAD', null))
    await metadata.createPackage(bitsPackage('kept', 'AWAITING_UPLOAD', null))
    for (const [guid, operation, target] of [
      ['upload-ready', 'package.upload', 'ready'],
      ['upload-failed', 'package.upload', 'failed'],
      ['upload-assembling', 'package.upload', 'assembling'],
      ['delete-done', 'package.delete', 'gone'],
      ['delete-undone', 'package.delete', 'kept'],
    ] as const) {
      await metadata.createJob(job(guid, operation, target))
    }

    expect(await recoverInterruptedWork(storage, () => NOW)).toEqual({
      failedPackages: 1,
      settledJobs: 5,
      removedPackageZips: 0,
    })
    expect(await metadata.getPackage('assembling')).toMatchObject({
      state: 'FAILED',
      error: INTERRUPTED_ASSEMBLY_MESSAGE,
      updatedAt: NOW,
    })
    expect(await metadata.getPackage('ready')).toMatchObject({ state: 'READY' })
    const outcome = async (guid: string) => {
      const found = await metadata.getJob(guid)
      return { state: found?.state, titles: found?.errors.map((error) => error.title) }
    }
    expect(await outcome('upload-ready')).toEqual({ state: 'COMPLETE', titles: [] })
    expect(await outcome('upload-failed')).toEqual({
      state: 'FAILED',
      titles: ['CF-AppBitsUploadInvalid'],
    })
    expect(await outcome('upload-assembling')).toEqual({
      state: 'FAILED',
      titles: ['CF-AppPackageInvalid'],
    })
    expect(await outcome('delete-done')).toEqual({ state: 'COMPLETE', titles: [] })
    expect(await outcome('delete-undone')).toEqual({ state: 'FAILED', titles: ['CF-UnknownError'] })
    expect(await metadata.listUnfinishedJobs()).toEqual([])
  })

  it('removes package zips no package names and keeps those one does', async () => {
    const named = await storeZip(storage, 'named zip')
    const orphan = await storeZip(storage, 'zip stored before a crash')
    await storage.metadata.createPackage(bitsPackage('ready', 'READY', named))
    expect((await recoverInterruptedWork(storage, () => NOW)).removedPackageZips).toBe(1)
    expect(await storage.packages.exists(named)).toBe(true)
    expect(await storage.packages.exists(orphan)).toBe(false)
  })
})
