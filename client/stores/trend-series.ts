import type { HistoryPoint } from '@shared/schemas/history'

/** The wall's trends cover this much of the server's clock… */
export const TREND_WINDOW_MS = 24 * 3_600_000
/** …in buckets this wide: 288 points a day, whatever the KPI rate. */
export const TREND_STEP_MS = 5 * 60_000
/** A day of buckets and the one in progress. */
export const TREND_MAX_POINTS = TREND_WINDOW_MS / TREND_STEP_MS + 1

/** One bucket of a trend: its start (epoch ms) and the samples folded into it. */
export interface TrendBucket { t: number, n: number, sum: number }

export const bucketMean = (b: TrendBucket): number => b.sum / b.n

const bucketStart = (at: number): number => Math.floor(at / TREND_STEP_MS) * TREND_STEP_MS

/** The series (oldest first) with a live value folded into its bucket; a late value lands in its own bucket. */
export function foldSample(series: readonly TrendBucket[], at: number, value: number): TrendBucket[] {
  const t = bucketStart(at)
  const out = [...series]
  let i = out.length
  while (i > 0 && (out[i - 1] as TrendBucket).t > t)
    i--
  const held = out[i - 1]
  if (held?.t === t)
    out[i - 1] = { t, n: held.n + 1, sum: held.sum + value }
  else
    out.splice(i, 0, { t, n: 1, sum: value })
  return out
}

/**
 * The series with the server's history merged in. The server's buckets win
 * where both have one: it recorded every minute, including those this wall
 * missed while it was away; buckets only the wall has (newer than the
 * history's end) are kept.
 */
export function mergeHistory(series: readonly TrendBucket[], history: readonly HistoryPoint[]): TrendBucket[] {
  const byStart = new Map(series.map(b => [b.t, b]))
  for (const p of history) {
    const t = Date.parse(p.t)
    byStart.set(t, { t, n: p.n, sum: p.mean * p.n })
  }
  return [...byStart.values()].sort((a, b) => a.t - b.t)
}

/**
 * The buckets within the window that ends at `now`, at most TREND_MAX_POINTS
 * of them. Buckets after `now` go too: the server's clock went back (a
 * simulator restarted), and what it says now is the truth.
 */
export function windowed(series: readonly TrendBucket[], now: number): TrendBucket[] {
  const horizon = bucketStart(now - TREND_WINDOW_MS)
  return series.filter(b => b.t >= horizon && b.t <= now).slice(-TREND_MAX_POINTS)
}
