import { acceptHMRUpdate, defineStore } from 'pinia'
import type { ShallowRef } from 'vue'
import { getCurrentScope, onScopeDispose, shallowRef } from 'vue'
import type { HistoryPoint } from '@shared/schemas/history'
import { HistoryResponse } from '@shared/schemas/history'
import { getJson } from '@client/stores/http'
import { useTrendsStore } from '@client/stores/trends'
import type { HistoryAsk, RefreshMark } from './history-refresh'
import { historyQueryString, refreshDue } from './history-refresh'

/** One series a panel reads from the server's history. */
export interface HistorySeriesSpec {
  /** Names the series: panels giving the same id share one read (so the same id must mean the same ask). */
  id: string
  /** The question for a server time. */
  ask: (serverAt: number) => HistoryAsk
  /** What the ask's meaning hangs on (e.g. the local date): when it changes, the series is read again at once. */
  epoch?: (serverAt: number) => string
}

/** What a series holds: the last answer and the ask it answers (a panel checks it asked what it now needs). */
export interface HistorySeriesState {
  rows: readonly HistoryPoint[] | null
  ask: HistoryAsk | null
  epoch: string | null
  error: string | null
}

/** Reads one ask; the store's default is GET /api/history, tests give their own. */
export type HistoryLoader = (ask: HistoryAsk) => Promise<readonly HistoryPoint[]>

const httpLoader: HistoryLoader = async ask => (await getJson(`/api/history?${historyQueryString(ask)}`, HistoryResponse)).rows

interface Entry {
  spec: HistorySeriesSpec
  users: number
  state: ShallowRef<HistorySeriesState>
  last: RefreshMark | null
  /** Number of the newest read: an older answer arriving late is dropped. */
  reading: number
}

const EMPTY: HistorySeriesState = { rows: null, ask: null, epoch: null, error: null }

/**
 * The wall's history-backed series, read on one schedule for all panels: when
 * the server's clock (the kpis stream's `at`) enters a new 5-minute slot, and
 * at once when the kpis stream starts over (the realtime module then reloads
 * the trends: the server restarted or the wall was away). It has no timer of
 * its own: it follows the trends store's actions, so nothing is left running
 * when panels go, and a panel's series is dropped with its last reader.
 */
export const useHistorySeriesStore = defineStore('history-series', () => {
  const trends = useTrendsStore()
  const entries = new Map<string, Entry>()
  let loader: HistoryLoader = httpLoader
  let realNow: () => number = Date.now

  async function read(entry: Entry, serverAt: number): Promise<void> {
    const epoch = entry.spec.epoch?.(serverAt) ?? ''
    const ask = entry.spec.ask(serverAt)
    entry.last = { serverAt, realAt: realNow(), epoch }
    const reading = ++entry.reading
    try {
      const rows = await loader(ask)
      if (reading === entry.reading)
        entry.state.value = { rows, ask, epoch, error: null }
    }
    catch (err) {
      // The last answer stays (marked): an old picture beats an empty chart; the panel says history is unavailable.
      if (reading === entry.reading)
        entry.state.value = { ...entry.state.value, error: err instanceof Error ? err.message : String(err) }
    }
  }

  /** Reads every series that is due; `restart`: all of them, unless just read for this very server time. */
  function check(restart: boolean): void {
    const at = trends.at
    if (at === null)
      return
    for (const entry of entries.values()) {
      const due = restart
        ? entry.last?.serverAt !== at
        : refreshDue(entry.last, at, realNow(), entry.spec.epoch?.(at) ?? '')
      if (due)
        void read(entry, at)
    }
  }

  // Detached: the schedule belongs to the store, not to whichever component first used it.
  trends.$onAction(({ name, after }) => {
    if (name === 'applyKpis')
      after(() => check(false))
    else if (name === 'loadHistory')
      check(true)
  }, true)

  /** Starts reading a series (or joins its readers); `release` when done. */
  function acquire(spec: HistorySeriesSpec): { state: Readonly<ShallowRef<HistorySeriesState>>, release: () => void } {
    let entry = entries.get(spec.id)
    if (!entry) {
      entry = { spec, users: 0, state: shallowRef(EMPTY), last: null, reading: 0 }
      entries.set(spec.id, entry)
      if (trends.at !== null)
        void read(entry, trends.at)
    }
    entry.users += 1
    const held = entry
    let released = false
    return {
      state: held.state,
      release: () => {
        if (released)
          return
        released = true
        held.users -= 1
        if (held.users === 0 && entries.get(spec.id) === held) {
          entries.delete(spec.id)
          // An answer still on its way is dropped.
          held.reading += 1
        }
      },
    }
  }

  /** Tests read from their own history and drive the wall's clock. */
  function useLoader(next: HistoryLoader, clock: () => number = Date.now): void {
    loader = next
    realNow = clock
  }

  return { acquire, useLoader, size: () => entries.size }
})

/**
 * A panel's history series for as long as the calling component (or effect
 * scope) lives: read now if the server's time is known, then on the store's
 * schedule; released on unmount.
 */
export function useHistorySeries(spec: HistorySeriesSpec): Readonly<ShallowRef<HistorySeriesState>> {
  const { state, release } = useHistorySeriesStore().acquire(spec)
  if (getCurrentScope())
    onScopeDispose(release)
  return state
}

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useHistorySeriesStore, import.meta.hot))
