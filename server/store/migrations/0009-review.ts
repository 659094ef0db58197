import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { dialectOf, textType } from '../dialect'

/**
 * The leaders' review (issue 9) reads days, weeks and quarters: a quarter of
 * hourly rollups is 2,000+ rows per series and millions for the road
 * segments, too many to read per page. Each local day (Asia/Shanghai), once
 * over, is folded into `rollup_day` (server/review/day-fold.ts): the
 * telemetry's hours as one bucket per entity and metric, plus the day's
 * derived facts (daily AQI inputs, congested hours, 12345 counts by
 * department, town and topic). `review_folds` records which days are folded
 * and when, so a restart neither skips nor repeats one. Reports (日报, 周报)
 * are kept whole in `review_reports`, one per kind and period.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  const text = textType(dialect)
  await db.schema.createTable('rollup_day')
    .addColumn('kind', text, c => c.notNull())
    .addColumn('entity_id', text, c => c.notNull())
    .addColumn('metric', text, c => c.notNull())
    /** The local date, YYYY-MM-DD (Asia/Shanghai). */
    .addColumn('day', text, c => c.notNull())
    .addColumn('n', 'integer', c => c.notNull())
    .addColumn('sum', 'double precision', c => c.notNull())
    .addColumn('min', 'double precision', c => c.notNull())
    .addColumn('max', 'double precision', c => c.notNull())
    // The review reads one kind of one entity (the city, a town, a hall) over a range of days.
    .addPrimaryKeyConstraint('rollup_day_key', ['kind', 'entity_id', 'day', 'metric'])
    .$call(t => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute()
  // …and the league tables one metric of every entity of a kind (every department's counts).
  await db.schema.createIndex('rollup_day_metric').on('rollup_day').columns(['kind', 'metric', 'day']).execute()
  await db.schema.createIndex('rollup_day_day').on('rollup_day').column('day').execute()

  // A day's 12345 work is read by the day of each milestone: dispatch and close have their index (0008), signing gets one.
  await db.schema.createIndex('work_orders_signed').on('work_orders').column('signed_at').execute()

  await db.schema.createTable('review_folds')
    .addColumn('day', text, c => c.primaryKey())
    .addColumn('folded_at', text, c => c.notNull())
    .addColumn('rows', 'integer', c => c.notNull())
    .execute()

  await db.schema.createTable('review_reports')
    .addColumn('id', text, c => c.primaryKey())
    .addColumn('kind', text, c => c.notNull())
    /** The local date the period starts on, YYYY-MM-DD. */
    .addColumn('period_start', text, c => c.notNull())
    .addColumn('generated_at', text, c => c.notNull())
    .addColumn('generated_by', text, c => c.notNull())
    .addColumn('doc', text, c => c.notNull())
    .addUniqueConstraint('review_reports_period', ['kind', 'period_start'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('review_reports').ifExists().execute()
  await db.schema.dropTable('review_folds').ifExists().execute()
  await db.schema.dropTable('rollup_day').ifExists().execute()
  await db.schema.dropIndex('work_orders_signed').ifExists().execute()
}
