import Database from 'better-sqlite3'
import { Kysely, type SelectQueryBuilder, SqliteDialect, sql } from 'kysely'
import { PackwrightError, quoteInput } from '@packwright/core'
import type {
  AppFilter,
  AppLifecycleType,
  AppRecord,
  JobChanges,
  JobRecord,
  JobState,
  MetadataStore,
  PackageChanges,
  PackageFilter,
  PackageRecord,
  PackageState,
  PackageType,
  Page,
  PageRequest,
  PoolEntry,
} from '../metadata-store.js'
import type { MetadataSchema } from './metadata-schema.js'
import { runMigrations } from './run-migrations.js'
import { sqliteApplicationQueries } from './sqlite-application-queries.js'
import { sqliteGeneratedPackageQueries } from './sqlite-generated-package-queries.js'

export interface SqliteMetadataStoreOptions {
  /** The database file, or `:memory:` for a store that lives as long as the process. */
  readonly file: string
}

type AppRow = MetadataSchema['apps']
type PackageRow = Omit<MetadataSchema['packages'], 'seq'>
type JobRow = MetadataSchema['jobs']

function toStringMap(text: string): Record<string, string> {
  return JSON.parse(text) as Record<string, string>
}

function toAppRecord(row: Omit<AppRow, 'seq'>): AppRecord {
  return {
    guid: row.guid,
    name: row.name,
    lifecycleType: row.lifecycle_type as AppLifecycleType,
    labels: toStringMap(row.labels),
    annotations: toStringMap(row.annotations),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function toPackageRecord(row: PackageRow): PackageRecord {
  return {
    guid: row.guid,
    appGuid: row.app_guid,
    type: row.type as PackageType,
    state: row.state as PackageState,
    sha1: row.sha1,
    sha256: row.sha256,
    error: row.error,
    docker:
      row.docker_image === null
        ? null
        : { image: row.docker_image, username: row.docker_username, password: row.docker_password },
    labels: toStringMap(row.labels),
    annotations: toStringMap(row.annotations),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function toJobRecord(row: JobRow): JobRecord {
  return {
    guid: row.guid,
    operation: row.operation,
    state: row.state as JobState,
    resourceType: row.resource_type,
    resourceGuid: row.resource_guid,
    errors: JSON.parse(row.errors) as JobRecord['errors'],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Error &&
    'code' in error &&
    (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
  )
}

function isForeignKeyViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'SQLITE_CONSTRAINT_FOREIGNKEY'
}

/** sha1s looked up in one query of the pool index. */
const POOL_LOOKUP_BATCH = 1000

/** Sorts a list query as asked, newest-last by insertion for equal timestamps. */
function ordered<T extends 'apps' | 'packages', O>(
  query: SelectQueryBuilder<MetadataSchema, T, O>,
  page: PageRequest,
): SelectQueryBuilder<MetadataSchema, T, O> {
  const direction = page.order.descending ? 'desc' : 'asc'
  const key =
    page.order.field === 'created_at' ? sql`created_at` : sql`coalesce(updated_at, created_at)`
  return query
    .orderBy(key, direction)
    .orderBy('seq', direction)
    .limit(page.perPage)
    .offset((page.page - 1) * page.perPage)
}

/**
 * The embedded MetadataStore: one SQLite file through better-sqlite3, queried
 * with Kysely so the same queries carry over to other SQL databases. Opening
 * applies any migration the file lacks.
 */
export async function openSqliteMetadataStore(
  options: SqliteMetadataStoreOptions,
): Promise<MetadataStore> {
  let database: Database.Database
  try {
    database = new Database(options.file)
    database.pragma('journal_mode = WAL')
    database.pragma('foreign_keys = ON')
    database.pragma('busy_timeout = 5000')
  } catch (error) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Could not open the metadata database ${quoteInput(options.file)}: ${error instanceof Error ? error.message : String(error)}.`,
      { cause: error, hint: 'Check that the data folder exists and is writable.' },
    )
  }
  const db = new Kysely<MetadataSchema>({ dialect: new SqliteDialect({ database }) })
  try {
    await runMigrations(db as unknown as Kysely<unknown>, quoteInput(options.file))
  } catch (error) {
    await db.destroy()
    throw error
  }

  const store: MetadataStore = {
    async createApp(app) {
      try {
        await db
          .insertInto('apps')
          .values({
            guid: app.guid,
            name: app.name,
            lifecycle_type: app.lifecycleType,
            labels: JSON.stringify(app.labels),
            annotations: JSON.stringify(app.annotations),
            created_at: app.createdAt,
            updated_at: app.updatedAt,
          })
          .execute()
      } catch (error) {
        if (!isUniqueViolation(error)) throw error
        throw new PackwrightError(
          'INVALID_ARGUMENT',
          `An app named ${quoteInput(app.name)} or with guid ${quoteInput(app.guid)} already exists.`,
          { cause: error, details: { conflict: 'app', name: app.name, guid: app.guid } },
        )
      }
    },

    async getApp(guid) {
      const row = await db
        .selectFrom('apps')
        .selectAll()
        .where('guid', '=', guid)
        .executeTakeFirst()
      return row === undefined ? undefined : toAppRecord(row)
    },

    async listApps(filter: AppFilter, page: PageRequest): Promise<Page<AppRecord>> {
      if (filter.names?.length === 0 || filter.guids?.length === 0) {
        return { totalResults: 0, items: [] }
      }
      let query = db.selectFrom('apps')
      if (filter.names !== undefined) query = query.where('name', 'in', filter.names)
      if (filter.guids !== undefined) query = query.where('guid', 'in', filter.guids)
      const counted = await query
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow()
      const rows = await ordered(query.selectAll(), page).execute()
      return { totalResults: Number(counted.total), items: rows.map(toAppRecord) }
    },

    async createPackage(record) {
      try {
        await db
          .insertInto('packages')
          .values({
            guid: record.guid,
            app_guid: record.appGuid,
            type: record.type,
            state: record.state,
            sha1: record.sha1,
            sha256: record.sha256,
            error: record.error,
            docker_image: record.docker?.image ?? null,
            docker_username: record.docker?.username ?? null,
            docker_password: record.docker?.password ?? null,
            labels: JSON.stringify(record.labels),
            annotations: JSON.stringify(record.annotations),
            created_at: record.createdAt,
            updated_at: record.updatedAt,
          })
          .execute()
      } catch (error) {
        if (isForeignKeyViolation(error)) {
          throw new PackwrightError(
            'INVALID_ARGUMENT',
            `Package ${quoteInput(record.guid)} names app ${quoteInput(record.appGuid)}, which does not exist.`,
            { cause: error, details: { conflict: 'app', appGuid: record.appGuid } },
          )
        }
        if (!isUniqueViolation(error)) throw error
        throw new PackwrightError(
          'INVALID_ARGUMENT',
          `A package with guid ${quoteInput(record.guid)} already exists.`,
          { cause: error, details: { conflict: 'package', guid: record.guid } },
        )
      }
    },

    async getPackage(guid) {
      const row = await db
        .selectFrom('packages')
        .selectAll()
        .where('guid', '=', guid)
        .executeTakeFirst()
      return row === undefined ? undefined : toPackageRecord(row)
    },

    async listPackages(filter: PackageFilter, page: PageRequest): Promise<Page<PackageRecord>> {
      const lists = [filter.guids, filter.states, filter.types, filter.appGuids]
      if (lists.some((list) => list?.length === 0)) return { totalResults: 0, items: [] }
      let query = db.selectFrom('packages')
      if (filter.guids !== undefined) query = query.where('guid', 'in', filter.guids)
      if (filter.states !== undefined) query = query.where('state', 'in', filter.states)
      if (filter.types !== undefined) query = query.where('type', 'in', filter.types)
      if (filter.appGuids !== undefined) query = query.where('app_guid', 'in', filter.appGuids)
      const counted = await query
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow()
      const rows = await ordered(query.selectAll(), page).execute()
      return { totalResults: Number(counted.total), items: rows.map(toPackageRecord) }
    },

    async transitionPackage(guid: string, from: PackageState, changes: PackageChanges) {
      const row = await db
        .updateTable('packages')
        .set({
          state: changes.state,
          updated_at: changes.updatedAt,
          ...(changes.sha1 === undefined ? {} : { sha1: changes.sha1 }),
          ...(changes.sha256 === undefined ? {} : { sha256: changes.sha256 }),
          ...(changes.error === undefined ? {} : { error: changes.error }),
        })
        .where('guid', '=', guid)
        .where('state', '=', from)
        .returningAll()
        .executeTakeFirst()
      return row === undefined ? undefined : toPackageRecord(row)
    },

    async deletePackage(guid) {
      const row = await db
        .deleteFrom('packages')
        .where('guid', '=', guid)
        .returningAll()
        .executeTakeFirst()
      return row === undefined ? undefined : toPackageRecord(row)
    },

    async countPackagesWithSha256(sha256) {
      const counted = await db
        .selectFrom('packages')
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .where('sha256', '=', sha256)
        .executeTakeFirstOrThrow()
      const generated = await db
        .selectFrom('generated_packages')
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .where('sha256', '=', sha256)
        .executeTakeFirstOrThrow()
      return Number(counted.total) + Number(generated.total)
    },

    async createJob(job) {
      await db
        .insertInto('jobs')
        .values({
          guid: job.guid,
          operation: job.operation,
          state: job.state,
          resource_type: job.resourceType,
          resource_guid: job.resourceGuid,
          errors: JSON.stringify(job.errors),
          created_at: job.createdAt,
          updated_at: job.updatedAt,
        })
        .execute()
    },

    async getJob(guid) {
      const row = await db
        .selectFrom('jobs')
        .selectAll()
        .where('guid', '=', guid)
        .executeTakeFirst()
      return row === undefined ? undefined : toJobRecord(row)
    },

    async updateJob(guid: string, changes: JobChanges) {
      const row = await db
        .updateTable('jobs')
        .set({
          state: changes.state,
          updated_at: changes.updatedAt,
          ...(changes.errors === undefined ? {} : { errors: JSON.stringify(changes.errors) }),
        })
        .where('guid', '=', guid)
        .returningAll()
        .executeTakeFirst()
      return row === undefined ? undefined : toJobRecord(row)
    },

    async listUnfinishedJobs() {
      const rows = await db
        .selectFrom('jobs')
        .selectAll()
        .where('state', 'in', ['PROCESSING', 'POLLING'])
        .orderBy('created_at')
        .orderBy('guid')
        .execute()
      return rows.map(toJobRecord)
    },

    async addPoolEntry(entry: PoolEntry) {
      await db
        .insertInto('resource_pool')
        .values({ sha1: entry.sha1, size: entry.size })
        .onConflict((conflict) => conflict.column('sha1').doNothing())
        .execute()
    },

    async getPoolEntry(sha1) {
      const row = await db
        .selectFrom('resource_pool')
        .selectAll()
        .where('sha1', '=', sha1)
        .executeTakeFirst()
      return row === undefined ? undefined : { sha1: row.sha1, size: row.size }
    },

    async findPoolEntries(sha1s) {
      const found: PoolEntry[] = []
      // Bounded batches: SQLite limits the number of bound parameters.
      for (let start = 0; start < sha1s.length; start += POOL_LOOKUP_BATCH) {
        const rows = await db
          .selectFrom('resource_pool')
          .selectAll()
          .where('sha1', 'in', sha1s.slice(start, start + POOL_LOOKUP_BATCH))
          .execute()
        for (const row of rows) found.push({ sha1: row.sha1, size: row.size })
      }
      return found
    },

    async removePoolEntry(sha1) {
      const result = await db
        .deleteFrom('resource_pool')
        .where('sha1', '=', sha1)
        .executeTakeFirst()
      return result.numDeletedRows > 0n
    },

    ...sqliteApplicationQueries(db, toPackageRecord),
    ...sqliteGeneratedPackageQueries(db),

    async close() {
      await db.destroy()
    },
  }
  return store
}
