import { describe, expect, it } from 'vitest'
import type { ReviewPeriod } from '@shared/schemas/review'
import { periodText, rangeOfQuery, reviewQuery, scopeOfRoute } from './review-period'

const words = { span: (from: string, to: string) => `${from} 至 ${to}`, until: (time: string) => `（截至 ${time}）` }
const period = (from: string, to: string, partial = false, toAt = '2026-12-03T16:00:00Z'): ReviewPeriod =>
  ({ from, to, fromAt: '2026-11-26T16:00:00Z', toAt, days: 7, partial })

describe(scopeOfRoute.name, () => {
  it('reads the scope from the route\'s name and parameters', () => {
    expect(scopeOfRoute('review', {})).toBe('city')
    expect(scopeOfRoute('review-town', { code: '441900004' })).toBe('town:441900004')
    expect(scopeOfRoute('review-dept', { id: 'dg-eco-env' })).toBe('dept:dg-eco-env')
  })
})

describe(rangeOfQuery.name, () => {
  it('takes a known range and falls back to 7 days', () => {
    expect(rangeOfQuery({ range: 'quarter' })).toBe('quarter')
    expect(rangeOfQuery({ range: 'year' })).toBe('7d')
    expect(rangeOfQuery({})).toBe('7d')
  })
})

describe(reviewQuery.name, () => {
  it('asks for the scope and range, and the dates of a custom range', () => {
    expect(reviewQuery('town:441900004', '30d', { from: '', to: '' })).toBe('scope=town%3A441900004&range=30d')
    expect(reviewQuery('city', 'custom', { from: '2026-11-01', to: '2026-11-30' })).toBe('scope=city&range=custom&from=2026-11-01&to=2026-11-30')
  })

  it('asks nothing for a custom range without both dates or ending before it starts', () => {
    expect(reviewQuery('city', 'custom', { from: '2026-11-01', to: '' })).toBeNull()
    expect(reviewQuery('city', 'custom', { from: '2026-11-02', to: '2026-11-01' })).toBeNull()
  })
})

describe(periodText.name, () => {
  it('writes the period in full and the compared one without its year', () => {
    const now = period('2026-11-27', '2026-12-03')
    expect(periodText(now, words)).toBe('2026-11-27 至 2026-12-03')
    expect(periodText(period('2026-11-20', '2026-11-26'), words, now)).toBe('11-20 至 11-26')
  })

  it('keeps the year across a new year, and writes one day once', () => {
    const now = period('2027-01-01', '2027-01-07')
    expect(periodText(period('2026-12-25', '2026-12-31'), words, now)).toBe('2026-12-25 至 2026-12-31')
    expect(periodText(period('2026-12-03', '2026-12-03'), words, period('2026-12-04', '2026-12-04'))).toBe('12-03')
  })

  it('says until when a period ends now, on the city\'s clock', () => {
    expect(periodText(period('2026-12-04', '2026-12-04', true, '2026-12-04T02:32:00Z'), words)).toBe('2026-12-04（截至 10:32）')
  })
})
