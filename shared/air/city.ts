import type { AirIndicators, IndicatorKey } from '../schemas/air'

/**
 * The city's indicators are the arithmetic mean over the stations that report
 * each indicator (城市点位平均), rounded to 0.1 (CO to 0.01); the city AQI is
 * then rated from these means, as city reports do.
 */
export function meanIndicators(list: readonly AirIndicators[]): AirIndicators {
  const sums = new Map<IndicatorKey, { sum: number, n: number }>()
  for (const indicators of list) {
    for (const [key, value] of Object.entries(indicators) as [IndicatorKey, number | undefined][]) {
      if (value === undefined)
        continue
      const acc = sums.get(key) ?? { sum: 0, n: 0 }
      acc.sum += value
      acc.n += 1
      sums.set(key, acc)
    }
  }
  const out: Partial<Record<IndicatorKey, number>> = {}
  for (const [key, { sum, n }] of sums) {
    const digits = key.startsWith('co') ? 100 : 10
    out[key] = Math.round((sum / n) * digits) / digits
  }
  return out
}
