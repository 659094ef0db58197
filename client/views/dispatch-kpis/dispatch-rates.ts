import type { RateCounts, RateKey } from '@shared/dispatch/rates'
import { LOWER_IS_BETTER, rateFigure, RESOLUTION_TARGET } from '@shared/dispatch/rates'
import type { DispatchCounts } from '@shared/schemas/work-orders'

/**
 * The dispatch indicators as the leaders' screens write and rank them; the
 * rates themselves and what each divides are shared (shared/dispatch/rates.ts),
 * as the reports make the same figures.
 */

export { LOWER_IS_BETTER, RATE_KEYS, RATE_PARTS, rateFigure, RESOLUTION_TARGET } from '@shared/dispatch/rates'
export type { RateCounts, RateFigure, RateKey } from '@shared/dispatch/rates'

/** A department's counts with its name, as the ranking shows it. */
export type DepartmentRow = DispatchCounts & { departmentId: string, name: string }

/** A rate as the screen writes it: one decimal, "—" when there is nothing to rate (never 0 %). */
export function formatRate(value: number | null): string {
  return value === null ? '—' : `${(Math.round(value * 1000) / 10).toFixed(1)}%`
}

/** Below Dongguan's 解决率 target; false when nothing was closed (nothing to judge). */
export function belowTarget(counts: RateCounts): boolean {
  const value = rateFigure(counts, 'resolution').value
  return value !== null && value < RESOLUTION_TARGET
}

export type SortDirection = 'asc' | 'desc'

/** Best first by default: highest, or lowest for returns and reopens. */
export const bestFirst = (key: RateKey): SortDirection => (LOWER_IS_BETTER.has(key) ? 'asc' : 'desc')

/** A table's sort: the column and its direction. */
export interface TableSort<K extends string> { key: K, direction: SortDirection }

/** The sort after a click on a column: the other direction on the same column, `firstDirection` of another. */
export function nextSort<K extends string>(current: TableSort<K>, clicked: K, firstDirection: (key: K) => SortDirection): TableSort<K> {
  if (clicked === current.key)
    return { key: clicked, direction: current.direction === 'asc' ? 'desc' : 'asc' }
  return { key: clicked, direction: firstDirection(clicked) }
}

/** A column header's aria-sort under `sort`. */
export function ariaSortOf<K extends string>(sort: TableSort<K>, key: K): 'ascending' | 'descending' | 'none' {
  return key === sort.key ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'
}

/**
 * Departments ranked by one rate in the given direction; those with nothing
 * to rate ("—") always last, then by name, so the order is stable.
 */
export function rankBy<T extends RateCounts & { name: string }>(rows: readonly T[], key: RateKey, direction: SortDirection): T[] {
  const sign = direction === 'asc' ? 1 : -1
  return [...rows].sort((a, b) => {
    const x = rateFigure(a, key).value
    const y = rateFigure(b, key).value
    if (x === null || y === null)
      return x === y ? a.name.localeCompare(b.name, 'zh-CN') : x === null ? 1 : -1
    return sign * (x - y) || a.name.localeCompare(b.name, 'zh-CN')
  })
}
