import { localDate, localMidnight } from '@shared/calendar/working-days'
import type { HistoryPoint } from '@shared/schemas/history'
import type { TrendBucket } from '@client/stores/trend-series'
import { bucketMean } from '@client/stores/trend-series'

export const MINUTE_MS = 60_000
export const HOUR_MS = 3_600_000
export const DAY_MS = 24 * HOUR_MS
export const WEEK_MS = 7 * DAY_MS

/** One value over [t, t + span): a history bucket or a live trend bucket. */
export interface SpanPoint {
  t: number
  span: number
  value: number
}

/** The city's local day (UTC+8, no daylight saving) holding `at`: [start, end). */
export function cityDay(at: number): { date: string, start: number, end: number } {
  const date = localDate(at)
  const start = localMidnight(date)
  return { date, start, end: start + DAY_MS }
}

/** History buckets of one width as span points. */
export function spanPoints(rows: readonly HistoryPoint[], span: number): SpanPoint[] {
  return rows.map(r => ({ t: Date.parse(r.t), span, value: r.mean }))
}

/** The live trend's buckets from `from` on, as span points. */
export function trendPoints(buckets: readonly TrendBucket[], span: number, from: number): SpanPoint[] {
  return buckets.filter(b => b.t >= from).map(b => ({ t: b.t, span, value: bucketMean(b) }))
}

/**
 * Fine points where there are any, coarse ones where there are none: the
 * minute history is kept a week (IOC_HISTORY_MINUTE_DAYS), so the first hours
 * of the same weekday last week survive only as hours. A coarse point is kept
 * when no fine point falls inside it, so each stretch of time is told once.
 */
export function finerWhereKnown(fine: readonly SpanPoint[], coarse: readonly SpanPoint[]): SpanPoint[] {
  const kept = coarse.filter(c => !fine.some(f => f.t >= c.t && f.t < c.t + c.span))
  return [...fine, ...kept].sort((a, b) => a.t - b.t)
}

export const shifted = (points: readonly SpanPoint[], ms: number): SpanPoint[] => points.map(p => ({ ...p, t: p.t + ms }))

/** The point covering `t`, if any. */
export function valueAt(points: readonly SpanPoint[], t: number): number | null {
  const p = points.find(q => t >= q.t && t < q.t + q.span)
  return p ? p.value : null
}

/**
 * [middle of the span, value] pairs for a line, rounded to `digits`, with a
 * null wherever more than two spans are missing before the next point (the
 * wider of the two neighbours' spans: where hours give way to minutes inside
 * an hour, nothing is missing): a gap (the server or the feed was away)
 * reads as one. Each point sits at its middle, so hour means and 5-minute
 * means line up in time.
 */
export function lineData(points: readonly SpanPoint[], digits: number): [number, number | null][] {
  const scale = 10 ** digits
  const data: [number, number | null][] = []
  let previous: SpanPoint | undefined
  for (const p of points) {
    if (previous && p.t - (previous.t + previous.span) > 2 * Math.max(previous.span, p.span))
      data.push([previous.t + previous.span, null])
    data.push([p.t + p.span / 2, Math.round(p.value * scale) / scale])
    previous = p
  }
  return data
}
