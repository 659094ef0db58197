import { describe, expect, it } from 'vitest'
import { addDays, daysOf } from './periods'
import type { SpanBuilt } from './spans'
import { monthEnd, spanEnd, spansOf, weekOf } from './spans'

/** Every day the spans cover, in order, each once. */
function covered(from: string, to: string, built?: SpanBuilt): string[] {
  const s = spansOf(from, to, built)
  return [
    ...s.months.flatMap(m => daysOf(m, spanEnd('month', m))),
    ...s.weeks.flatMap(w => daysOf(w, spanEnd('week', w))),
    ...s.days.flatMap(([a, b]) => daysOf(a, b)),
  ].sort()
}

describe('a range as months, weeks and days', () => {
  it('knows weeks and months', () => {
    expect(weekOf('2026-11-18')).toBe('2026-11-16')
    expect(weekOf('2026-11-16')).toBe('2026-11-16')
    expect(weekOf('2026-11-22')).toBe('2026-11-16')
    expect(monthEnd('2026-02-01')).toBe('2026-02-28')
    expect(monthEnd('2024-02-01')).toBe('2024-02-29')
    expect(monthEnd('2026-12-01')).toBe('2026-12-31')
  })

  it('takes whole months, then whole weeks around them, then days', () => {
    // A year to yesterday (Tuesday 2026-11-17): 2025-11-18 … 2026-11-17.
    expect(spansOf('2025-11-18', '2026-11-17')).toEqual({
      months: ['2025-12-01', '2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01', '2026-06-01', '2026-07-01', '2026-08-01', '2026-09-01', '2026-10-01'],
      weeks: ['2025-11-24', '2026-11-02', '2026-11-09'],
      days: [['2025-11-18', '2025-11-23'], ['2026-11-01', '2026-11-01'], ['2026-11-16', '2026-11-17']],
    })
    // Seven days from a Monday: one week; from a Wednesday: days only.
    expect(spansOf('2026-11-09', '2026-11-15')).toEqual({ months: [], weeks: ['2026-11-09'], days: [] })
    expect(spansOf('2026-11-11', '2026-11-17')).toEqual({ months: [], weeks: [], days: [['2026-11-11', '2026-11-17']] })
    expect(spansOf('2026-11-17', '2026-11-17')).toEqual({ months: [], weeks: [], days: [['2026-11-17', '2026-11-17']] })
  })

  it('covers every day of any range exactly once', () => {
    for (let from = '2025-12-20'; from <= '2026-03-10'; from = addDays(from, 3)) {
      for (const length of [1, 6, 7, 13, 30, 31, 45, 90, 200, 366]) {
        const to = addDays(from, length - 1)
        expect(covered(from, to)).toEqual(daysOf(from, to))
      }
    }
  })

  it('reads a span not built as the weeks and days inside it', () => {
    const noOctober: SpanBuilt = (kind, start) => !(kind === 'month' && start === '2026-10-01')
    expect(spansOf('2026-09-01', '2026-11-17', noOctober)).toEqual({
      months: ['2026-09-01'],
      // October 2026 starts on a Thursday: its days to Sunday the 4th, its four whole weeks, and the days to the end of November's first week.
      weeks: ['2026-10-05', '2026-10-12', '2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09'],
      days: [['2026-10-01', '2026-10-04'], ['2026-11-16', '2026-11-17']],
    })
    const nothing: SpanBuilt = () => false
    expect(spansOf('2026-09-01', '2026-11-17', nothing)).toEqual({ months: [], weeks: [], days: [['2026-09-01', '2026-11-17']] })
    // A week not built between two that are: its days alone.
    const noMiddleWeek: SpanBuilt = (kind, start) => kind === 'week' && start !== '2026-11-09'
    expect(spansOf('2026-11-02', '2026-11-22', noMiddleWeek)).toEqual({ months: [], weeks: ['2026-11-02', '2026-11-16'], days: [['2026-11-09', '2026-11-15']] })
  })

  it('covers every day exactly once whichever spans are built', () => {
    let seed = 7
    const coin = (): boolean => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      return seed % 3 !== 0
    }
    for (let from = '2025-12-20'; from <= '2026-03-10'; from = addDays(from, 5)) {
      for (const length of [13, 45, 200, 366]) {
        const to = addDays(from, length - 1)
        const built = new Map<string, boolean>()
        const some: SpanBuilt = (kind, start) => {
          const key = `${kind} ${start}`
          if (!built.has(key))
            built.set(key, coin())
          return built.get(key) as boolean
        }
        expect(covered(from, to, some)).toEqual(daysOf(from, to))
      }
    }
  })
})
