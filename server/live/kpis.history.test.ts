import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { KpiKey, KpiSet } from '@shared/schemas/kpis'
import { KPI_KEYS, kpiAt } from '@shared/schemas/kpis'
import type { HistoryRepository, Store } from '@server/store/repositories'
import { openSqliteStore } from '@server/store/sqlite'
import { AirState } from './air-state'
import { HallState } from './hall-state'
import { IncidentState } from './incident-state'
import { computeKpis } from './kpis'
import { KPI_HISTORY_KIND, KPI_HISTORY_METRIC, KpiHistory } from './kpis.history'
import { readKpiInputs } from './kpis.publisher'
import { TrafficState } from './traffic-state'

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS
/** Monday 2026-11-23 09:30 UTC. */
const T = Date.parse('2026-11-23T09:30:00Z')

/** A KPI set at `at` whose every compared KPI is `value(key)`. */
function setAt(at: number, value: (key: KpiKey, i: number) => number | null): KpiSet {
  const states = { air: new AirState(1), traffic: new TrafficState([]), halls: new HallState(1), incidents: new IncidentState(() => at) }
  const set = computeKpis(readKpiInputs(states), at)
  for (const [i, key] of KPI_KEYS.entries())
    kpiAt(set, key).value = value(key, i)
  return set
}

/** The history repository, counting the queries made through it. */
function counting(history: HistoryRepository): HistoryRepository & { queries: number } {
  const counted = {
    queries: 0,
    add: history.add,
    prune: history.prune,
    queryAll: history.queryAll,
    query: (q: Parameters<HistoryRepository['query']>[0]) => {
      counted.queries++
      return history.query(q)
    },
  }
  return counted
}

describe(KpiHistory.name, () => {
  let store: Store
  beforeEach(async () => {
    store = await openSqliteStore(':memory:')
  })
  afterEach(async () => {
    await store.close()
  })

  it('gives no comparison without history', async () => {
    const past = await new KpiHistory(store.history).past(T)
    expect(past.dayAgo.size).toBe(0)
    expect(past.weekAgo.size).toBe(0)
    const set = computeKpis({ ...readKpiInputs({ air: new AirState(1), traffic: new TrafficState([]), halls: new HallState(1), incidents: new IncidentState(() => T) }), past }, T)
    for (const key of KPI_KEYS)
      expect([kpiAt(set, key).dayAgo, kpiAt(set, key).weekAgo], key).toEqual([null, null])
  })

  it('reads back what was recorded a day and a week earlier as every KPI\'s dayAgo and weekAgo', async () => {
    const history = new KpiHistory(store.history)
    expect(await history.record(setAt(T - DAY_MS, (_, i) => i + 0.5))).toBe(true)
    expect(await history.record(setAt(T - 7 * DAY_MS, (_, i) => 100 + i))).toBe(true)
    const past = await history.past(T)
    const set = computeKpis({ ...readKpiInputs({ air: new AirState(1), traffic: new TrafficState([]), halls: new HallState(1), incidents: new IncidentState(() => T) }), past }, T)
    for (const [i, key] of KPI_KEYS.entries()) {
      expect(kpiAt(set, key).dayAgo, key).toBe(i + 0.5)
      expect(kpiAt(set, key).weekAgo, key).toBe(100 + i)
    }
    const rows = await store.history.query({ resolution: 'hour', kind: KPI_HISTORY_KIND, entityId: 'traffic.tpi', metric: KPI_HISTORY_METRIC, from: '2026-11-22T09:00:00.000Z', to: '2026-11-22T10:00:00.000Z' })
    expect(rows).toMatchObject([{ kind: 'kpi', entityId: 'traffic.tpi', metric: 'value', n: 1 }])
  })

  it('compares with the mean of the hour that held the same time a day earlier, one record per clock minute', async () => {
    const history = new KpiHistory(store.history)
    const tpi = (value: number) => (key: KpiKey): number | null => (key === 'traffic.tpi' ? value : null)
    const dayAgo = T - DAY_MS // 09:30 the day before
    await history.record(setAt(dayAgo - 25 * MINUTE_MS, tpi(2))) // 09:05
    // The same clock minute again: not recorded.
    expect(await history.record(setAt(dayAgo - 25 * MINUTE_MS + 30_000, tpi(9)))).toBe(false)
    await history.record(setAt(dayAgo + 20 * MINUTE_MS, tpi(5))) // 09:50
    await history.record(setAt(dayAgo + 35 * MINUTE_MS, tpi(8))) // 10:05: the next hour
    const past = await history.past(T)
    expect(past.dayAgo.get('traffic.tpi')).toBe(3.5)
    // KPIs without a value were not recorded, so have no comparison.
    expect(past.dayAgo.has('air.aqi')).toBe(false)
    expect(past.weekAgo.size).toBe(0)
  })

  it('reads history once per clock hour, and keeps the last read for answers that cannot wait', async () => {
    const repo = counting(store.history)
    const history = new KpiHistory(repo)
    await history.record(setAt(T - DAY_MS, () => 1))
    expect(history.held().dayAgo.size).toBe(0)
    await history.past(T)
    const perRead = repo.queries
    expect(perRead).toBeGreaterThan(0)
    expect(history.held().dayAgo.get('air.aqi')).toBe(1)
    await Promise.all([history.past(T + 10 * MINUTE_MS), history.past(T + 29 * MINUTE_MS)])
    expect(repo.queries).toBe(perRead)
    const nextHour = await history.past(T + 30 * MINUTE_MS)
    expect(repo.queries).toBe(2 * perRead)
    expect(nextHour.dayAgo.size).toBe(0)
    expect(history.held()).toBe(nextHour)
  })

  it('tries a failed read again on the next call', async () => {
    let failing = true
    const history = new KpiHistory({
      ...store.history,
      query: async q => (failing ? Promise.reject(new Error('database gone')) : store.history.query(q)),
    })
    await expect(history.past(T)).rejects.toThrow('database gone')
    failing = false
    await store.history.add([{ kind: 'kpi', entityId: 'incidents.open', metric: 'value', observedAt: new Date(T - DAY_MS).toISOString(), value: 12 }])
    expect((await history.past(T)).dayAgo.get('incidents.open')).toBe(12)
  })
})
