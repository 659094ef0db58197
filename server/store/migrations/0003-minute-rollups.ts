import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { dialectOf, textType } from '../dialect'

/**
 * Minute rollups beside the hourly ones, and one key order for both:
 * (kind, metric, time, entity). A round of readings upserts one row per
 * entity into the current minute and hour; with time right after the
 * metric those rows are neighbours at the end of their metric's range, so a
 * round dirties tens of pages. The hourly table of 0002 led with the entity,
 * which put every row of a round on a page of its own: about 1,900 scattered
 * pages (7–8 MB of WAL) per traffic round, gigabytes an hour at simulated
 * speed. Reading one series is a range over (kind, metric, time) filtered by
 * entity: 1,900 rows a minute for segment speeds, tens for everything else.
 * Retention deletes by time through an index that leads with it. On SQLite
 * both tables are WITHOUT ROWID: rows live in the key's b-tree, not beside a
 * copy of it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  const text = textType(dialect)
  const rollupTable = (name: string, time: 'minute' | 'hour', constraint: string) => db.schema.createTable(name)
    .addColumn('kind', text, c => c.notNull())
    .addColumn('entity_id', text, c => c.notNull())
    .addColumn('metric', text, c => c.notNull())
    /** The bucket's start, ISO 8601 UTC. */
    .addColumn(time, text, c => c.notNull())
    .addColumn('n', 'integer', c => c.notNull())
    .addColumn('sum', 'double precision', c => c.notNull())
    .addColumn('min', 'double precision', c => c.notNull())
    .addColumn('max', 'double precision', c => c.notNull())
    .addPrimaryKeyConstraint(constraint, ['kind', 'metric', time, 'entity_id'])
    .$call(t => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))

  await rollupTable('rollup_minute', 'minute', 'rollup_minute_pk').execute()
  await db.schema.createIndex('rollup_minute_minute').on('rollup_minute').column('minute').execute()

  // The hourly table is rebuilt in the new key order, its rows kept.
  await rollupTable('rollup_hour_by_time', 'hour', 'rollup_hour_key').execute()
  await sql`insert into rollup_hour_by_time (kind, entity_id, metric, hour, n, sum, min, max)
    select kind, entity_id, metric, hour, n, sum, min, max from rollup_hour`.execute(db)
  await db.schema.dropTable('rollup_hour').execute()
  await db.schema.alterTable('rollup_hour_by_time').renameTo('rollup_hour').execute()
  await db.schema.createIndex('rollup_hour_hour').on('rollup_hour').column('hour').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('rollup_hour_hour').ifExists().execute()
  await db.schema.dropTable('rollup_minute').ifExists().execute()
}
