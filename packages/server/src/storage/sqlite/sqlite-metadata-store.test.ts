import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { describeApplicationStoreContract } from '../../../test/contract/application-store-contract.js'
import { describeMetadataStoreContract } from '../../../test/contract/metadata-store-contract.js'
import { MIGRATION_TABLE } from './run-migrations.js'
import { openSqliteMetadataStore } from './sqlite-metadata-store.js'

describeMetadataStoreContract('sqlite', () => openSqliteMetadataStore({ file: ':memory:' }))
describeApplicationStoreContract('sqlite', () => openSqliteMetadataStore({ file: ':memory:' }))

describe('sqlite metadata store', () => {
  it('keeps records across reopening and records each migration once', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'packwright-metadata-'))
    const file = join(folder, 'metadata.sqlite')
    try {
      const first = await openSqliteMetadataStore({ file })
      await first.createApp({
        guid: 'a1',
        name: 'web',
        lifecycleType: 'docker',
        labels: {},
        annotations: {},
        createdAt: '2026-01-01T00:00:00Z',
        updatedAt: null,
      })
      await first.close()
      const second = await openSqliteMetadataStore({ file })
      expect(await second.getApp('a1')).toMatchObject({ name: 'web', lifecycleType: 'docker' })
      await second.close()
      const raw = new Database(file, { readonly: true })
      const applied = raw.prepare(`select name from ${MIGRATION_TABLE}`).all()
      raw.close()
      expect(applied).toEqual([
        { name: '0001-initial-schema' },
        { name: '0002-application-packages' },
        { name: '0003-generated-packages' },
      ])
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })

  it('explains a file that is not a database', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'packwright-metadata-'))
    try {
      const file = join(folder, 'metadata.sqlite')
      await import('node:fs/promises').then((fs) =>
        fs.writeFile(file, 'not a database at all, just text'.repeat(40)),
      )
      await expect(openSqliteMetadataStore({ file })).rejects.toThrow(/metadata database/)
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })
})
