import { describe, expect, it } from 'vitest'
import type { OnTimeBar } from './on-time-close.option'
import { BELOW_CITY_COLOR, buildOnTimeCloseOption, ON_TIME_COLOR } from './on-time-close.option'

const bars: OnTimeBar[] = [
  { id: 'a', name: '生态环境局', rate: 0.95 },
  { id: 'b', name: '城市管理局', rate: 0.5 },
  { id: 'c', name: '交通运输局', rate: null },
]

type Option = ReturnType<typeof buildOnTimeCloseOption>
const series = (o: Option) => (o.series as { data: { value: number | null, itemStyle: { color: string }, label: { formatter: string } }[], markLine?: { data: { xAxis: number }[], label: { formatter: string } } }[])[0]!

describe(buildOnTimeCloseOption.name, () => {
  it('draws the departments in the order given on a 0–100 % axis, each bar its rate in percent', () => {
    const o = buildOnTimeCloseOption({ bars, cityRate: 0.8, rem: 16, nameRem: 9, cityLabel: '全市' })
    expect(o.xAxis).toMatchObject({ type: 'value', min: 0, max: 100 })
    expect(o.yAxis).toMatchObject({ type: 'category', inverse: true, data: ['生态环境局', '城市管理局', '交通运输局'] })
    expect(series(o).data.map(d => d.value)).toEqual([95, 50, null])
  })

  it('writes each rate beside its bar, "—" where nothing was closed', () => {
    const o = buildOnTimeCloseOption({ bars, cityRate: 0.8, rem: 16, nameRem: 9, cityLabel: '全市' })
    expect(series(o).data.map(d => d.label.formatter)).toEqual(['95.0%', '50.0%', '—'])
  })

  it('marks departments below the city\'s rate in another colour and draws the city\'s line', () => {
    const o = buildOnTimeCloseOption({ bars, cityRate: 0.8, rem: 16, nameRem: 9, cityLabel: '全市' })
    expect(series(o).data.map(d => d.itemStyle.color)).toEqual([ON_TIME_COLOR, BELOW_CITY_COLOR, ON_TIME_COLOR])
    expect(series(o).markLine?.data).toEqual([{ xAxis: 80 }])
    expect(series(o).markLine?.label.formatter).toBe('全市 80.0%')
  })

  it('has no city line when the city has nothing to rate', () => {
    const o = buildOnTimeCloseOption({ bars, cityRate: null, rem: 16, nameRem: 9, cityLabel: '全市' })
    expect(series(o).markLine).toBeUndefined()
    expect(series(o).data.every(d => d.itemStyle.color === ON_TIME_COLOR)).toBe(true)
  })

  it('sizes its text in rem: at 4K twice its 1080p size, never under the wall\'s 0.8rem floor', () => {
    const font = (o: Option): number => (o.yAxis as { axisLabel: { fontSize: number } }).axisLabel.fontSize
    const small = buildOnTimeCloseOption({ bars, cityRate: 0.8, rem: 16, nameRem: 9, cityLabel: '全市' })
    const large = buildOnTimeCloseOption({ bars, cityRate: 0.8, rem: 32, nameRem: 9, cityLabel: '全市' })
    expect(font(large)).toBe(2 * font(small))
    expect(font(small)).toBeGreaterThanOrEqual(0.8 * 16)
    expect(large.grid).toMatchObject({ left: 288 })
  })
})
