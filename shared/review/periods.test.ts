import { describe, expect, it } from 'vitest'
import { ReviewQuery } from '../schemas/review'
import { addDays, daysOf, ReviewPeriodError, reviewPeriods, weekdayOf } from './periods'

// 2026-12-04 10:30 in Dongguan (02:30 UTC), a Friday.
const NOW = Date.parse('2026-12-04T02:30:00Z')
const periods = (input: Record<string, string>) => reviewPeriods(ReviewQuery.parse(input), NOW)

describe('review periods', () => {
  it('counts local days across month ends and knows the weekday', () => {
    expect(addDays('2026-12-01', -1)).toBe('2026-11-30')
    expect(daysOf('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02'])
    expect(weekdayOf('2026-12-04')).toBe(4)
    expect(weekdayOf('2026-12-07')).toBe(0)
  })

  it('today runs from local midnight (16:00 UTC the day before) to now, against yesterday up to the same time', () => {
    const { period, previous } = periods({ range: 'today' })
    expect(period).toEqual({ from: '2026-12-04', to: '2026-12-04', fromAt: '2026-12-03T16:00:00.000Z', toAt: '2026-12-04T02:30:00.000Z', days: 1, partial: true })
    expect(previous).toEqual({ from: '2026-12-03', to: '2026-12-03', fromAt: '2026-12-02T16:00:00.000Z', toAt: '2026-12-03T02:30:00.000Z', days: 1, partial: true })
  })

  it('7 days are the seven whole days up to yesterday, against the seven before', () => {
    const { period, previous } = periods({ range: '7d' })
    expect(period).toMatchObject({ from: '2026-11-27', to: '2026-12-03', fromAt: '2026-11-26T16:00:00.000Z', toAt: '2026-12-03T16:00:00.000Z', days: 7, partial: false })
    expect(previous).toMatchObject({ from: '2026-11-20', to: '2026-11-26', days: 7, partial: false })
    expect(periods({ range: 'quarter' }).period).toMatchObject({ from: '2026-09-05', to: '2026-12-03', days: 90 })
  })

  it('a custom period is cut at now and compared with as many days before it', () => {
    const { period, previous } = periods({ range: 'custom', from: '2026-11-30', to: '2026-12-31' })
    expect(period).toMatchObject({ from: '2026-11-30', to: '2026-12-04', days: 5, partial: true, toAt: '2026-12-04T02:30:00.000Z' })
    expect(previous).toMatchObject({ from: '2026-11-25', to: '2026-11-29', days: 5, partial: false })
  })

  it('refuses periods in the future, too long, or inside out', () => {
    expect(() => periods({ range: 'custom', from: '2026-12-05', to: '2026-12-06' })).toThrow(ReviewPeriodError)
    expect(() => periods({ range: 'custom', from: '2025-01-01', to: '2026-12-01' })).toThrow(/at most 400/)
    expect(ReviewQuery.safeParse({ range: 'custom', from: '2026-12-02', to: '2026-12-01' }).success).toBe(false)
    expect(ReviewQuery.safeParse({ range: '7d', from: '2026-12-02' }).success).toBe(false)
    expect(ReviewQuery.safeParse({ scope: 'town:441900003' }).success).toBe(true)
    expect(ReviewQuery.safeParse({ scope: 'village:1' }).success).toBe(false)
  })
})
