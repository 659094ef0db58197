import type { Kysely } from 'kysely'
import { Migrator } from 'kysely'
import { createAirRepository } from './air.repository'
import { createIncidentRepository } from './incident.repository'
import { migrationProvider } from './migrations'
import { createRejectRepository } from './reject.repository'
import type { Store } from './repositories'
import type { Database } from './schema'
import { createHistoryRepository, createTelemetryRepository } from './telemetry.repository'

/**
 * Brings a database to the newest schema; throws with the failing migration's
 * name. `migrationTableSchema` names the PostgreSQL schema of kysely's own
 * bookkeeping tables: without it kysely counts a `kysely_migration` table in
 * any schema of the database as ours.
 */
export async function migrate(db: Kysely<Database>, migrationTableSchema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider, ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }) })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find(r => r.status === 'Error')
  if (error)
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`, { cause: error })
}

/** The repositories over one migrated database, whatever its dialect; `close()` destroys it. */
export function storeOver(db: Kysely<Database>): Store {
  return {
    air: createAirRepository(db),
    telemetry: createTelemetryRepository(db),
    history: createHistoryRepository(db),
    incidents: createIncidentRepository(db),
    rejects: createRejectRepository(db),
    close: () => db.destroy(),
  }
}
