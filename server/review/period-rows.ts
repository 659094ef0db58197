import { daysOf } from '@shared/review/periods'
import type { ReviewPeriod } from '@shared/schemas/review'
import type { RollupRow } from '@server/store/repositories'
import type { DayRowQuery, DayTotal, ReviewRepository } from '@server/store/review.repository'
import type { DayRow } from './day-fold'

export type RowQuery = Omit<DayRowQuery, 'from' | 'to'>

/**
 * The day rows of one period, wherever they are: the stored days, and the
 * day not yet over (today, or yesterday up to this time for the comparison)
 * folded on the spot. The measures (server/review/*-review.ts) read only this.
 */
export interface PeriodRows {
  period: ReviewPeriod
  days: (q: RowQuery) => Promise<DayRow[]>
  totals: (q: RowQuery) => Promise<DayTotal[]>
  /** One hourly series over the period, oldest first. */
  hours: (q: { kind: string, entityId: string, metric: string }) => Promise<RollupRow[]>
}

function matches(row: DayRow, q: RowQuery): boolean {
  return row.kind === q.kind
    && (q.metrics === undefined || q.metrics.includes(row.metric))
    && (q.entityIds === undefined || q.entityIds.includes(row.entityId))
}

/** Day rows summed per entity and metric. */
export function totalsOf(rows: readonly (DayRow | DayTotal)[]): DayTotal[] {
  const sums = new Map<string, DayTotal>()
  for (const r of rows) {
    const key = `${r.entityId}\u0000${r.metric}`
    const held = sums.get(key)
    if (held) {
      held.n += r.n
      held.sum += r.sum
      held.min = Math.min(held.min, r.min)
      held.max = Math.max(held.max, r.max)
    }
    else {
      sums.set(key, { entityId: r.entityId, metric: r.metric, n: r.n, sum: r.sum, min: r.min, max: r.max })
    }
  }
  return [...sums.values()]
}

/** Rows held in memory (a day folded on the spot; tests' fixtures). */
export function memoryRows(period: ReviewPeriod, rows: readonly DayRow[], hours: readonly RollupRow[] = []): PeriodRows {
  const inPeriod = rows.filter(r => r.day >= period.from && r.day <= period.to)
  return {
    period,
    days: q => Promise.resolve(inPeriod.filter(r => matches(r, q)).sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))),
    totals: q => Promise.resolve(totalsOf(inPeriod.filter(r => matches(r, q)))),
    hours: q => Promise.resolve(hours.filter(h => h.kind === q.kind && h.entityId === q.entityId && h.metric === q.metric
      && h.start >= period.fromAt && h.start < period.toAt)),
  }
}

/** The stored days of the period plus `live`, the rows of its unfinished last day (empty when it has none). */
export function storedRows(review: ReviewRepository, period: ReviewPeriod, live: readonly DayRow[]): PeriodRows {
  const days = daysOf(period.from, period.to)
  const lastStored = period.partial ? days[days.length - 2] : days[days.length - 1]
  const stored = (q: RowQuery): DayRowQuery | undefined => (lastStored === undefined ? undefined : { ...q, from: period.from, to: lastStored })
  const fresh = memoryRows(period, live)
  return {
    period,
    async days(q) {
      const range = stored(q)
      return [...(range ? await review.days(range) : []), ...await fresh.days(q)]
    },
    async totals(q) {
      const range = stored(q)
      return totalsOf([...(range ? await review.totals(range) : []), ...await fresh.totals(q)])
    },
    hours: q => review.seriesHours({ ...q, from: period.fromAt, to: period.toAt }),
  }
}
