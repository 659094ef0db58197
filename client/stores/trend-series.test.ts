import { describe, expect, it } from 'vitest'
import { foldSample, mergeHistory, TREND_MAX_POINTS, TREND_STEP_MS, TREND_WINDOW_MS, windowed } from './trend-series'
import type { TrendBucket } from './trend-series'

const T0 = Date.parse('2026-11-23T00:00:00.000Z')
const MINUTE_MS = 60_000
const iso = (ms: number): string => new Date(ms).toISOString()

describe(foldSample.name, () => {
  it('folds values of one 5-minute bucket together and opens the next bucket after it', () => {
    let s: TrendBucket[] = []
    s = foldSample(s, T0 + 10_000, 10)
    s = foldSample(s, T0 + 4 * MINUTE_MS, 20)
    s = foldSample(s, T0 + 5 * MINUTE_MS, 7)
    expect(s).toEqual([{ t: T0, n: 2, sum: 30 }, { t: T0 + TREND_STEP_MS, n: 1, sum: 7 }])
  })

  it('puts a late value into its own bucket, in order, without touching the input', () => {
    const s = [{ t: T0, n: 1, sum: 1 }, { t: T0 + 2 * TREND_STEP_MS, n: 1, sum: 3 }]
    expect(foldSample(s, T0 + TREND_STEP_MS + 1, 2)).toEqual([s[0], { t: T0 + TREND_STEP_MS, n: 1, sum: 2 }, s[1]])
    expect(foldSample(s, T0 + 1, 5)).toEqual([{ t: T0, n: 2, sum: 6 }, s[1]])
    expect(s).toHaveLength(2)
  })
})

describe(mergeHistory.name, () => {
  it('takes the server\'s buckets where both have one and keeps the newer ones only the wall has', () => {
    const live = [{ t: T0 + TREND_STEP_MS, n: 3, sum: 30 }, { t: T0 + 2 * TREND_STEP_MS, n: 1, sum: 50 }]
    const history = [
      { t: iso(T0), n: 5, mean: 4, min: 1, max: 9 },
      { t: iso(T0 + TREND_STEP_MS), n: 5, mean: 11, min: 10, max: 12 },
    ]
    expect(mergeHistory(live, history)).toEqual([
      { t: T0, n: 5, sum: 20 },
      { t: T0 + TREND_STEP_MS, n: 5, sum: 55 },
      { t: T0 + 2 * TREND_STEP_MS, n: 1, sum: 50 },
    ])
  })
})

describe(windowed.name, () => {
  it('keeps the last 24 hours of buckets, never more than a day and one', () => {
    const s = Array.from({ length: 400 }, (_, i) => ({ t: T0 + i * TREND_STEP_MS, n: 1, sum: i }))
    const now = T0 + 399 * TREND_STEP_MS + 1000
    const kept = windowed(s, now)
    expect(kept).toHaveLength(TREND_MAX_POINTS)
    expect(kept[0]?.t).toBe(now - 1000 - TREND_WINDOW_MS)
    expect(kept.at(-1)).toBe(s.at(-1))
  })

  it('drops buckets after `now`: the server\'s clock went back', () => {
    const s = [{ t: T0, n: 1, sum: 1 }, { t: T0 + TREND_STEP_MS, n: 1, sum: 2 }, { t: T0 + 9 * TREND_STEP_MS, n: 1, sum: 3 }]
    expect(windowed(s, T0 + TREND_STEP_MS + 1)).toEqual(s.slice(0, 2))
  })
})
