import type { Alert, AlertDomain, AlertSeverity } from '@shared/schemas/alerts'

/** The console's filter, as its controls hold it ('' = any). Times are the city's wall time, `YYYY-MM-DDTHH:mm` (a datetime-local input). */
export interface AlertFilter {
  status: 'active' | 'firing' | 'acknowledged' | 'resolved' | 'all'
  severity: AlertSeverity | ''
  domain: AlertDomain | ''
  town: string
  from: string
  to: string
}

export const EMPTY_FILTER: AlertFilter = { status: 'active', severity: '', domain: '', town: '', from: '', to: '' }

/** The city's UTC offset: Dongguan and Jiangmen keep Beijing time all year (no daylight saving). */
const CITY_OFFSET = '+08:00'
const CITY_OFFSET_MS = 8 * 3600_000

/** A datetime-local value read as the city's time, as an ISO instant; null when empty or unreadable. */
export function cityInstant(local: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/.test(local))
    return null
  const ms = Date.parse(`${local.length === 16 ? `${local}:00` : local}${CITY_OFFSET}`)
  return Number.isNaN(ms) ? null : new Date(ms).toISOString()
}

/** An instant as a datetime-local value in the city's time (for the inputs' defaults). */
export function cityLocal(at: number): string {
  return new Date(at + CITY_OFFSET_MS).toISOString().slice(0, 16)
}

/** Statuses the live stream holds completely: the list is the stream's, filtered here. */
export function isLiveStatus(status: AlertFilter['status']): boolean {
  return status === 'active' || status === 'firing' || status === 'acknowledged'
}

export function matchesFilter(alert: Alert, filter: AlertFilter): boolean {
  if (filter.status === 'active' ? alert.status === 'resolved' : filter.status !== 'all' && alert.status !== filter.status)
    return false
  if (filter.severity && alert.severity !== filter.severity)
    return false
  if (filter.domain && alert.domain !== filter.domain)
    return false
  if (filter.town && alert.townCode !== filter.town)
    return false
  const raised = Date.parse(alert.raisedAt)
  const from = cityInstant(filter.from)
  const to = cityInstant(filter.to)
  if (from !== null && raised < Date.parse(from))
    return false
  return !(to !== null && raised >= Date.parse(to))
}

/** GET /api/alerts's query for the filter (shared/schemas/alerts.ts AlertListQuery). */
export function listQuery(filter: AlertFilter, limit: number): string {
  const q = new URLSearchParams({ status: filter.status, limit: String(limit) })
  if (filter.severity)
    q.set('severity', filter.severity)
  if (filter.domain)
    q.set('domain', filter.domain)
  if (filter.town)
    q.set('town', filter.town)
  const from = cityInstant(filter.from)
  const to = cityInstant(filter.to)
  if (from)
    q.set('from', from)
  if (to)
    q.set('to', to)
  return q.toString()
}

const newestFirst = (a: Alert, b: Alert): number => a.raisedAt < b.raisedAt ? 1 : a.raisedAt > b.raisedAt ? -1 : a.id < b.id ? -1 : 1

/**
 * The rows to show: for the live statuses the stream's alerts that match;
 * otherwise what the server listed, each overlaid by the stream's newer copy
 * (an alert acknowledged a second ago), plus live alerts the listing has not
 * seen yet when they match. Newest raised first, as the server lists.
 */
export function alertRows(filter: AlertFilter, live: readonly Alert[], listed: readonly Alert[]): Alert[] {
  if (isLiveStatus(filter.status))
    return live.filter(a => matchesFilter(a, filter)).sort(newestFirst)
  const byId = new Map(listed.map(a => [a.id, a]))
  for (const a of live) {
    const known = byId.get(a.id)
    if (known ? known.updatedAt <= a.updatedAt : matchesFilter(a, filter))
      byId.set(a.id, a)
  }
  return [...byId.values()].filter(a => matchesFilter(a, filter)).sort(newestFirst)
}

/** The row a key press moves to: `step` rows on from the selected one, held at the ends; the first row when none is selected. */
export function moveSelection(rows: readonly Alert[], selectedId: string | null, step: number): string | null {
  if (rows.length === 0)
    return null
  const at = rows.findIndex(a => a.id === selectedId)
  if (at < 0)
    return rows[0]!.id
  return rows[Math.min(rows.length - 1, Math.max(0, at + step))]!.id
}

/**
 * How long a new silence lasts: 1 h and 4 h as a duration the server counts
 * from its own (simulated) now; a chosen time as an instant, which must be
 * later than the server's now as far as the page knows it (null otherwise).
 */
export function silenceSpan(serverNowMs: number | null, choice: '1h' | '4h' | 'until', untilLocal: string): { durationMin: number } | { endsAt: string } | null {
  if (choice === '1h' || choice === '4h')
    return { durationMin: choice === '1h' ? 60 : 240 }
  const until = cityInstant(untilLocal)
  return until !== null && serverNowMs !== null && Date.parse(until) > serverNowMs ? { endsAt: until } : null
}
