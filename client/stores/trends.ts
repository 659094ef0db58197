import { acceptHMRUpdate, defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { HistoryResponse, kpiMetric } from '@shared/schemas/history'
import type { KpiKey, KpiSet } from '@shared/schemas/kpis'
import { kpiAt } from '@shared/schemas/kpis'
import { getJson } from './http'
import type { TrendBucket } from './trend-series'
import { foldSample, mergeHistory, TREND_STEP_MS, TREND_WINDOW_MS, windowed } from './trend-series'

/** The city KPIs the wall shows as 24-hour trends. */
export const TREND_KPIS = ['air.aqi', 'traffic.tpi', 'halls.waiting', 'incidents.open'] as const satisfies readonly KpiKey[]
export type TrendKpi = (typeof TREND_KPIS)[number]

const MINUTE_MS = 60_000

type PerKpi<T> = Readonly<Record<TrendKpi, T>>
const perKpi = <T>(value: (key: TrendKpi) => T): PerKpi<T> =>
  Object.fromEntries(TREND_KPIS.map(k => [k, value(k)])) as PerKpi<T>

/**
 * The last 24 hours of a few city KPIs: loaded from the server's history
 * whenever the kpis stream starts over (first connect, server restart), then
 * extended by every KPI set the stream brings. Fed only by the realtime module.
 */
export const useTrendsStore = defineStore('trends', () => {
  const series = shallowRef<PerKpi<readonly TrendBucket[]>>(perKpi(() => []))
  const latest = shallowRef<PerKpi<number | null>>(perKpi(() => null))
  /** The server's clock at the last KPI set: the end of the window. */
  const at = shallowRef<number | null>(null)
  const historyError = shallowRef<string | null>(null)

  function applyKpis(set: KpiSet): void {
    // The stream delivers sets in order, so each is the server's latest time.
    const now = Date.parse(set.at)
    at.value = now
    latest.value = perKpi(key => kpiAt(set, key).value)
    series.value = perKpi((key) => {
      const value = kpiAt(set, key).value
      const held = series.value[key]
      return windowed(value === null ? held : foldSample(held, now, value), now)
    })
  }

  /** Reads the day before `until` (the server's clock) in 5-minute buckets and merges it in. */
  async function loadHistory(until: number): Promise<void> {
    const params = (key: TrendKpi): string => new URLSearchParams({
      metric: kpiMetric(key),
      from: new Date(until - TREND_WINDOW_MS).toISOString(),
      // The minute in progress is in the store already: include it.
      to: new Date(until + MINUTE_MS).toISOString(),
      resolution: 'minute',
      step: String(TREND_STEP_MS / MINUTE_MS),
    }).toString()
    try {
      const answers = await Promise.all(TREND_KPIS.map(key => getJson(`/api/history?${params(key)}`, HistoryResponse)))
      const end = at.value ?? until
      series.value = perKpi(key => windowed(mergeHistory(series.value[key], answers[TREND_KPIS.indexOf(key)]?.rows ?? []), end))
      historyError.value = null
    }
    catch (err) {
      historyError.value = err instanceof Error ? err.message : String(err)
    }
  }

  /** Forgets everything: a replay starts its own trends, and the live ones are loaded again after it. */
  function reset(): void {
    series.value = perKpi(() => [])
    latest.value = perKpi(() => null)
    at.value = null
    historyError.value = null
  }

  return { series, latest, at, historyError, applyKpis, loadHistory, reset }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useTrendsStore, import.meta.hot))
