import { describe, expect, it } from 'vitest'
import { cityDay, finerWhereKnown, HOUR_MS, lineData, MINUTE_MS, shifted, spanPoints, trendPoints, valueAt, WEEK_MS } from './day-series'
import type { SpanPoint } from './day-series'

const FIVE = 5 * MINUTE_MS
/** Monday 2026-11-23 00:00 in Dongguan. */
const DAY = Date.parse('2026-11-22T16:00:00.000Z')
const p = (t: number, value: number, span = FIVE): SpanPoint => ({ t, span, value })

describe(cityDay.name, () => {
  it('is the local day in UTC+8 whatever the machine\'s zone: 23:59 UTC is already tomorrow there', () => {
    expect(cityDay(DAY + 9 * HOUR_MS)).toEqual({ date: '2026-11-23', start: DAY, end: DAY + 24 * HOUR_MS })
    expect(cityDay(DAY - 1).date).toBe('2026-11-22')
    expect(cityDay(DAY).date).toBe('2026-11-23')
  })
})

describe(spanPoints.name, () => {
  it('gives each history bucket its start, width and mean', () => {
    expect(spanPoints([{ t: new Date(DAY).toISOString(), n: 3, mean: 4.5, min: 4, max: 5 }], HOUR_MS)).toEqual([p(DAY, 4.5, HOUR_MS)])
  })
})

describe(trendPoints.name, () => {
  it('keeps the live trend\'s buckets from `from` on, as their means', () => {
    const buckets = [{ t: DAY - FIVE, n: 1, sum: 9 }, { t: DAY, n: 2, sum: 5 }]
    expect(trendPoints(buckets, FIVE, DAY)).toEqual([p(DAY, 2.5)])
  })
})

describe(finerWhereKnown.name, () => {
  it('takes the minutes where there are any and the hour only where there are none', () => {
    const hours = [p(DAY, 1, HOUR_MS), p(DAY + HOUR_MS, 2, HOUR_MS), p(DAY + 2 * HOUR_MS, 3, HOUR_MS)]
    // The minutes of the first hour were pruned; the second hour has only its last part.
    const minutes = [p(DAY + HOUR_MS + 50 * MINUTE_MS, 2.2), p(DAY + HOUR_MS + 55 * MINUTE_MS, 2.4), p(DAY + 2 * HOUR_MS, 3.1)]
    expect(finerWhereKnown(minutes, hours)).toEqual([hours[0], ...minutes])
    expect(finerWhereKnown([], hours)).toEqual(hours)
    expect(finerWhereKnown(minutes, [])).toEqual(minutes)
  })
})

describe(valueAt.name, () => {
  it('is the value of the point covering the instant, null in a gap', () => {
    const points = [p(DAY, 1, HOUR_MS), p(DAY + HOUR_MS, 2)]
    expect(valueAt(points, DAY + 59 * MINUTE_MS)).toBe(1)
    expect(valueAt(points, DAY + HOUR_MS + 4 * MINUTE_MS)).toBe(2)
    expect(valueAt(points, DAY + HOUR_MS + FIVE)).toBeNull()
  })
})

describe(shifted.name, () => {
  it('moves last week onto today\'s clock', () => {
    expect(shifted([p(DAY - WEEK_MS, 3)], WEEK_MS)).toEqual([p(DAY, 3)])
  })
})

describe(lineData.name, () => {
  it('puts each point at the middle of its span, rounded, so hours and 5-minute means line up', () => {
    expect(lineData([p(DAY, 1.26, HOUR_MS), p(DAY + HOUR_MS, 2.04)], 1)).toEqual([[DAY + 30 * MINUTE_MS, 1.3], [DAY + HOUR_MS + 2.5 * MINUTE_MS, 2]])
  })

  it('breaks the line where more than two of a point\'s spans are missing, not before', () => {
    const two = [p(DAY, 1), p(DAY + 3 * FIVE, 2)]
    expect(lineData(two, 0).some(([, v]) => v === null)).toBe(false)
    const three = [p(DAY, 1), p(DAY + 4 * FIVE, 2)]
    expect(lineData(three, 0)).toEqual([[DAY + FIVE / 2, 1], [DAY + FIVE, null], [DAY + 4.5 * FIVE, 2]])
    expect(lineData([], 0)).toEqual([])
  })

  it('joins an hour to the 5-minute buckets that follow it inside the next hour (a partly pruned hour), and breaks after 2 missing hours', () => {
    const joined = lineData([p(DAY, 1, HOUR_MS), p(DAY + HOUR_MS + 35 * MINUTE_MS, 2)], 0)
    expect(joined.some(([, v]) => v === null)).toBe(false)
    const broken = lineData([p(DAY, 1, HOUR_MS), p(DAY + 4 * HOUR_MS, 2, HOUR_MS)], 0)
    expect(broken[1]).toEqual([DAY + HOUR_MS, null])
  })
})
