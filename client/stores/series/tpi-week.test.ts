import { describe, expect, it } from 'vitest'
import type { HistorySeriesState } from './history-series'
import { HOUR_MS, MINUTE_MS, WEEK_MS } from './day-series'
import { lastWeekOf } from './tpi-week'

/** Monday 2026-11-23 00:00 in Dongguan, and last Monday. */
const DAY = Date.parse('2026-11-22T16:00:00.000Z')
const LAST = DAY - WEEK_MS
const row = (t: number, mean: number): { t: string, n: number, mean: number, min: number, max: number } => ({ t: new Date(t).toISOString(), n: 1, mean, min: mean, max: mean })
const answer = (rows: HistorySeriesState['rows'], epoch: string | null = '2026-11-23', error: string | null = null): HistorySeriesState => ({ rows, ask: null, epoch, error })
const none = answer(null, null)

describe(lastWeekOf.name, () => {
  it('joins last Monday\'s hours and 5-minute buckets onto today\'s clock', () => {
    const fine = answer([row(LAST + HOUR_MS, 5.5)])
    const coarse = answer([row(LAST, 4), row(LAST + HOUR_MS, 5)])
    expect(lastWeekOf(fine, coarse, '2026-11-23')).toEqual({
      state: 'ready',
      points: [{ t: DAY, span: HOUR_MS, value: 4 }, { t: DAY + HOUR_MS, span: 5 * MINUTE_MS, value: 5.5 }],
    })
  })

  it('is ready with no points when last week was not recorded: no line, never a made-up one', () => {
    expect(lastWeekOf(answer([]), answer([]), '2026-11-23')).toEqual({ state: 'ready', points: [] })
  })

  it('waits for both answers, and for answers about the day asked (after midnight the old ones are not last week\'s)', () => {
    expect(lastWeekOf(answer([]), none, '2026-11-23')).toEqual({ state: 'loading' })
    expect(lastWeekOf(answer([], '2026-11-22'), answer([], '2026-11-22'), '2026-11-23')).toEqual({ state: 'loading' })
  })

  it('says it cannot read last week when a read failed and nothing answers the day', () => {
    expect(lastWeekOf(answer(null, null, 'HTTP 503'), none, '2026-11-23')).toEqual({ state: 'error' })
  })
})
