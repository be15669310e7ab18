import type { Kysely } from 'kysely'

/** Packages generated from an immutable source (Spice's generate endpoint), by source key. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('generated_packages')
    .addColumn('source_key', 'text', (column) => column.primaryKey())
    .addColumn('sha256', 'text', (column) => column.notNull())
    .addColumn('size', 'integer', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute()
  await db.schema
    .createIndex('generated_packages_sha256')
    .on('generated_packages')
    .column('sha256')
    .execute()
}
