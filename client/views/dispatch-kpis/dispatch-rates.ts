import type { DispatchCounts } from '@shared/schemas/work-orders'
import { rate } from '@shared/schemas/work-orders'

/**
 * The dispatch indicators of domain.md §3.4 as the leaders' screen derives
 * them from the server's counts: each rate with the counts it divides, so
 * the screen can always say "x / y" beside the percentage.
 */

export const RATE_KEYS = ['signOnTime', 'closeOnTime', 'resolution', 'satisfaction', 'returns', 'reopens'] as const
export type RateKey = typeof RATE_KEYS[number]

/** Dongguan's target for 解决率. */
export const RESOLUTION_TARGET = 0.92

/**
 * Numerator and denominator of each rate. Sign-on-time divides by the orders
 * signed (an unsigned order may still be within its time; one past it shows
 * in 超期工单数); returns by orders dispatched; reopens (重办, an unsatisfied
 * revisit) by revisits, the only step that reopens an order.
 */
export const RATE_PARTS: Readonly<Record<RateKey, { part: keyof DispatchCounts, whole: keyof DispatchCounts }>> = {
  signOnTime: { part: 'signedOnTime', whole: 'signed' },
  closeOnTime: { part: 'closedOnTime', whole: 'closed' },
  resolution: { part: 'resolved', whole: 'closed' },
  satisfaction: { part: 'satisfied', whole: 'revisited' },
  returns: { part: 'returned', whole: 'dispatched' },
  reopens: { part: 'reopened', whole: 'revisited' },
}

/** Rates where less is better: their ranking puts the lowest first. */
export const LOWER_IS_BETTER: ReadonlySet<RateKey> = new Set(['returns', 'reopens'])

/** A department's counts with its name, as the ranking shows it. */
export type DepartmentRow = DispatchCounts & { departmentId: string, name: string }

export interface RateFigure { key: RateKey, part: number, whole: number, value: number | null }

export function rateFigure(counts: DispatchCounts, key: RateKey): RateFigure {
  const { part, whole } = RATE_PARTS[key]
  return { key, part: counts[part], whole: counts[whole], value: rate(counts[part], counts[whole]) }
}

/** A rate as the screen writes it: one decimal, "—" when there is nothing to rate (never 0 %). */
export function formatRate(value: number | null): string {
  return value === null ? '—' : `${(Math.round(value * 1000) / 10).toFixed(1)}%`
}

/** Below Dongguan's 解决率 target; false when nothing was closed (nothing to judge). */
export function belowTarget(counts: DispatchCounts): boolean {
  const value = rateFigure(counts, 'resolution').value
  return value !== null && value < RESOLUTION_TARGET
}

export type SortDirection = 'asc' | 'desc'

/** Best first by default: highest, or lowest for returns and reopens. */
export const bestFirst = (key: RateKey): SortDirection => (LOWER_IS_BETTER.has(key) ? 'asc' : 'desc')

/**
 * Departments ranked by one rate in the given direction; those with nothing
 * to rate ("—") always last, then by name, so the order is stable.
 */
export function rankBy<T extends DispatchCounts & { name: string }>(rows: readonly T[], key: RateKey, direction: SortDirection): T[] {
  const sign = direction === 'asc' ? 1 : -1
  return [...rows].sort((a, b) => {
    const x = rateFigure(a, key).value
    const y = rateFigure(b, key).value
    if (x === null || y === null)
      return x === y ? a.name.localeCompare(b.name, 'zh-CN') : x === null ? 1 : -1
    return sign * (x - y) || a.name.localeCompare(b.name, 'zh-CN')
  })
}
