// The stores under test use Vite's `import.meta.hot`; this file is also checked by tsconfig.server.json.
/// <reference types="vite/client" />
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { effectScope, nextTick } from 'vue'
import { StreamMirror } from '@shared/realtime/mirror'
import { kpiSet } from '@shared/realtime/mirror.support'
import type { HistoryPoint } from '@shared/schemas/history'
import type { Kpi, KpiSet } from '@shared/schemas/kpis'
import { useLiveStore } from '@client/stores/live'
import { TREND_STEP_MS } from '@client/stores/trend-series'
import { useTrendsStore } from '@client/stores/trends'
import { cityDayStart, HOUR_MS, MINUTE_MS } from './halls-incidents-day'
import { foldToday, mergeToday, TODAY_MAX_POINTS, todayOnly, todaySpec, useHallsWaitToday } from './halls-wait-today'
import type { HistoryAsk } from './history-refresh'
import { useHistorySeriesStore } from './history-series'

/** 2026-11-23 00:00 in Dongguan. */
const MIDNIGHT = Date.parse('2026-11-22T16:00:00.000Z')
const at = (hours: number, minutes = 0): number => MIDNIGHT + hours * HOUR_MS + minutes * MINUTE_MS
const bucket = (t: number, mean: number, n = 1): { t: number, n: number, sum: number } => ({ t, n, sum: mean * n })
const row = (t: number, mean: number): HistoryPoint => ({ t: new Date(t).toISOString(), n: 5, mean, min: mean, max: mean })

describe(todayOnly.name, () => {
  it('keeps the buckets of the city day up to now: yesterday\'s go at midnight, those ahead of a clock gone back too', () => {
    const series = [bucket(at(-1), 1), bucket(at(0), 2), bucket(at(3), 3), bucket(at(5), 4)]
    expect(todayOnly(series, at(4)).map(b => b.t)).toEqual([at(0), at(3)])
  })

  it('holds at most a day of 5-minute buckets', () => {
    const series = Array.from({ length: 400 }, (_, i) => bucket(at(0) + i * TREND_STEP_MS, i))
    expect(todayOnly(series, at(23, 59))).toHaveLength(TODAY_MAX_POINTS - 1)
    expect(TODAY_MAX_POINTS).toBe(289)
  })
})

describe(foldToday.name, () => {
  it('folds a live value into its 5-minute bucket and ignores an unknown one', () => {
    let series = foldToday([], at(9, 1), 10)
    series = foldToday(series, at(9, 3), 14)
    series = foldToday(series, at(9, 4), null)
    expect(series).toEqual([{ t: at(9), n: 2, sum: 24 }])
  })
})

describe(mergeToday.name, () => {
  it('lets the server\'s buckets win and keeps the live ones it does not have yet', () => {
    const live = [bucket(at(9), 99), bucket(at(9, 5), 12)]
    expect(mergeToday(live, [row(at(8, 55), 10), row(at(9), 11)], at(9, 6))).toEqual([
      { t: at(8, 55), n: 5, sum: 50 },
      { t: at(9), n: 5, sum: 55 },
      bucket(at(9, 5), 12),
    ])
  })
})

describe(todaySpec.name, () => {
  it('asks for the KPI\'s minute rollups since the city\'s midnight in 5-minute buckets, a new question each day', () => {
    const spec = todaySpec('halls.avgWaitMin')
    expect(spec.ask(at(10))).toEqual({ metric: 'kpi.halls.avgWaitMin', from: MIDNIGHT, to: at(10, 1), resolution: 'minute', step: 5 })
    expect(cityDayStart(at(10))).toBe(MIDNIGHT)
    expect(spec.epoch?.(at(23, 59))).not.toBe(spec.epoch?.(at(24)))
  })
})

describe(useHallsWaitToday.name, () => {
  let mirror: StreamMirror<'kpis'> | undefined
  const asks: HistoryAsk[] = []
  const kpi = (value: number | null): Kpi => ({ value, dayAgo: null, weekAgo: null })
  const deliver = async (time: number, avgWaitMin: number | null, waiting: number | null): Promise<void> => {
    const base = kpiSet(0, 40)
    const set: KpiSet = { ...base, at: new Date(time).toISOString(), halls: { ...base.halls, avgWaitMin: kpi(avgWaitMin), waiting: kpi(waiting) } }
    if (mirror)
      mirror.apply(set)
    else
      mirror = new StreamMirror('kpis', set)
    useTrendsStore().applyKpis(set)
    const live = useLiveStore()
    live.applied('kpis')
    live.flush()
    await nextTick()
  }
  const settle = (): Promise<void> => new Promise(resolve => setTimeout(resolve, 0))

  beforeEach(() => {
    setActivePinia(createPinia())
    mirror = undefined
    asks.length = 0
    useLiveStore().attach('kpis', () => mirror?.view())
    // The server's history: 08:00–08:55, the wait at 12 min and 30 people.
    useHistorySeriesStore().useLoader((ask): Promise<readonly HistoryPoint[]> => {
      asks.push(ask)
      const value = ask.metric === 'kpi.halls.avgWaitMin' ? 12 : 30
      return Promise.resolve(Array.from({ length: 12 }, (_, i) => row(at(8) + i * TREND_STEP_MS, value)))
    })
  })

  it('shows the day from the server\'s history, extended by the live KPI sets', async () => {
    const scope = effectScope()
    const today = scope.run(() => useHallsWaitToday())!
    expect(today.avgWait.value).toEqual([])
    await deliver(at(9, 2), 15, 40)
    await settle()
    expect(asks.map(a => a.metric).sort()).toEqual(['kpi.halls.avgWaitMin', 'kpi.halls.waiting'])
    expect(today.at.value).toBe(at(9, 2))
    expect(today.avgWait.value).toHaveLength(13)
    expect(today.avgWait.value.at(-1)).toEqual(bucket(at(9), 15))
    expect(today.waiting.value[0]).toEqual({ t: at(8), n: 5, sum: 150 })
    await deliver(at(9, 6), 16, 44)
    expect(today.waiting.value.at(-1)).toEqual(bucket(at(9, 5), 44))
    expect(today.historyError.value).toBeNull()
    scope.stop()
    expect(useHistorySeriesStore().size()).toBe(0)
  })
})
