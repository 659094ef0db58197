import type { ComputedRef } from 'vue'
import { computed, shallowRef, watch } from 'vue'
import type { HistoryPoint } from '@shared/schemas/history'
import { kpiMetric } from '@shared/schemas/history'
import type { KpiKey } from '@shared/schemas/kpis'
import { useLiveStore } from '@client/stores/live'
import type { TrendBucket } from '@client/stores/trend-series'
import { foldSample, mergeHistory, TREND_STEP_MS } from '@client/stores/trend-series'
import { cityDayKey, cityDayStart, MINUTE_MS } from './halls-incidents-day'
import type { HistorySeriesSpec } from './history-series'
import { useHistorySeries } from './history-series'

/** A day of 5-minute buckets and the one in progress: the most a today series holds. */
export const TODAY_MAX_POINTS = 24 * 60 / 5 + 1

/** The buckets of the city day holding `at`, up to `at`: yesterday's go at midnight, a clock gone back drops what is ahead of it. */
export function todayOnly(series: readonly TrendBucket[], at: number): TrendBucket[] {
  const start = cityDayStart(at)
  return series.filter(b => b.t >= start && b.t <= at).slice(-TODAY_MAX_POINTS)
}

/** The today series with a live value folded in; a null value (nothing known now) adds nothing. */
export function foldToday(series: readonly TrendBucket[], at: number, value: number | null): TrendBucket[] {
  return todayOnly(value === null ? series : foldSample(series, at, value), at)
}

/** The live buckets with the server's history merged in: its buckets win, since it kept every minute, including those the wall missed. */
export function mergeToday(series: readonly TrendBucket[], rows: readonly HistoryPoint[], at: number): TrendBucket[] {
  return todayOnly(mergeHistory(series, rows), at)
}

/** A city KPI through today in 5-minute buckets of its minute rollups, as the shared history schedule reads it. */
export function todaySpec(key: KpiKey): HistorySeriesSpec {
  return {
    id: `today-5min:${key}`,
    ask: at => ({ metric: kpiMetric(key), from: cityDayStart(at), to: at + MINUTE_MS, resolution: 'minute', step: TREND_STEP_MS / MINUTE_MS }),
    epoch: cityDayKey,
  }
}

export interface HallsWaitToday {
  avgWait: ComputedRef<readonly TrendBucket[]>
  waiting: ComputedRef<readonly TrendBucket[]>
  /** The server's clock at the newest KPI set: where the series end. */
  at: ComputedRef<number | null>
  historyError: ComputedRef<string | null>
}

/**
 * The halls' mean wait and people waiting through the city's day, for as
 * long as the calling component lives: the server's history (read on the
 * wall's shared schedule) extended by each KPI set the stream brings.
 */
export function useHallsWaitToday(): HallsWaitToday {
  const live = useLiveStore()
  const waitHistory = useHistorySeries(todaySpec('halls.avgWaitMin'))
  const peopleHistory = useHistorySeries(todaySpec('halls.waiting'))
  const liveWait = shallowRef<readonly TrendBucket[]>([])
  const livePeople = shallowRef<readonly TrendBucket[]>([])
  const at = shallowRef<number | null>(null)

  watch(() => live.view('kpis')?.at, () => {
    const set = live.view('kpis')
    if (!set)
      return
    const now = Date.parse(set.at)
    at.value = now
    liveWait.value = foldToday(liveWait.value, now, set.halls.avgWaitMin.value)
    livePeople.value = foldToday(livePeople.value, now, set.halls.waiting.value)
  }, { immediate: true })

  return {
    avgWait: computed(() => (at.value === null ? [] : mergeToday(liveWait.value, waitHistory.value.rows ?? [], at.value))),
    waiting: computed(() => (at.value === null ? [] : mergeToday(livePeople.value, peopleHistory.value.rows ?? [], at.value))),
    at: computed(() => at.value),
    historyError: computed(() => waitHistory.value.error ?? peopleHistory.value.error),
  }
}
