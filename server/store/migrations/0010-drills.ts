import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { dialectOf, textType } from '../dialect'

/**
 * Drills (issue 9, part 4): each named drill with its scenario, and the
 * after-action summary kept when it ended. Incidents, work orders and alerts
 * a drill caused carry its id in `drill_id` (null for real ones): the real
 * measures count `drill_id is null`, the summary reads a drill's own rows by
 * it (hence the indexes).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const text = textType(dialectOf(db))
  await db.schema.createTable('drills')
    .addColumn('id', text, c => c.primaryKey())
    .addColumn('status', text, c => c.notNull())
    .addColumn('started_at', text, c => c.notNull())
    .addColumn('ends_at', text, c => c.notNull())
    .addColumn('ended_at', text)
    /** Drill as JSON. */
    .addColumn('doc', text, c => c.notNull())
    /** DrillSummary as JSON, made when it ended. */
    .addColumn('summary', text)
    .execute()
  await db.schema.createIndex('drills_started').on('drills').column('started_at').execute()
  for (const table of ['incidents', 'work_orders', 'alerts']) {
    await db.schema.alterTable(table).addColumn('drill_id', text).execute()
    // Partial: it holds the few drill rows only. A full index would match every real row to `drill_id is null`,
    // and SQLite (no statistics without ANALYZE) would pick it over the time indexes the real measures need.
    await db.schema.createIndex(`${table}_drill`).on(table).column('drill_id').where(sql.ref('drill_id'), 'is not', null).execute()
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['incidents', 'work_orders', 'alerts']) {
    await db.schema.dropIndex(`${table}_drill`).ifExists().execute()
    await db.schema.alterTable(table).dropColumn('drill_id').execute()
  }
  await db.schema.dropTable('drills').ifExists().execute()
}
