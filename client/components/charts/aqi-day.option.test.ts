import { describe, expect, it } from 'vitest'
import { AQI_LEVELS } from '@shared/air/levels'
import { aqiAxisTop, buildAqiDayOption } from './aqi-day.option'

const HOUR_MS = 3_600_000
const END = Date.parse('2026-11-23T01:30:00.000Z')
const names = AQI_LEVELS.map(l => l.zh)

describe(aqiAxisTop.name, () => {
  it('reaches the top of the level the day reached, at least 轻度污染 (150), at most the table\'s 500', () => {
    expect(aqiAxisTop([20, null, 40])).toBe(150)
    expect(aqiAxisTop([151])).toBe(200)
    expect(aqiAxisTop([201])).toBe(300)
    expect(aqiAxisTop([350])).toBe(500)
    expect(aqiAxisTop([])).toBe(150)
  })
})

describe(buildAqiDayOption.name, () => {
  it('covers the 24 hours before the server\'s now, with one HJ 633 band per level up to the axis top', () => {
    const option = buildAqiDayOption({ data: [[END - HOUR_MS, 120], [END, null]], end: END, levelNames: names, rem: 16, size: { width: 30, height: 14 } })
    expect(option.xAxis).toMatchObject({ type: 'time', min: END - 24 * HOUR_MS, max: END })
    expect((option.yAxis as unknown[])[0]).toMatchObject({ min: 0, max: 150 })
    const series = (option.series as { data: unknown[], markArea: { data: [{ yAxis: number, itemStyle: { color: string } }, { yAxis: number }][] } }[])[0]!
    expect(series.data).toEqual([[END - HOUR_MS, 120], [END, null]])
    expect(series.markArea.data.map(([from, to]) => [from.yAxis, to.yAxis, from.itemStyle.color])).toEqual([
      [0, 50, 'rgba(0, 228, 0, 0.1)'],
      [50, 100, 'rgba(255, 255, 0, 0.1)'],
      [100, 150, 'rgba(255, 126, 0, 0.1)'],
    ])
    const levelAxis = (option.yAxis as { show: boolean, axisLabel: { customValues: number[], formatter: (v: number) => string } }[])[1]!
    expect(levelAxis.show).toBe(true)
    expect(levelAxis.axisLabel.customValues.map(levelAxis.axisLabel.formatter)).toEqual(['优', '良', '轻度污染'])
  })

  it('colours the line by level with the standard\'s colours and boundaries', () => {
    const option = buildAqiDayOption({ data: [], end: END, levelNames: names, rem: 16, size: { width: 30, height: 14 } })
    expect(option.visualMap).toMatchObject({ dimension: 1, pieces: [
      { gt: -1, lte: 50, color: '#00E400' },
      { gt: 50, lte: 100, color: '#FFFF00' },
      { gt: 100, lte: 150, color: '#FF7E00' },
      { gt: 150, lte: 200, color: '#FF0000' },
      { gt: 200, lte: 300, color: '#99004C' },
      { gt: 300, color: '#7E0023' },
    ] })
  })

  it('labels only the level boundaries that fit, and names the levels only in a wide chart', () => {
    const tall = buildAqiDayOption({ data: [[END, 320]], end: END, levelNames: names, rem: 16, size: { width: 30, height: 24 } })
    expect((tall.yAxis as { axisLabel: { customValues: number[] } }[])[0]?.axisLabel.customValues).toEqual([0, 50, 100, 150, 200, 300, 500])
    const short = buildAqiDayOption({ data: [[END, 320]], end: END, levelNames: names, rem: 16, size: { width: 18, height: 7 } })
    const [values, levels] = short.yAxis as [{ axisLabel: { customValues: number[] } }, { show: boolean }]
    expect(values.axisLabel.customValues).toEqual([0, 150, 300, 500])
    expect(levels.show).toBe(false)
    const x = (short.xAxis as { axisLabel: { formatter: (v: number) => string, customValues: number[] } }).axisLabel
    expect(x.customValues.map(x.formatter)).toEqual(['12:00', '18:00', '00:00', '06:00'])
  })

  it('names the levels in the locale given, as many as fit, and sizes text by the wall\'s rem', () => {
    const option = buildAqiDayOption({ data: [[END, 420]], end: END, levelNames: AQI_LEVELS.map(l => l.en), rem: 32, size: { width: 30, height: 12 } })
    const names = (option.yAxis as { axisLabel: { fontSize: number, customValues: number[], formatter: (v: number) => string } }[])[1]!
    expect(names.axisLabel.customValues.map(names.axisLabel.formatter)).toEqual(['Excellent', 'Lightly polluted', 'Heavily polluted', 'Severely polluted'])
    expect(names.axisLabel.fontSize).toBeGreaterThanOrEqual(0.8 * 32)
  })
})
