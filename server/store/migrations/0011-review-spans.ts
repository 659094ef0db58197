import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { dialectOf, textType } from '../dialect'

/**
 * A year of the review is 365 days of day rows per series, and millions for
 * the league tables, roads and complaint cells: too many to sum per page.
 * `rollup_span` holds the day rows (0009) summed over each whole week
 * (Monday to Sunday) and calendar month, built once all its days are folded
 * and again when one of them is folded again; `review_spans` lists the spans
 * built. A period is read as its built months, then built weeks, then days
 * (shared/review/spans.ts). And an index for the open orders past their
 * handling deadline, which every review page counts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  const text = textType(dialect)
  await db.schema.createTable('rollup_span')
    .addColumn('kind', text, c => c.notNull())
    .addColumn('entity_id', text, c => c.notNull())
    .addColumn('metric', text, c => c.notNull())
    /** 'week' or 'month'. */
    .addColumn('span', text, c => c.notNull())
    /** Its first local date, YYYY-MM-DD: a Monday, or the first of a month. */
    .addColumn('start', text, c => c.notNull())
    .addColumn('n', 'integer', c => c.notNull())
    .addColumn('sum', 'double precision', c => c.notNull())
    .addColumn('min', 'double precision', c => c.notNull())
    .addColumn('max', 'double precision', c => c.notNull())
    .addPrimaryKeyConstraint('rollup_span_key', ['kind', 'entity_id', 'span', 'start', 'metric'])
    .$call(t => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute()
  // Rebuilding one span and pruning old ones.
  await db.schema.createIndex('rollup_span_start').on('rollup_span').columns(['span', 'start']).execute()
  await db.schema.createTable('review_spans')
    .addColumn('span', text, c => c.notNull())
    .addColumn('start', text, c => c.notNull())
    /** When its sums were made (ISO instant). */
    .addColumn('built_at', text, c => c.notNull())
    .addPrimaryKeyConstraint('review_spans_key', ['span', 'start'])
    .execute()
  // Every review page counts the open orders past their deadline now: by state and deadline, not every open order.
  await db.schema.createIndex('work_orders_due').on('work_orders').columns(['state', 'handle_due_at']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('work_orders_due').ifExists().execute()
  await db.schema.dropTable('review_spans').ifExists().execute()
  await db.schema.dropTable('rollup_span').ifExists().execute()
}
