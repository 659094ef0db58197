import { describe, expect, it } from 'vitest'
import type { AqiResult } from '@shared/schemas/air'
import { buildPollutantMixOption, pollutantBars } from './pollutant-mix.option'

const aqi: AqiResult = {
  aqi: 107,
  level: 3,
  iaqi: { pm25: 107, o3_1h: 40, no2: 12, co: 5 },
  primary: ['pm25'],
  exceeding: ['pm25'],
  indicative: false,
  aboveScale: false,
}

describe(pollutantBars.name, () => {
  it('lists the rated pollutants largest first, each in its level\'s colour, the primary marked', () => {
    expect(pollutantBars(aqi)).toEqual([
      { pollutant: 'pm25', label: 'PM₂.₅', iaqi: 107, color: '#FF7E00', primary: true },
      { pollutant: 'o3_1h', label: 'O₃', iaqi: 40, color: '#00E400', primary: false },
      { pollutant: 'no2', label: 'NO₂', iaqi: 12, color: '#00E400', primary: false },
      { pollutant: 'co', label: 'CO', iaqi: 5, color: '#00E400', primary: false },
    ])
    // Ties keep the standard's order.
    expect(pollutantBars({ ...aqi, iaqi: { co: 20, pm10: 20, so2: 30 }, primary: [] }).map(b => b.pollutant)).toEqual(['so2', 'pm10', 'co'])
    expect(pollutantBars({ ...aqi, iaqi: {}, primary: [] })).toEqual([])
  })
})

describe(buildPollutantMixOption.name, () => {
  const bars = pollutantBars(aqi)
  const option = buildPollutantMixOption({ bars, names: { primary: '首要' }, rem: 16 })
  const series = (option.series as { data: { value: number, itemStyle: { color: string } }[], label: { formatter: (p: { dataIndex: number }) => string }, markLine: { data: { xAxis: number }[] } }[])[0]!

  it('draws one bar per pollutant with its IAQI, the 首要 mark on the primary one, and the IAQI 100 line', () => {
    expect(series.data.map(d => [d.value, d.itemStyle.color])).toEqual(bars.map(b => [b.iaqi, b.color]))
    expect(series.label.formatter({ dataIndex: 0 })).toBe('107 首要')
    expect(series.label.formatter({ dataIndex: 1 })).toBe('40')
    expect(series.markLine.data).toEqual([{ xAxis: 100 }])
    expect((option.yAxis as { data: string[] }).data).toEqual(['PM₂.₅', 'O₃', 'NO₂', 'CO'])
  })

  it('leaves room inside the axis for the longest label (the primary one is the highest bar)', () => {
    const max = (option.xAxis as { max: number }).max
    expect(max).toBeGreaterThanOrEqual(107 * 1.45)
    expect(max % 50).toBe(0)
  })
})
