import { type Kysely, sql } from 'kysely'
import { PackwrightError, quoteInput } from '@packwright/core'
import type {
  ApplicationComponentRecord,
  ApplicationPackageLabel,
  ApplicationPackageRecord,
  ApplicationStore,
} from '../application-store.js'
import type { PackageRecord } from '../metadata-store.js'
import type { MetadataSchema } from './metadata-schema.js'

type ApplicationPackageRow = Omit<MetadataSchema['application_packages'], 'seq'>

function toApplicationPackageRecord(row: ApplicationPackageRow): ApplicationPackageRecord {
  return {
    applicationId: row.application_id,
    version: row.version,
    basePackageVersion: row.base_package_version,
    archived: row.archived === 1,
    preview: row.preview === 1,
    components: JSON.parse(row.components) as ApplicationComponentRecord[],
    labels: JSON.parse(row.labels) as ApplicationPackageLabel[],
    createdAt: row.created_at,
  }
}

function constraintCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined
}

/** A JSON path naming one top-level key, whatever characters the key holds. */
function jsonKeyPath(key: string): string {
  return `$.${JSON.stringify(key)}`
}

/**
 * The ApplicationStore half of the SQLite metadata store. `readPackage`
 * turns a packages row into a record, as the rest of the store does.
 */
export function sqliteApplicationQueries(
  db: Kysely<MetadataSchema>,
  readPackage: (row: Omit<MetadataSchema['packages'], 'seq'>) => PackageRecord,
): ApplicationStore {
  return {
    async createApplication(application) {
      try {
        await db
          .insertInto('applications')
          .values({
            id: application.id,
            name: application.name,
            created_at: application.createdAt,
          })
          .execute()
      } catch (error) {
        if (constraintCode(error) !== 'SQLITE_CONSTRAINT_UNIQUE') throw error
        throw new PackwrightError(
          'INVALID_ARGUMENT',
          `An application with id ${quoteInput(application.id)} already exists.`,
          { cause: error, details: { conflict: 'application', id: application.id } },
        )
      }
    },

    async getApplication(id) {
      const row = await db
        .selectFrom('applications')
        .select(['id', 'name', 'created_at'])
        .where('id', '=', id)
        .executeTakeFirst()
      return row === undefined
        ? undefined
        : { id: row.id, name: row.name, createdAt: row.created_at }
    },

    async createApplicationPackage(record) {
      try {
        await db
          .insertInto('application_packages')
          .values({
            application_id: record.applicationId,
            version: record.version,
            base_package_version: record.basePackageVersion,
            archived: record.archived ? 1 : 0,
            preview: record.preview ? 1 : 0,
            components: JSON.stringify(record.components),
            labels: JSON.stringify(record.labels),
            created_at: record.createdAt,
          })
          .execute()
      } catch (error) {
        const code = constraintCode(error)
        if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
          throw new PackwrightError(
            'INVALID_ARGUMENT',
            `Application ${quoteInput(record.applicationId)} does not exist.`,
            { cause: error, details: { conflict: 'application', id: record.applicationId } },
          )
        }
        if (code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error
        throw new PackwrightError(
          'INVALID_ARGUMENT',
          `Application ${quoteInput(record.applicationId)} already has a package with version ${quoteInput(record.version)}.`,
          {
            cause: error,
            details: {
              conflict: 'application-package',
              applicationId: record.applicationId,
              version: record.version,
            },
          },
        )
      }
    },

    async getApplicationPackage(applicationId, version) {
      const row = await db
        .selectFrom('application_packages')
        .selectAll()
        .where('application_id', '=', applicationId)
        .where('version', '=', version)
        .executeTakeFirst()
      return row === undefined ? undefined : toApplicationPackageRecord(row)
    },

    async listApplicationPackages(applicationId, options) {
      let query = db
        .selectFrom('application_packages')
        .selectAll()
        .where('application_id', '=', applicationId)
      if (!options.includeArchived) query = query.where('archived', '=', 0)
      const rows = await query.orderBy('seq', 'asc').execute()
      return rows.map(toApplicationPackageRecord)
    },

    async findPackageByVersion(query) {
      if (query.versionKeys.length === 0) return undefined
      const version = sql<string | null>`coalesce(${sql.join(
        query.versionKeys.map((key) => sql`json_extract(annotations, ${jsonKeyPath(key)})`),
      )}, null)`
      const row = await db
        .selectFrom('packages')
        .selectAll()
        .where('app_guid', '=', query.appGuid)
        .where('state', '=', query.state)
        .where(version, '=', query.version)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst()
      return row === undefined ? undefined : readPackage(row)
    },
  }
}
