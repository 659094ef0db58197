import type { PeriodCounts } from '@shared/schemas/review'
import type { RateKey, SortDirection } from '@client/views/dispatch-kpis/dispatch-rates'
import { bestFirst, rankBy } from '@client/views/dispatch-kpis/dispatch-rates'

/** A department's row of the league table: its counts over the period and its name. */
export type LeagueRow = PeriodCounts & { departmentId: string, name: string }

/** The column the league is sorted by: a rate, or the requests accepted (most first). */
export type LeagueKey = RateKey | 'accepted'

export const defaultDirection = (key: LeagueKey): SortDirection => (key === 'accepted' ? 'desc' : bestFirst(key))

/**
 * The league sorted by one column: by a rate as the dispatch KPIs rank
 * ("—" last), by accepted requests, ties by name so the order is stable.
 */
export function sortLeague(rows: readonly LeagueRow[], key: LeagueKey, direction: SortDirection): LeagueRow[] {
  if (key !== 'accepted')
    return rankBy(rows, key, direction)
  const sign = direction === 'asc' ? 1 : -1
  return [...rows].sort((a, b) => sign * (a.accepted - b.accepted) || a.name.localeCompare(b.name, 'zh-CN'))
}
