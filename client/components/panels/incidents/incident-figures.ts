import type { Department } from '@shared/schemas/city'
import type { Incident, IncidentNature, IncidentTopic } from '@shared/schemas/incidents'
import { INCIDENT_NATURES } from '@shared/schemas/incidents'
import type { KpiSet } from '@shared/schemas/kpis'

/** 咨询 求助 投诉 举报 建议, each its own hue; the names are always written beside them. */
export const NATURE_COLORS: Readonly<Record<IncidentNature, string>> = {
  consult: '#4cc3ff',
  help: '#ffd166',
  complaint: '#ff8a7a',
  report: '#ff5fa2',
  suggestion: '#7ee0b5',
}

/** Open orders of each nature, in the scale's order (咨询 first), with their share; zeros kept, so the legend never moves. */
export function natureShares(openByNature: Partial<Record<IncidentNature, number>>): { nature: IncidentNature, count: number, share: number | null }[] {
  const total = INCIDENT_NATURES.reduce((sum, n) => sum + (openByNature[n] ?? 0), 0)
  return INCIDENT_NATURES.map(nature => ({ nature, count: openByNature[nature] ?? 0, share: total > 0 ? (openByNature[nature] ?? 0) / total : null }))
}

/** One row of a ranking by count; `key` null for the rest put together. */
export interface CountRow<K extends string> { key: K | null, count: number }

/**
 * Keys by count, most first (ties by key), zeros left out. More than `rows`
 * of them: the first rows − 1 and the rest summed into one row (key null),
 * so the ranking still adds up to the whole.
 */
export function rankCounts<K extends string>(counts: Partial<Record<K, number>>, rows: number): CountRow<K>[] {
  const ranked = (Object.entries(counts) as [K, number | undefined][])
    .filter((e): e is [K, number] => (e[1] ?? 0) > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([key, count]) => ({ key, count }))
  if (ranked.length <= rows)
    return ranked
  const kept = ranked.slice(0, Math.max(0, rows - 1))
  const rest = ranked.slice(kept.length).reduce((sum, r) => sum + r.count, 0)
  return [...kept, { key: null, count: rest }]
}

export type TopicRow = CountRow<IncidentTopic>

/**
 * A department's name as a ranking shows it: without the city's name in
 * front (东莞市生态环境局 → 生态环境局; "Dongguan Transport Bureau" →
 * "Transport Bureau"), which every city department shares.
 */
export function departmentLabel(department: Department, locale: string, city: { name: string, nameEn: string }): string {
  const [name, prefix] = locale === 'en' ? [department.nameEn, `${city.nameEn} `] : [department.name, city.name]
  return prefix && name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : name
}

export interface OnTimeFigures {
  /** 按时办结率 today, 0–1; null before the day's first closure. */
  rate: number | null
  rateDayAgo: number | null
  closedToday: number | null
  closedDayAgo: number | null
  overdue: number | null
  overdueDayAgo: number | null
  /** Today's closures on time and late, from the rate (the server counts them; the rate is their ratio). */
  onTime: number | null
  late: number | null
}

export function onTimeFigures(incidents: KpiSet['incidents']): OnTimeFigures {
  const rate = incidents.onTimeRate.value
  const closed = incidents.closedToday.value
  const onTime = rate !== null && closed !== null ? Math.round(rate * closed) : null
  return {
    rate,
    rateDayAgo: incidents.onTimeRate.dayAgo,
    closedToday: closed,
    closedDayAgo: incidents.closedToday.dayAgo,
    overdue: incidents.overdue.value,
    overdueDayAgo: incidents.overdue.dayAgo,
    onTime,
    late: onTime !== null && closed !== null ? closed - onTime : null,
  }
}

/**
 * 12345 orders reported in the hour before `now` (the server's clock) among
 * those the wall holds. The wall holds the newest `held` orders: when the
 * hour filled them all, the true count may be higher, and `atLeast` says so.
 */
export function reportedInLastHour(incidents: Iterable<Incident>, now: number, held: number): { count: number, atLeast: boolean } {
  let count = 0
  let total = 0
  let oldest = Number.POSITIVE_INFINITY
  for (const incident of incidents) {
    total++
    const at = Date.parse(incident.reportedAt)
    oldest = Math.min(oldest, at)
    if (at > now - 3_600_000 && at <= now)
      count++
  }
  return { count, atLeast: total >= held && oldest > now - 3_600_000 }
}
