import { type Kysely, sql } from 'kysely'

/** Apps, packages, jobs and the resource-pool index. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('apps')
    .addColumn('seq', 'integer', (column) => column.primaryKey().autoIncrement())
    .addColumn('guid', 'text', (column) => column.notNull().unique())
    .addColumn('name', 'text', (column) => column.notNull().unique())
    .addColumn('lifecycle_type', 'text', (column) => column.notNull())
    .addColumn('labels', 'text', (column) => column.notNull())
    .addColumn('annotations', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text')
    .execute()

  await db.schema
    .createTable('packages')
    .addColumn('seq', 'integer', (column) => column.primaryKey().autoIncrement())
    .addColumn('guid', 'text', (column) => column.notNull().unique())
    .addColumn('app_guid', 'text', (column) => column.notNull().references('apps.guid'))
    .addColumn('type', 'text', (column) => column.notNull())
    .addColumn('state', 'text', (column) => column.notNull())
    .addColumn('sha1', 'text')
    .addColumn('sha256', 'text')
    .addColumn('error', 'text')
    .addColumn('docker_image', 'text')
    .addColumn('docker_username', 'text')
    .addColumn('docker_password', 'text')
    .addColumn('labels', 'text', (column) => column.notNull())
    .addColumn('annotations', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text')
    .execute()
  await db.schema.createIndex('packages_app_guid').on('packages').column('app_guid').execute()
  await db.schema.createIndex('packages_state').on('packages').column('state').execute()

  await db.schema
    .createTable('jobs')
    .addColumn('guid', 'text', (column) => column.primaryKey())
    .addColumn('operation', 'text', (column) => column.notNull())
    .addColumn('state', 'text', (column) => column.notNull())
    .addColumn('resource_type', 'text')
    .addColumn('resource_guid', 'text')
    .addColumn('errors', 'text', (column) => column.notNull().defaultTo(sql`'[]'`))
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text')
    .execute()

  await db.schema
    .createTable('resource_pool')
    .addColumn('sha1', 'text', (column) => column.primaryKey())
    .addColumn('size', 'integer', (column) => column.notNull())
    .execute()
}
