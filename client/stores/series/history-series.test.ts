// The stores under test use Vite's `import.meta.hot`; this file is also checked by tsconfig.server.json.
/// <reference types="vite/client" />
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { effectScope } from 'vue'
import { kpiSet } from '@shared/realtime/mirror.support'
import type { HistoryPoint } from '@shared/schemas/history'
import { useTrendsStore } from '@client/stores/trends'
import type { HistoryAsk } from './history-refresh'
import { HISTORY_MIN_GAP_MS } from './history-refresh'
import type { HistorySeriesSpec } from './history-series'
import { useHistorySeries, useHistorySeriesStore } from './history-series'

const T0 = Date.parse('2026-11-23T00:00:00.000Z')
const MINUTE_MS = 60_000

/** A history that answers every ask with one row at its `from`, valued by how many asks came before. */
class CountingHistory {
  asks: HistoryAsk[] = []
  pending: (() => void)[] = []
  hold = false
  load = (ask: HistoryAsk): Promise<readonly HistoryPoint[]> => {
    this.asks.push(ask)
    const rows = [{ t: new Date(ask.from).toISOString(), n: 1, mean: this.asks.length, min: 0, max: 0 }]
    if (!this.hold)
      return Promise.resolve(rows)
    return new Promise(resolve => this.pending.push(() => resolve(rows)))
  }
}

const daySpec: HistorySeriesSpec = {
  id: 'tpi-day',
  ask: at => ({ metric: 'kpi.traffic.tpi', from: at - 60 * MINUTE_MS, to: at, resolution: 'minute' }),
  epoch: at => new Date(at).toISOString().slice(0, 10),
}

/** The kpis stream as the realtime module plays it: a set every `minute`, minutes after T0. */
const kpisAt = (minute: number): void => useTrendsStore().applyKpis(kpiSet(minute, 40))
const flush = (): Promise<void> => new Promise(resolve => setTimeout(resolve, 0))

describe('useHistorySeriesStore', () => {
  let history: CountingHistory
  let real: number

  beforeEach(() => {
    setActivePinia(createPinia())
    history = new CountingHistory()
    real = 0
    useHistorySeriesStore().useLoader(history.load, () => real)
  })

  it('reads a series once the server\'s time is known, then once per 5-minute slot of it', async () => {
    const scope = effectScope()
    const state = scope.run(() => useHistorySeries(daySpec))!
    expect(history.asks).toHaveLength(0)
    kpisAt(1)
    await flush()
    expect(history.asks).toHaveLength(1)
    expect(state.value.rows?.[0]?.mean).toBe(1)
    expect(state.value.ask?.to).toBe(T0 + MINUTE_MS)

    // Every 5 s of real time a set; the slot turns at minute 5.
    for (const minute of [2, 3, 4]) {
      real += 5_000
      kpisAt(minute)
    }
    expect(history.asks).toHaveLength(1)
    real += HISTORY_MIN_GAP_MS
    kpisAt(5)
    await flush()
    expect(history.asks).toHaveLength(2)
    expect(state.value.rows?.[0]?.mean).toBe(2)
    scope.stop()
  })

  it('reads every series again at once when the kpis stream starts over, but not twice for one server time', () => {
    const scope = effectScope()
    scope.run(() => useHistorySeries(daySpec))
    const trends = useTrendsStore()
    // A first connect: the snapshot is applied, then the trends reload.
    kpisAt(1)
    void trends.loadHistory(T0 + MINUTE_MS)
    expect(history.asks).toHaveLength(1)
    // A reconnect after a gap: another snapshot, same slot, and the reload.
    kpisAt(3)
    void trends.loadHistory(T0 + 3 * MINUTE_MS)
    expect(history.asks).toHaveLength(2)
    expect(history.asks[1]?.to).toBe(T0 + 3 * MINUTE_MS)
    scope.stop()
  })

  it('shares one read between panels asking the same series and drops it with its last reader', () => {
    kpisAt(1)
    const store = useHistorySeriesStore()
    const a = effectScope()
    const b = effectScope()
    a.run(() => useHistorySeries(daySpec))
    b.run(() => useHistorySeries(daySpec))
    expect(history.asks).toHaveLength(1)
    expect(store.size()).toBe(1)
    a.stop()
    expect(store.size()).toBe(1)
    b.stop()
    expect(store.size()).toBe(0)
    real += HISTORY_MIN_GAP_MS
    kpisAt(10)
    expect(history.asks).toHaveLength(1)
  })

  it('reads at once when the epoch changes (a new local day) and keeps only the newest answer', async () => {
    history.hold = true
    const scope = effectScope()
    const state = scope.run(() => useHistorySeries(daySpec))!
    kpisAt(23 * 60 + 59) // 23:59 UTC on the 23rd
    kpisAt(24 * 60) // the 24th: a new epoch, read again at once
    expect(history.asks).toHaveLength(2)
    // The newer answer first, then the older one, late: the older is dropped.
    history.pending[1]?.()
    await flush()
    history.pending[0]?.()
    await flush()
    expect(state.value.rows?.[0]?.mean).toBe(2)
    expect(state.value.epoch).toBe('2026-11-24')
    scope.stop()
  })

  it('keeps the last answer and says why when a read fails', async () => {
    const scope = effectScope()
    const state = scope.run(() => useHistorySeries(daySpec))!
    kpisAt(1)
    await flush()
    useHistorySeriesStore().useLoader(() => Promise.reject(new Error('HTTP 503')), () => real)
    real += HISTORY_MIN_GAP_MS
    kpisAt(6)
    await flush()
    expect(state.value.rows?.[0]?.mean).toBe(1)
    expect(state.value.error).toBe('HTTP 503')
    scope.stop()
  })
})
