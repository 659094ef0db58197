import { describe, expect, it } from 'vitest'
import { TREND_STEP_MS } from '@client/stores/trend-series'
import { buildHallWaitTrendOption } from './hall-wait-trend.option'

/** 2026-11-23 00:00 in Dongguan. */
const MIDNIGHT = Date.parse('2026-11-22T16:00:00.000Z')
const HOUR_MS = 3_600_000
const bucket = (i: number, mean: number): { t: number, n: number, sum: number } => ({ t: MIDNIGHT + 9 * HOUR_MS + i * TREND_STEP_MS, n: 1, sum: mean })
const names = { avgWait: '平均等候', waiting: '等候人数', minutes: '分钟', people: '人', warnLine: '预警线 20 分钟' }

describe(buildHallWaitTrendOption.name, () => {
  const option = buildHallWaitTrendOption({ avgWait: [bucket(0, 12.34), bucket(1, 14)], waiting: [bucket(0, 30), bucket(5, 41)], dayStart: MIDNIGHT, warnWaitMin: 20, names, rem: 16 })
  const series = option.series as { id: string, yAxisIndex: number, data: [number, number | null][], markLine?: { data: { yAxis: number }[] } }[]

  it('spans the whole city day with the city\'s clock every 4 hours, 00:00 to 24:00', () => {
    const x = option.xAxis as { min: number, max: number, axisLabel: { customValues: number[], formatter: (v: number) => string } }
    expect([x.min, x.max]).toEqual([MIDNIGHT, MIDNIGHT + 24 * HOUR_MS])
    expect(x.axisLabel.customValues.map(x.axisLabel.formatter)).toEqual(['00:00', '04:00', '08:00', '12:00', '16:00', '20:00', '24:00'])
  })

  it('draws the mean wait (minutes, one decimal) on the left axis and people waiting on the right, gaps kept', () => {
    expect(series.find(s => s.id === 'avg-wait')).toMatchObject({ yAxisIndex: 0, data: [[bucket(0, 0).t, 12.3], [bucket(1, 0).t, 14]] })
    const waiting = series.find(s => s.id === 'waiting')
    expect(waiting?.yAxisIndex).toBe(1)
    // Five buckets apart: the line breaks instead of drawing across what was not recorded.
    expect(waiting?.data).toEqual([[bucket(0, 0).t, 30], [bucket(1, 0).t, null], [bucket(5, 0).t, 41]])
  })

  it('marks the warn threshold of the mean wait, and keeps it in view on a calm day', () => {
    expect(series.find(s => s.id === 'avg-wait')?.markLine?.data).toEqual([{ yAxis: 20 }])
    const left = (option.yAxis as { min: number, max: (e: { max: number }) => number }[])[0]
    expect(left?.min).toBe(0)
    expect(left?.max({ max: 14 })).toBeGreaterThanOrEqual(20)
    expect(left?.max({ max: 52.5 })).toBe(53)
  })
})
