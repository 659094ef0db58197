import { describe, expect, it } from 'vitest'
import { TREND_STEP_MS, TREND_WINDOW_MS } from '@client/stores/trend-series'
import { buildTrendSparklineOption, sparklineData } from './trend-sparkline.option'

const T0 = Date.parse('2026-11-23T00:00:00.000Z')
const bucket = (i: number, mean: number, n = 2): { t: number, n: number, sum: number } => ({ t: T0 + i * TREND_STEP_MS, n, sum: mean * n })

describe(sparklineData.name, () => {
  it('gives each bucket its mean at the digits asked for', () => {
    expect(sparklineData([bucket(0, 1.26), bucket(1, 2.04)], 1)).toEqual([[T0, 1.3], [T0 + TREND_STEP_MS, 2]])
    expect(sparklineData([bucket(0, 41.5)], 0)).toEqual([[T0, 42]])
  })

  it('breaks the line where buckets are more than three apart (the server or the feed was away)', () => {
    expect(sparklineData([bucket(0, 1), bucket(3, 2), bucket(7, 3)], 0)).toEqual([
      [T0, 1],
      [T0 + 3 * TREND_STEP_MS, 2],
      [T0 + 4 * TREND_STEP_MS, null],
      [T0 + 7 * TREND_STEP_MS, 3],
    ])
    expect(sparklineData([], 0)).toEqual([])
  })
})

describe(buildTrendSparklineOption.name, () => {
  it('spans the whole 24-hour window ending at `end`, from zero, in the metric\'s colour and the wall\'s rem', () => {
    const end = T0 + 10 * TREND_STEP_MS
    const option = buildTrendSparklineOption([bucket(0, 5)], { color: '#ffb020', rem: 32, end, digits: 0 })
    expect(option.xAxis).toMatchObject({ type: 'time', min: end - TREND_WINDOW_MS, max: end, axisLabel: { fontSize: 24 } })
    expect(option.yAxis).toMatchObject({ type: 'value', min: 0 })
    expect(option.series).toMatchObject([{ type: 'line', lineStyle: { color: '#ffb020' }, data: [[T0, 5]] }])
  })
})

describe('the sparkline\'s time axis', () => {
  it('is labelled at 00:00, 06:00, 12:00 and 18:00 China time within the window, whatever the time zone here', () => {
    // 2026-11-23 07:10 China time, and the day before.
    const end = Date.parse('2026-11-22T23:10:00.000Z')
    const option = buildTrendSparklineOption([], { color: '#ffb020', rem: 16, end, digits: 0 })
    const ticks = (option.xAxis as { axisLabel: { customValues: number[] } }).axisLabel.customValues
    expect(ticks.map(t => new Date(t).toISOString())).toEqual([
      '2026-11-22T04:00:00.000Z', // 12:00 on the 22nd in Dongguan
      '2026-11-22T10:00:00.000Z',
      '2026-11-22T16:00:00.000Z', // midnight
      '2026-11-22T22:00:00.000Z',
    ])
  })
})
