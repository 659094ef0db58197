import type { HistoryMetric, HistoryResolution } from '@shared/schemas/history'

/** History-backed series are read again every this much of the server's clock (the simulated one in a simulation)… */
export const HISTORY_REFRESH_MS = 5 * 60_000
/**
 * …but no more often than this in real time: a simulation running 60× would
 * otherwise ask for every series every 5 s, from every wall.
 */
export const HISTORY_MIN_GAP_MS = 30_000

/** One read of a series' history: what was asked, on which server time and when (real time). */
export interface RefreshMark {
  /** The server's clock the read was made for. */
  serverAt: number
  /** The wall's own clock when it was made. */
  realAt: number
  /** The series' epoch then (see HistorySeriesSpec.epoch). */
  epoch: string
}

/** The refresh slot of a server time: a new slot is a new read. */
export const refreshSlot = (serverAt: number): number => Math.floor(serverAt / HISTORY_REFRESH_MS)

/**
 * Whether a series must be read again, given its last read and the clocks now.
 * Its epoch changing (a new local day for "today" or "last week") is due at
 * once: what was read answers another question. Otherwise a new refresh slot
 * of the server's clock is due once the real-time gap has passed; a slot going
 * backwards counts (the server's clock went back: a simulator restarted).
 */
export function refreshDue(last: RefreshMark | null, serverAt: number, realNow: number, epoch: string): boolean {
  if (last === null || last.epoch !== epoch)
    return true
  if (refreshSlot(serverAt) === refreshSlot(last.serverAt))
    return false
  return realNow - last.realAt >= HISTORY_MIN_GAP_MS
}

/** A history question, as a series asks it for one server time (GET /api/history). */
export interface HistoryAsk {
  metric: HistoryMetric
  /** Omitted for city-wide metrics (every KPI). */
  entity?: string
  from: number
  to: number
  resolution: HistoryResolution
  /** Buckets of this many minutes or hours; 1 by default. */
  step?: number
}

/** The query string of GET /api/history for an ask. */
export function historyQueryString(ask: HistoryAsk): string {
  const params = new URLSearchParams({
    metric: ask.metric,
    from: new Date(ask.from).toISOString(),
    to: new Date(ask.to).toISOString(),
    resolution: ask.resolution,
    step: String(ask.step ?? 1),
  })
  if (ask.entity !== undefined)
    params.set('entity', ask.entity)
  return params.toString()
}
