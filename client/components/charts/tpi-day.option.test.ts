import { describe, expect, it } from 'vitest'
import { CONGESTION_GRADE_INFO } from '@shared/traffic/congestion'
import { buildTpiDayOption, LAST_WEEK_COLOR } from './tpi-day.option'

const HOUR_MS = 3_600_000
const DAY = Date.parse('2026-11-22T16:00:00.000Z')
const names = { today: '今日', lastWeek: '上周一', grades: CONGESTION_GRADE_INFO.map(g => g.zh) }
const WIDE = { width: 40, height: 16 }
const base = { day: { start: DAY, end: DAY + 24 * HOUR_MS }, now: DAY + 9 * HOUR_MS, names, rem: 32, size: WIDE }

describe(buildTpiDayOption.name, () => {
  const option = buildTpiDayOption({ ...base, today: [[DAY + 60_000, 2.1]], lastWeek: [[DAY + 1_800_000, 6.6]] })
  const series = option.series as { id: string, data: unknown[], lineStyle: { type?: string }, markArea?: { data: [{ yAxis: number, itemStyle: { color: string } }, { yAxis: number }][] }, markLine?: { data: { xAxis: number }[] } }[]

  it('spans the whole local day 00:00 → 24:00 on the standard\'s 0–10 scale, axis text in the wall\'s rem (≥ 0.8rem)', () => {
    expect(option.xAxis).toMatchObject({ type: 'time', min: DAY, max: DAY + 24 * HOUR_MS })
    expect((option.yAxis as unknown[])[0]).toMatchObject({ min: 0, max: 10, axisLabel: { customValues: [0, 2, 4, 6, 8, 10] } })
    const label = (option.xAxis as { axisLabel: { fontSize: number, formatter: (v: number) => string, customValues: number[] } }).axisLabel
    expect(label.fontSize).toBeGreaterThanOrEqual(0.8 * 32)
    expect(label.customValues.map(label.formatter)).toEqual(['00:00', '03:00', '06:00', '09:00', '12:00', '15:00', '18:00', '21:00', '24:00'])
  })

  it('draws today over the five grade bands in the grade colours, with now marked, and last week dashed', () => {
    expect(series.map(s => s.id)).toEqual(['today', 'last-week'])
    expect(series[0]?.data).toEqual([[DAY + 60_000, 2.1]])
    const bands = series[0]?.markArea?.data ?? []
    expect(bands.map(([from, to]) => [from.yAxis, to.yAxis])).toEqual([[0, 2], [2, 4], [4, 6], [6, 8], [8, 10]])
    expect(bands[4]?.[0].itemStyle.color).toBe('rgba(215, 48, 39, 0.1)')
    expect(series[0]?.markLine?.data).toEqual([{ xAxis: base.now }])
    expect(series[1]).toMatchObject({ data: [[DAY + 1_800_000, 6.6]], lineStyle: { type: 'dashed', color: LAST_WEEK_COLOR } })
    // Today's line takes its grade's colour (visualMap on series 0 only).
    expect(option.visualMap).toMatchObject({ seriesIndex: 0, pieces: [{ gte: 0, lt: 2, color: '#1A9850' }, {}, {}, {}, { gte: 8, color: '#D73027' }] })
  })

  it('names the grades on the right, at their bands\' middles, outside the plot', () => {
    const names = (option.yAxis as { show: boolean, position: string, axisLabel: { customValues: number[], formatter: (v: number) => string } }[])[1]!
    expect(names).toMatchObject({ show: true, position: 'right', min: 0, max: 10 })
    expect(names.axisLabel.customValues.map(names.axisLabel.formatter)).toEqual(['畅通', '基本畅通', '轻度拥堵', '中度拥堵', '严重拥堵'])
    expect(names.axisLabel.customValues).toEqual([1, 3, 5, 7, 9])
    expect((option.grid as { right: number }).right).toBeGreaterThanOrEqual(3.4 * 32)
  })

  it('labels fewer hours and values, and names no grade, in a short narrow panel', () => {
    const small = buildTpiDayOption({ ...base, today: [], lastWeek: null, size: { width: 14, height: 6 } })
    const x = (small.xAxis as { axisLabel: { formatter: (v: number) => string, customValues: number[] } }).axisLabel
    expect(x.customValues.map(x.formatter)).toEqual(['00:00', '12:00', '24:00'])
    const [values, names] = small.yAxis as [{ axisLabel: { customValues: number[] } }, { show: boolean }]
    expect(values.axisLabel.customValues).toEqual([0, 4, 8])
    expect(names.show).toBe(false)
    // Short but wide: the names that fit one above the other.
    const flat = buildTpiDayOption({ ...base, today: [], lastWeek: null, size: { width: 30, height: 6 } })
    const flatNames = (flat.yAxis as { axisLabel: { customValues: number[] } }[])[1]!
    expect(flatNames.axisLabel.customValues).toEqual([1, 5, 9])
  })

  it('draws no last-week line when there is none', () => {
    const without = buildTpiDayOption({ ...base, today: [], lastWeek: null })
    expect((without.series as { data: unknown[] }[])[1]?.data).toEqual([])
  })
})
