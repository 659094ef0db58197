import type { DispatchCounts } from '../schemas/work-orders'
import { rate } from '../schemas/work-orders'

/**
 * The dispatch indicators of domain.md §3.4 from the counts: each rate with
 * the counts it divides, for the leaders' screens and the reports alike.
 */

export const RATE_KEYS = ['signOnTime', 'closeOnTime', 'resolution', 'satisfaction', 'returns', 'reopens'] as const
export type RateKey = typeof RATE_KEYS[number]

/** The counts a rate divides: the dispatch KPIs' and the leaders' review's (which has no "now" count of overdue orders). */
export type RateCounts = Omit<DispatchCounts, 'overdueOpen'>

/** Dongguan's target for 解决率. */
export const RESOLUTION_TARGET = 0.92

/**
 * Numerator and denominator of each rate. Sign-on-time divides by the orders
 * signed (an unsigned order may still be within its time; one past it shows
 * in 超期工单数); returns by orders dispatched; reopens (重办, an unsatisfied
 * revisit) by revisits, the only step that reopens an order.
 */
export const RATE_PARTS: Readonly<Record<RateKey, { part: keyof RateCounts, whole: keyof RateCounts }>> = {
  signOnTime: { part: 'signedOnTime', whole: 'signed' },
  closeOnTime: { part: 'closedOnTime', whole: 'closed' },
  resolution: { part: 'resolved', whole: 'closed' },
  satisfaction: { part: 'satisfied', whole: 'revisited' },
  returns: { part: 'returned', whole: 'dispatched' },
  reopens: { part: 'reopened', whole: 'revisited' },
}

/** The rates' Chinese names. */
export const RATE_ZH: Readonly<Record<RateKey, string>> = {
  signOnTime: '按时签收率',
  closeOnTime: '按时办结率',
  resolution: '解决率',
  satisfaction: '满意率',
  returns: '退单率',
  reopens: '重办率',
}

/** Rates where less is better: their ranking puts the lowest first. */
export const LOWER_IS_BETTER: ReadonlySet<RateKey> = new Set(['returns', 'reopens'])

export interface RateFigure { key: RateKey, part: number, whole: number, value: number | null }

export function rateFigure(counts: RateCounts, key: RateKey): RateFigure {
  const { part, whole } = RATE_PARTS[key]
  return { key, part: counts[part], whole: counts[whole], value: rate(counts[part], counts[whole]) }
}
