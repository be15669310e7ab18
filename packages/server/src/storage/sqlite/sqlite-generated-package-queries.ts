import type { Kysely } from 'kysely'
import type { GeneratedPackageIndex } from '../generated-package-index.js'
import type { MetadataSchema } from './metadata-schema.js'

/** The generated-package index over the `generated_packages` table. */
export function sqliteGeneratedPackageQueries(db: Kysely<MetadataSchema>): GeneratedPackageIndex {
  return {
    async findGeneratedPackage(sourceKey) {
      const row = await db
        .selectFrom('generated_packages')
        .selectAll()
        .where('source_key', '=', sourceKey)
        .executeTakeFirst()
      return row === undefined
        ? undefined
        : {
            sourceKey: row.source_key,
            sha256: row.sha256,
            size: row.size,
            createdAt: row.created_at,
          }
    },

    async recordGeneratedPackage(record) {
      const row = {
        source_key: record.sourceKey,
        sha256: record.sha256,
        size: record.size,
        created_at: record.createdAt,
      }
      await db
        .insertInto('generated_packages')
        .values(row)
        .onConflict((conflict) =>
          conflict.column('source_key').doUpdateSet({
            sha256: row.sha256,
            size: row.size,
            created_at: row.created_at,
          }),
        )
        .execute()
    },
  }
}
