import { describe, expect, it } from 'vitest'
import { exportUrl, generateRequest, madeAtText, reportPeriodText, reportSpan } from './review-reports'

describe('the reports panel\'s derivations', () => {
  it('spans a daily report over its day and a weekly one over Monday to Sunday', () => {
    expect(reportSpan({ kind: 'daily', periodStart: '2026-12-03' })).toEqual({ from: '2026-12-03', to: '2026-12-03' })
    expect(reportSpan({ kind: 'weekly', periodStart: '2026-11-30' })).toEqual({ from: '2026-11-30', to: '2026-12-06' })
    // A week across the new year keeps both years.
    expect(reportSpan({ kind: 'weekly', periodStart: '2026-12-28' })).toEqual({ from: '2026-12-28', to: '2027-01-03' })
  })

  it('writes the period as the report does in Chinese, and in ISO dates in English', () => {
    expect(reportPeriodText({ kind: 'daily', periodStart: '2026-12-03' }, 'zh-CN')).toBe('2026年12月3日')
    expect(reportPeriodText({ kind: 'weekly', periodStart: '2026-11-30' }, 'zh-CN')).toBe('2026年11月30日至12月6日')
    expect(reportPeriodText({ kind: 'weekly', periodStart: '2026-12-28' }, 'zh-CN')).toBe('2026年12月28日至2027年1月3日')
    expect(reportPeriodText({ kind: 'daily', periodStart: '2026-12-03' }, 'en')).toBe('2026-12-03')
    expect(reportPeriodText({ kind: 'weekly', periodStart: '2026-11-30' }, 'en')).toBe('2026-11-30 – 2026-12-06')
  })

  it('gives the time a report was made in the city\'s time zone', () => {
    // 16:05 UTC is five past midnight the next day in Dongguan.
    expect(madeAtText('2026-12-03T16:05:00.000Z')).toBe('2026-12-04 00:05')
  })

  it('asks for the server\'s default day when no date is picked, and escapes the id in the download address', () => {
    expect(generateRequest('daily', '')).toEqual({ kind: 'daily' })
    expect(generateRequest('weekly', '2026-12-02')).toEqual({ kind: 'weekly', day: '2026-12-02' })
    expect(exportUrl('weekly-2026-11-30', 'xlsx')).toBe('/api/review/reports/weekly-2026-11-30/export?format=xlsx')
    expect(exportUrl('a/b', 'csv')).toBe('/api/review/reports/a%2Fb/export?format=csv')
  })
})
