import { describe, expect, it } from 'vitest'
import { AQI_LEVELS } from '@shared/air/levels'
import { REVIEW_FIXTURE } from '@client/views/review/review.fixture'
import { aqiIsHourly, buildReviewAqiOption, INVALID_COLOR } from './review-aqi.option'

const air = REVIEW_FIXTURE.air!
const base = { fromAt: REVIEW_FIXTURE.period.fromAt, toAt: REVIEW_FIXTURE.period.toAt, invalidLabel: '无效日', rem: 16 }

interface BarItem { value: number | null, itemStyle: { color: string, borderType?: string }, label: { formatter: string } }
const bars = (option: ReturnType<typeof buildReviewAqiOption>): BarItem[] => (option.series as { data: BarItem[] }[])[0]!.data

describe(buildReviewAqiOption.name, () => {
  it('draws a bar per day in its HJ 633 level\'s colour, its AQI written above', () => {
    const option = buildReviewAqiOption({ ...base, days: air.days, hours: [] })
    expect((option.xAxis as { data: string[] }).data).toEqual(['11-27', '11-28', '11-29', '11-30', '12-01', '12-02', '12-03'])
    const [first, , third] = bars(option)
    expect(first).toMatchObject({ value: 46, itemStyle: { color: AQI_LEVELS[0].color }, label: { formatter: '46' } })
    expect(third).toMatchObject({ value: 72, itemStyle: { color: AQI_LEVELS[1].color } })
  })

  it('marks an invalid day grey and dashed, named, whatever its level', () => {
    const invalid = bars(buildReviewAqiOption({ ...base, days: air.days, hours: [] }))[3]!
    expect(air.days[3]!.valid).toBe(false)
    expect(invalid.itemStyle).toMatchObject({ color: INVALID_COLOR, borderType: 'dashed' })
    expect(invalid.label.formatter).toBe('无效日')
  })

  it('shows the hourly line over a single day, and the bars when no hour was measured', () => {
    const day = [air.days[0]!]
    const hours = [{ t: '2026-11-26T16:00:00Z', aqi: 40 }, { t: '2026-11-26T17:00:00Z', aqi: null }, { t: '2026-11-26T18:00:00Z', aqi: 55 }]
    expect(aqiIsHourly({ days: day, hours })).toBe(true)
    const option = buildReviewAqiOption({ ...base, days: day, hours })
    const series = (option.series as { type: string, data: [number, number | null][] }[])[0]!
    expect(series.type).toBe('line')
    expect(series.data[1]).toEqual([Date.parse('2026-11-26T17:00:00Z'), null])
    expect(aqiIsHourly({ days: day, hours: [{ t: '2026-11-26T16:00:00Z', aqi: null }] })).toBe(false)
  })

  it('scales the axis to the level reached, at least 150', () => {
    expect(buildReviewAqiOption({ ...base, days: air.days, hours: [] }).yAxis).toMatchObject({ max: 150 })
    const smoggy = air.days.map((d, i) => (i === 0 ? { ...d, aqi: 230, level: 5 as const } : d))
    expect(buildReviewAqiOption({ ...base, days: smoggy, hours: [] }).yAxis).toMatchObject({ max: 300 })
  })
})
