import type { DatabaseConnection } from 'kysely'
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { migrate, storeOver } from './kysely-store'
import type { StoreOptions } from './kysely-store'
import type { Store } from './repositories'
import type { Database } from './schema'

export interface PostgresStoreOptions extends StoreOptions {
  /**
   * The schema that holds the tables, created when missing (tests give each
   * run its own). Default: the connection's current schema, usually `public`.
   */
  schema?: string
}

/** Lower-case identifiers only: they go into `search_path` unquoted-safe and need no escaping. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/
/** A server that drops packets must fail the start, not hang it; also bounds the wait for a free pooled connection. */
const CONNECT_TIMEOUT_MS = 10_000
const INT8_OID = 20
/**
 * Planner settings of the store's sessions. A review page sends a dozen
 * queries at once: parallel workers for each only fight them for the cores
 * (a year's city page went from 860 to 520 ms without them on 2 cores). And
 * the cost of a random page as on SSDs (1.1, PostgreSQL's default 4 is for
 * spinning disks): at 4 the planner read a few days of every day row through
 * the day index instead of the one series it wanted through the key.
 */
const SESSION_OPTIONS = '-c max_parallel_workers_per_gather=0 -c random_page_cost=1.1'

/**
 * bigint (identity ids, `count(*)`) as a JS number, like better-sqlite3 gives
 * SQLite integers; the store's counts and ids stay far below 2^53. Scoped to
 * this pool: pg's global parsers are left alone.
 */
const parseInt8 = (text: string): number => Number(text)
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === INT8_OID && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
}

/**
 * Opens the store on PostgreSQL (`postgres://user@host:5432/db`) and migrates
 * it with the same migrations and repositories as SQLite. `close()` ends the
 * pool.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const { schema } = options
  if (schema !== undefined && !SCHEMA_NAME.test(schema))
    throw new Error(`PostgreSQL schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _`)
  const db = openPostgresDb(url, { schema })
  try {
    if (schema !== undefined)
      await ensureSchema(db, schema)
    await migrate(db, schema ?? await currentSchema(db))
  }
  catch (err) {
    await db.destroy()
    throw err
  }
  return storeOver(db, options)
}

/**
 * The pooled connection as the store opens it, not yet migrated (the
 * benchmarks seed it through this). `max`: the pool's size (pg's default 10).
 */
export function openPostgresDb(url: string, options: { schema?: string | undefined, max?: number } = {}): Kysely<Database> {
  const { schema, max } = options
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, types, options: SESSION_OPTIONS, ...(max === undefined ? {} : { max }) })
  // An idle connection that breaks (server restart) is dropped by the pool;
  // without a listener its error would end the process.
  pool.on('error', err => console.error('[store] idle PostgreSQL connection failed', err))
  return new Kysely<Database>({
    dialect: new PostgresDialect({
      pool,
      ...(schema === undefined ? {} : { onCreateConnection: (conn: DatabaseConnection) => useSchema(conn, schema) }),
    }),
  })
}

async function useSchema(conn: DatabaseConnection, schema: string): Promise<void> {
  await conn.executeQuery(CompiledQuery.raw(`set search_path to "${schema}"`))
}

async function ensureSchema(db: Kysely<Database>, schema: string): Promise<void> {
  // Asked first: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege on the
  // database even when the schema is already there.
  const { rows } = await sql<{ found: number }>`select 1 as found from pg_namespace where nspname = ${schema}`.execute(db)
  if (rows.length === 0)
    await db.schema.createSchema(schema).ifNotExists().execute()
}

async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db)
  const schema = rows[0]?.schema
  if (!schema)
    throw new Error('PostgreSQL: no schema on the search_path exists to hold the tables; name one with the schema option')
  return schema
}
