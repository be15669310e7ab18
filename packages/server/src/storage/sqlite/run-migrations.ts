import { type Kysely, type Migration, Migrator } from 'kysely'
import { PackwrightError } from '@packwright/core'
import * as initialSchema from './migrations/0001-initial-schema.js'
import * as applicationPackages from './migrations/0002-application-packages.js'
import * as generatedPackages from './migrations/0003-generated-packages.js'

/**
 * Every migration, by name; names sort in the order they apply. Add a new
 * file under `migrations/` and list it here; never edit one that shipped.
 */
const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial-schema': initialSchema,
  '0002-application-packages': applicationPackages,
  '0003-generated-packages': generatedPackages,
}

/** The table that records which migrations a database has applied. */
export const MIGRATION_TABLE = 'schema_migrations'

/** Brings the database to the newest schema, applying what it lacks in order. */
export async function runMigrations(db: Kysely<unknown>, where: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(MIGRATIONS) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: `${MIGRATION_TABLE}_lock`,
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Could not bring the metadata database ${where} to the current schema${failed === undefined ? '' : ` (migration ${failed} failed)`}: ${error instanceof Error ? error.message : 'unknown error'}.`,
      {
        cause: error,
        hint: 'Check that the file is a packwright metadata database written by this or an older version.',
      },
    )
  }
}
