import { describe, expect, it } from 'vitest'
import { cityDate, cityDayStart, cityMidnight, periodRange } from './dispatch-period'

// 2026-03-10 09:30 in Dongguan (01:30 UTC).
const NOW = Date.parse('2026-03-10T01:30:00Z')

describe(periodRange.name, () => {
  it('starts today at the city\'s midnight, not the browser\'s or UTC\'s', () => {
    expect(periodRange('today', NOW, { from: '', to: '' })).toEqual({ from: '2026-03-09T16:00:00.000Z', to: '2026-03-10T01:30:00.000Z' })
    expect(cityMidnight(Date.parse('2026-03-10T15:59:59Z'))).toBe(Date.parse('2026-03-09T16:00:00Z'))
    expect(cityMidnight(Date.parse('2026-03-10T16:00:00Z'))).toBe(Date.parse('2026-03-10T16:00:00Z'))
  })

  it('covers the last 7 or 30 days up to now', () => {
    expect(periodRange('week', NOW, { from: '', to: '' })).toEqual({ from: '2026-03-03T01:30:00.000Z', to: '2026-03-10T01:30:00.000Z' })
    expect(periodRange('month', NOW, { from: '', to: '' })?.from).toBe('2026-02-08T01:30:00.000Z')
  })

  it('takes whole city days for dates of one\'s own, the last day included', () => {
    expect(periodRange('custom', NOW, { from: '2026-03-01', to: '2026-03-02' })).toEqual({ from: '2026-02-28T16:00:00.000Z', to: '2026-03-02T16:00:00.000Z' })
    expect(periodRange('custom', NOW, { from: '2026-03-05', to: '2026-03-05' })).toEqual({ from: '2026-03-04T16:00:00.000Z', to: '2026-03-05T16:00:00.000Z' })
  })

  it('has no range for a missing date or an end before the start', () => {
    expect(periodRange('custom', NOW, { from: '', to: '2026-03-02' })).toBeNull()
    expect(periodRange('custom', NOW, { from: '2026-03-03', to: '2026-03-02' })).toBeNull()
    expect(cityDayStart('3/2/2026')).toBeNull()
  })

  it('names the city\'s date of an instant', () => {
    expect(cityDate(Date.parse('2026-03-09T16:00:00Z'))).toBe('2026-03-10')
  })
})
