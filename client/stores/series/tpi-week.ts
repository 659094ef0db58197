import type { ComputedRef } from 'vue'
import { computed } from 'vue'
import type { HistoryResolution } from '@shared/schemas/history'
import { kpiMetric } from '@shared/schemas/history'
import { TREND_STEP_MS } from '@client/stores/trend-series'
import { useTrendsStore } from '@client/stores/trends'
import type { SpanPoint } from './day-series'
import { cityDay, finerWhereKnown, HOUR_MS, MINUTE_MS, shifted, spanPoints, trendPoints, valueAt, WEEK_MS } from './day-series'
import type { HistorySeriesSpec, HistorySeriesState } from './history-series'
import { useHistorySeries } from './history-series'

const METRIC = kpiMetric('traffic.tpi')
/** Last week's day in 5-minute buckets, like today's trend… */
const FINE_STEP_MIN = TREND_STEP_MS / MINUTE_MS

/** Same weekday last week, at a resolution: the whole local day, moved 7 days back. */
function lastWeekSpec(resolution: HistoryResolution, step: number): HistorySeriesSpec {
  return {
    id: `${METRIC}:last-week:${resolution}:${step}`,
    ask: (at) => {
      const day = cityDay(at)
      return { metric: METRIC, from: day.start - WEEK_MS, to: day.end - WEEK_MS, resolution, step }
    },
    epoch: at => cityDay(at).date,
  }
}

/** Where last week's day stands: read (with its points), not yet read, or not readable. */
export type LastWeek =
  | { state: 'loading' }
  | { state: 'error' }
  | { state: 'ready', points: SpanPoint[] }

/**
 * Last week's series from its minute and hour answers for the same day, or
 * where they stand. Both must answer the local day asked for (`date`): after
 * midnight the old day's answer is not last week's any more.
 */
export function lastWeekOf(fine: HistorySeriesState, coarse: HistorySeriesState, date: string): LastWeek {
  const answered = (s: HistorySeriesState): boolean => s.rows !== null && s.epoch === date
  if (answered(fine) && answered(coarse)) {
    const points = finerWhereKnown(spanPoints(fine.rows!, TREND_STEP_MS), spanPoints(coarse.rows!, HOUR_MS))
    return { state: 'ready', points: shifted(points, WEEK_MS) }
  }
  return fine.error !== null || coarse.error !== null ? { state: 'error' } : { state: 'loading' }
}

export interface TpiWeek {
  day: { date: string, start: number, end: number }
  /** The server's clock now. */
  now: number
  /** 0 = Sunday … 6 = Saturday, of the city's local day. */
  weekday: number
  today: SpanPoint[]
  /** On today's clock. */
  lastWeek: LastWeek
  /** Last week's value at this time of day, if it was recorded. */
  lastWeekNow: number | null
}

/**
 * The city TPI of today (the live 24-hour trend from local midnight on)
 * against the same weekday last week (the server's history: minute buckets
 * where they are still kept, hour buckets before that). Null before the
 * first KPI set gives the server's clock.
 */
export function useTpiWeek(): ComputedRef<TpiWeek | null> {
  const trends = useTrendsStore()
  // …and in hours, which the history keeps far longer than a week: the fallback where minutes are gone.
  const fine = useHistorySeries(lastWeekSpec('minute', FINE_STEP_MIN))
  const coarse = useHistorySeries(lastWeekSpec('hour', 1))
  return computed(() => {
    const now = trends.at
    if (now === null)
      return null
    const day = cityDay(now)
    const lastWeek = lastWeekOf(fine.value, coarse.value, day.date)
    return {
      day,
      now,
      weekday: new Date(`${day.date}T00:00:00Z`).getUTCDay(),
      today: trendPoints(trends.series['traffic.tpi'], TREND_STEP_MS, day.start),
      lastWeek,
      lastWeekNow: lastWeek.state === 'ready' ? valueAt(lastWeek.points, now) : null,
    }
  })
}
