import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { migrate, storeOver } from './kysely-store'
import type { StoreOptions } from './kysely-store'
import type { Store } from './repositories'
import type { Database } from './schema'

export { migrate }

/**
 * Opens (creating it if needed) the SQLite database file in WAL mode and
 * migrates it. `:memory:` gives a private in-memory database.
 */
export async function openSqliteStore(file: string, options: StoreOptions = {}): Promise<Store> {
  const { db } = openSqliteDb(file)
  try {
    await migrate(db)
  }
  catch (err) {
    await db.destroy()
    throw err
  }
  return storeOver(db, options)
}

/** The database as the store opens it, not yet migrated (the benchmarks seed it through `db`). */
export function openSqliteDb(file: string): { db: Kysely<Database>, sqlite: SQLite.Database } {
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
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }), sqlite }
}
