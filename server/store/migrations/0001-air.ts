import type { Kysely } from 'kysely'
import { dialectOf, textType } from '../dialect'

/**
 * Shipped on SQLite; PostgreSQL (added later) gets the same tables with an
 * identity id and byte-ordered text. What SQLite runs must not change.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  const text = textType(dialect)
  await db.schema.createTable('air_stations')
    .addColumn('id', text, c => c.primaryKey())
    .addColumn('name', text, c => c.notNull())
    .addColumn('town_code', text, c => c.notNull())
    .addColumn('kind', text, c => c.notNull())
    .addColumn('lng', 'double precision', c => c.notNull())
    .addColumn('lat', 'double precision', c => c.notNull())
    .execute()
  await db.schema.createTable('air_latest')
    .addColumn('station_id', text, c => c.primaryKey())
    .addColumn('observed_at', text, c => c.notNull())
    .addColumn('aqi', 'integer')
    .addColumn('reading', text, c => c.notNull())
    .execute()
  await db.schema.createTable('city_aqi_points')
    .addColumn('t', text, c => c.primaryKey())
    .addColumn('aqi', 'integer', c => c.notNull())
    .execute()
  await db.schema.createTable('rejected_records')
    .$call(t => dialect === 'sqlite'
      ? t.addColumn('id', 'integer', c => c.primaryKey().autoIncrement())
      // bigint: SQLite's integer key is 64-bit too; the pool reads int8 as a number.
      : t.addColumn('id', 'bigint', c => c.primaryKey().generatedByDefaultAsIdentity()))
    .addColumn('source', text, c => c.notNull())
    .addColumn('received_at', text, c => c.notNull())
    .addColumn('reasons', text, c => c.notNull())
    .addColumn('raw', text, c => c.notNull())
    .execute()
  await db.schema.createIndex('rejected_records_received_at').on('rejected_records').column('received_at').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['rejected_records', 'city_aqi_points', 'air_latest', 'air_stations'])
    await db.schema.dropTable(table).ifExists().execute()
}
