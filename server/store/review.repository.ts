import type { Kysely, SelectQueryBuilder } from 'kysely'
import { sql } from 'kysely'
import { withHandling } from '@shared/dispatch/handled'
import { HANDLING } from '@shared/dispatch/sla'
import { daysOf } from '@shared/review/periods'
import type { SpanKind } from '@shared/review/spans'
import { monthOf, spanEnd, spansOf, weekOf } from '@shared/review/spans'
import type { Incident } from '@shared/schemas/incidents'
import type { WorkOrder, WorkOrderEvent } from '@shared/schemas/work-orders'
import type { DayRow } from '@server/review/day-fold'
import type { ScopedEvent } from '@server/review/orders-fold'
import { chunks, ROWS_PER_STATEMENT } from './batches'
import type { RollupRow } from './repositories'
import type { Database } from './schema'

/** Which day rows to read: one kind, a range of local dates (inclusive), metrics and entities by list. */
export interface DayRowQuery {
  kind: string
  from: string
  to: string
  metrics?: readonly string[]
  entityIds?: readonly string[]
}

/** Day rows summed over the range, per entity and metric. */
export interface DayTotal { entityId: string, metric: string, n: number, sum: number, min: number, max: number }

/** A stored report (日报, 周报): its document is the report body (shared/schemas/review-report.ts). */
export interface StoredReport { id: string, kind: string, periodStart: string, generatedAt: string, generatedBy: string, doc: unknown }

/** What the review keeps and reads (migrations 0009, 0011). */
export interface ReviewRepository {
  /** Replaces the day's rows with these, sums its week and month again, and records the fold, in one transaction. */
  saveDay: (day: string, rows: readonly DayRow[], foldedAt: string) => Promise<void>
  /** The days folded so far, each with when. */
  folds: () => Promise<Map<string, string>>
  /** The first instant the history holds, of telemetry hours or of calls (where a backfill starts), or null when empty. */
  firstRecord: () => Promise<string | null>
  /** Every hourly bucket starting in [from, to), all kinds. */
  hours: (q: { from: string, to: string }) => Promise<RollupRow[]>
  /** Hourly buckets of one series in [from, to), oldest first. */
  seriesHours: (q: { kind: string, entityId: string, metric: string, from: string, to: string }) => Promise<RollupRow[]>
  /** Day rows, oldest day first. */
  days: (q: DayRowQuery) => Promise<DayRow[]>
  /** Day rows summed over the range, read by whole months and weeks where the range holds them and they are built. */
  totals: (q: DayRowQuery) => Promise<DayTotal[]>
  /** The weeks and months starting in [from, to] whose sums are stored: those with every day folded. */
  builtSpans: (q: { from: string, to: string }) => Promise<Array<{ span: SpanKind, start: string }>>
  /** A day's 12345 work: calls reported, orders with a milestone and returns and revisits in [from, to); drills left out. */
  ordersWork: (q: { from: string, to: string }) => Promise<{ incidents: Incident[], orders: WorkOrder[], events: ScopedEvent[] }>
  /** Open orders past their running deadline at `now` (shared/dispatch/sla.ts runningDeadline), of a town or a lead department; drills left out. */
  overdueOpen: (q: { now: string, townCode?: string, departmentId?: string }) => Promise<number>
  saveReport: (report: StoredReport) => Promise<void>
  report: (id: string) => Promise<StoredReport | undefined>
  reports: (q: { kind?: string, limit: number }) => Promise<Omit<StoredReport, 'doc'>[]>
  /** Drops day rows before `before` (a local date). */
  prune: (before: string) => Promise<void>
}

/** The entity and metric lists of a query (an empty list matches nothing: IN () is not SQL). */
function listed<T extends 'rollup_day' | 'rollup_span', O>(query: SelectQueryBuilder<Database, T, O>, q: DayRowQuery): SelectQueryBuilder<Database, T, O> {
  let out = query
  if (q.metrics)
    out = out.where(sql.ref('metric'), 'in', q.metrics.length > 0 ? [...q.metrics] : [''])
  if (q.entityIds)
    out = out.where(sql.ref('entity_id'), 'in', q.entityIds.length > 0 ? [...q.entityIds] : [''])
  return out
}

function filtered<O>(query: SelectQueryBuilder<Database, 'rollup_day', O>, q: DayRowQuery): SelectQueryBuilder<Database, 'rollup_day', O> {
  return listed(query.where('kind', '=', q.kind).where('day', '>=', q.from).where('day', '<=', q.to), q)
}

/** The columns a sum over rows takes, under the same names whichever table they come from. */
const SUMMED = ['entity_id', 'metric', 'n', 'sum', 'min', 'max'] as const

const toRollup = (r: { kind: string, entity_id: string, metric: string, hour: string, n: number, sum: number, min: number, max: number }): RollupRow =>
  ({ kind: r.kind as RollupRow['kind'], entityId: r.entity_id, metric: r.metric, start: r.hour, n: r.n, mean: r.sum / r.n, min: r.min, max: r.max })

