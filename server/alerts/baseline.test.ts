import { describe, expect, it } from 'vitest'
import { hourOfWeek, learnBaseline, robustZ } from './baseline'

describe(learnBaseline.name, () => {
  it('buckets by weekday and hour of China time', () => {
    expect(hourOfWeek(Date.parse('2026-03-01T00:30:00+08:00'))).toBe(0) // Sunday
    expect(hourOfWeek(Date.parse('2026-03-02T08:10:00+08:00'))).toBe(24 + 8) // Monday
    expect(hourOfWeek(Date.parse('2026-03-07T23:59:00+08:00'))).toBe(6 * 24 + 23) // Saturday
  })

  it('learns the median and MAD, untouched by one outlier', () => {
    const t = Date.parse('2026-03-02T08:00:00+08:00')
    const values = [10, 11, 9, 10, 500]
    const set = learnBaseline(values.map(value => ({ key: 'k', t, value })))
    expect(set.k![hourOfWeek(t)]).toEqual({ median: 10, mad: 1, n: 5 })
    expect(robustZ({ median: 10, mad: 1, n: 5 }, 13, 0.1)).toBeCloseTo(3 / 1.4826, 6)
    expect(robustZ({ median: 10, mad: 0, n: 5 }, 13, 2)).toBe(1.5)
  })
})
