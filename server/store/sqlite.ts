import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, Migrator, SqliteDialect } from 'kysely'
import { createAirRepository } from './air.repository'
import { migrationProvider } from './migrations'
import { createIncidentRepository } from './incident.repository'
import { createRejectRepository } from './reject.repository'
import type { Store } from './repositories'
import type { Database } from './schema'
import { createHistoryRepository, createTelemetryRepository } from './telemetry.repository'

/** Brings a database to the newest schema; throws with the failing migration's name. */
export async function migrate(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find(r => r.status === 'Error')
  if (error)
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`, { cause: error })
}

/**
 * Opens (creating it if needed) the SQLite database file in WAL mode and
 * migrates it. `:memory:` gives a private in-memory database.
 */
export async function openSqliteStore(file: string): Promise<Store> {
  if (file !== ':memory:')
    mkdirSync(dirname(file), { recursive: true })
  const sqlite = new SQLite(file)
  sqlite.pragma('journal_mode = WAL')
  // FULL: an incident is acknowledged upstream once its commit returns, so the
  // commit must survive a power loss, not only a crash (WAL + NORMAL may lose
  // the last transactions). Telemetry shares the connection and the cost; the
  // store writes it in batches, so the extra fsyncs are few.
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  await migrate(db)
  return {
    air: createAirRepository(db),
    telemetry: createTelemetryRepository(db),
    history: createHistoryRepository(db),
    incidents: createIncidentRepository(db),
    rejects: createRejectRepository(db),
    close: () => db.destroy(),
  }
}