export function createReviewRepository(db: Kysely<Database>): ReviewRepository {
  const builtSpans: ReviewRepository['builtSpans'] = async ({ from, to }) => {
    const rows = await db.selectFrom('review_spans').select(['span', 'start']).where('start', '>=', from).where('start', '<=', to).execute()
    return rows.map(r => ({ span: r.span as SpanKind, start: r.start }))
  }

  return {
    builtSpans,

    async saveDay(day, rows, foldedAt) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('rollup_day').where('day', '=', day).execute()
        for (const part of chunks(rows, ROWS_PER_STATEMENT)) {
          await trx.insertInto('rollup_day')
            .values(part.map(r => ({ kind: r.kind, entity_id: r.entityId, metric: r.metric, day, n: r.n, sum: r.sum, min: r.min, max: r.max })))
            .execute()
        }
        await trx.insertInto('review_folds').values({ day, folded_at: foldedAt, rows: rows.length })
          .onConflict(oc => oc.column('day').doUpdateSet({ folded_at: foldedAt, rows: rows.length }))
          .execute()
        // The day's week and month: their sums dropped, and made again from their days once every day is folded
        // (a backfill sums each month once, at its last day; a day folded again sums its spans again).
        for (const [span, start] of [['week', weekOf(day)], ['month', monthOf(day)]] as const) {
          const end = spanEnd(span, start)
          await trx.deleteFrom('rollup_span').where('span', '=', span).where('start', '=', start).execute()
          await trx.deleteFrom('review_spans').where('span', '=', span).where('start', '=', start).execute()
          const folded = await trx.selectFrom('review_folds').select(eb => eb.fn.countAll().as('n')).where('day', '>=', start).where('day', '<=', end).executeTakeFirstOrThrow()
          if (Number(folded.n) < daysOf(start, end).length)
            continue
          await trx.insertInto('rollup_span').columns(['kind', 'entity_id', 'metric', 'span', 'start', 'n', 'sum', 'min', 'max'])
            .expression(trx.selectFrom('rollup_day')
              .select(eb => ['kind', 'entity_id', 'metric', sql<string>`cast(${span} as text)`.as('span'), sql<string>`cast(${start} as text)`.as('start'),
                eb.fn.sum<number>('n').as('n'), eb.fn.sum<number>('sum').as('sum'), eb.fn.min<number>('min').as('min'), eb.fn.max<number>('max').as('max')])
              .where('day', '>=', start).where('day', '<=', end)
              .groupBy(['kind', 'entity_id', 'metric']))
            .execute()
          await trx.insertInto('review_spans').values({ span, start, built_at: foldedAt }).execute()
        }
      })
    },

    async folds() {
      const rows = await db.selectFrom('review_folds').select(['day', 'folded_at']).execute()
      return new Map(rows.map(r => [r.day, r.folded_at]))
    },

    async firstRecord() {
      // Each min() reads one entry of an index that leads with its column.
      const hours = await sql<{ first: string | null }>`select min(hour) as first from rollup_hour`.execute(db)
      const calls = await sql<{ first: string | null }>`select min(reported_at) as first from incidents`.execute(db)
      const firsts = [hours.rows[0]?.first, calls.rows[0]?.first].filter((t): t is string => typeof t === 'string')
      return firsts.length === 0 ? null : firsts.reduce((a, b) => (a < b ? a : b))
    },

    async hours({ from, to }) {
      const rows = await db.selectFrom('rollup_hour').selectAll().where('hour', '>=', from).where('hour', '<', to).orderBy('hour').execute()
      return rows.map(toRollup)
    },

    async seriesHours({ kind, entityId, metric, from, to }) {
      const rows = await db.selectFrom('rollup_hour').selectAll()
        .where('kind', '=', kind).where('metric', '=', metric).where('hour', '>=', from).where('hour', '<', to).where('entity_id', '=', entityId)
        .orderBy('hour').execute()
      return rows.map(toRollup)
    },

    async days(q) {
      const rows = await filtered(db.selectFrom('rollup_day').selectAll(), q).orderBy('day').execute()
      return rows.map(r => ({ kind: r.kind, entityId: r.entity_id, metric: r.metric, day: r.day, n: r.n, sum: r.sum, min: r.min, max: r.max }))
    },

    async totals(q) {
      // The period as its whole months and weeks (rollup_span) and the days around them, each part a range of
      // the primary key: one OR of them all would have the store scan every span and day of the entity.
      const built = new Set((await builtSpans(q)).map(b => `${b.span} ${b.start}`))
      const spans = spansOf(q.from, q.to, (span, start) => built.has(`${span} ${start}`))
      const spanParts = ([['month', spans.months], ['week', spans.weeks]] as const).filter(([, starts]) => starts.length > 0)
        .map(([span, starts]) => listed(db.selectFrom('rollup_span').select(SUMMED).where('kind', '=', q.kind).where('span', '=', span).where('start', 'in', starts), q))
      const dayParts = spans.days.map(([from, to]) => listed(db.selectFrom('rollup_day').select(SUMMED).where('kind', '=', q.kind).where('day', '>=', from).where('day', '<=', to), q))
      const [first, ...rest] = [...spanParts, ...dayParts]
      if (!first)
        return []
      const parts = rest.reduce((union, part) => union.unionAll(part), first)
      const rows = await db.selectFrom(parts.as('part'))
        .select(eb => ['part.entity_id', 'part.metric', eb.fn.sum<number>('part.n').as('n'), eb.fn.sum<number>('part.sum').as('sum'), eb.fn.min<number>('part.min').as('min'), eb.fn.max<number>('part.max').as('max')])
        .groupBy(['part.entity_id', 'part.metric'])
        .execute()
      // PostgreSQL sums integers as bigint, which the driver hands over as text.
      return rows.map(r => ({ entityId: r.entity_id, metric: r.metric, n: Number(r.n), sum: Number(r.sum), min: Number(r.min), max: Number(r.max) }))
    },

    async ordersWork({ from, to }) {
      const incidentRows = await db.selectFrom('incidents').select('incident')
        .where('reported_at', '>=', from).where('reported_at', '<', to).where('drill_id', 'is', null)
        .execute()
      const inRange = (column: 'dispatched_at' | 'signed_at' | 'closed_at') =>
        db.selectFrom('work_orders').select('doc').where(column, '>=', from).where(column, '<', to).where('drill_id', 'is', null)
      // A union, so each milestone's index serves its own range; an order with two milestones in the day comes once.
      const orderRows = await inRange('dispatched_at').union(inRange('signed_at')).union(inRange('closed_at')).execute()
      const eventRows = await db.selectFrom('work_order_events')
        .innerJoin('work_orders', 'work_orders.id', 'work_order_events.order_id')
        .select(['work_order_events.event', 'work_orders.town_code'])
        .where('work_order_events.action', 'in', ['return', 'revisit'])
        .where('work_order_events.at', '>=', from).where('work_order_events.at', '<', to)
        .where('work_orders.drill_id', 'is', null)
        .execute()
      return {
        incidents: incidentRows.map(r => withHandling(JSON.parse(r.incident) as Incident, undefined)),
        orders: orderRows.map(r => JSON.parse(r.doc) as WorkOrder),
        events: eventRows.map(r => ({ event: JSON.parse(r.event) as WorkOrderEvent, townCode: r.town_code })),
      }
    },

    async overdueOpen({ now, townCode, departmentId }) {
      // Two counts, each over a narrow index range rather than every open order: past the handling deadline
      // (work_orders_due, migration 0011), or still unsigned past the sign deadline, which comes first.
      const scoped = <O>(q: SelectQueryBuilder<Database, 'work_orders', O>): SelectQueryBuilder<Database, 'work_orders', O> => {
        let out = q.where('drill_id', 'is', null)
        if (townCode !== undefined)
          out = out.where('town_code', '=', townCode)
        if (departmentId !== undefined)
          out = out.where('department_id', '=', departmentId)
        return out
      }
      const count = db.selectFrom('work_orders').select(eb => eb.fn.countAll<number>().as('count'))
      const [pastHandling, unsigned] = await Promise.all([
        scoped(count.where('state', 'in', ['accepted', ...HANDLING]).where('handle_due_at', '<=', now)).executeTakeFirst(),
        scoped(count.where('state', '=', 'dispatched').where('dispatched_at', 'is not', null).where('sign_due_at', '<=', now).where('handle_due_at', '>', now)).executeTakeFirst(),
      ])
      return Number(pastHandling?.count ?? 0) + Number(unsigned?.count ?? 0)
    },

    async saveReport(report) {
      const row = { id: report.id, kind: report.kind, period_start: report.periodStart, generated_at: report.generatedAt, generated_by: report.generatedBy, doc: JSON.stringify(report.doc) }
      await db.insertInto('review_reports').values(row)
        .onConflict(oc => oc.columns(['kind', 'period_start']).doUpdateSet({ id: row.id, generated_at: row.generated_at, generated_by: row.generated_by, doc: row.doc }))
        .execute()
    },

    async report(id) {
      const r = await db.selectFrom('review_reports').selectAll().where('id', '=', id).executeTakeFirst()
      return r && { id: r.id, kind: r.kind, periodStart: r.period_start, generatedAt: r.generated_at, generatedBy: r.generated_by, doc: JSON.parse(r.doc) as unknown }
    },

    async reports({ kind, limit }) {
      let q = db.selectFrom('review_reports').select(['id', 'kind', 'period_start', 'generated_at', 'generated_by']).orderBy('period_start', 'desc').limit(limit)
      if (kind !== undefined)
        q = q.where('kind', '=', kind)
      const rows = await q.execute()
      return rows.map(r => ({ id: r.id, kind: r.kind, periodStart: r.period_start, generatedAt: r.generated_at, generatedBy: r.generated_by }))
    },

    async prune(before) {
      await db.deleteFrom('rollup_day').where('day', '<', before).execute()
      await db.deleteFrom('rollup_span').where('start', '<', before).execute()
      await db.deleteFrom('review_spans').where('start', '<', before).execute()
      await db.deleteFrom('review_folds').where('day', '<', before).execute()
    },
  }
}
