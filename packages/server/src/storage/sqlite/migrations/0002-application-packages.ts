import type { Kysely } from 'kysely'

/** CodeNOW applications and their application packages. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('applications')
    .addColumn('seq', 'integer', (column) => column.primaryKey().autoIncrement())
    .addColumn('id', 'text', (column) => column.notNull().unique())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute()

  await db.schema
    .createTable('application_packages')
    .addColumn('seq', 'integer', (column) => column.primaryKey().autoIncrement())
    .addColumn('application_id', 'text', (column) => column.notNull().references('applications.id'))
    .addColumn('version', 'text', (column) => column.notNull())
    .addColumn('base_package_version', 'text')
    .addColumn('archived', 'integer', (column) => column.notNull())
    .addColumn('preview', 'integer', (column) => column.notNull())
    .addColumn('components', 'text', (column) => column.notNull())
    .addColumn('labels', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addUniqueConstraint('application_packages_version', ['application_id', 'version'])
    .execute()
}
