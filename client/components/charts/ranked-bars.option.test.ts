import { describe, expect, it } from 'vitest'
import type { RankedBar } from './ranked-bars.option'
import { buildRankedBarsOption } from './ranked-bars.option'

const bars: RankedBar[] = [
  { id: 'H1', name: '南城街道', value: 58, color: '#ff4d4f', note: '◆严重', noteColor: '#ff4d4f', detail: '每窗 4.8' },
  { id: 'H2', name: '虎门镇', value: 31, color: '#3fb6ff' },
]

/** The figure column's label formatter, as ECharts calls it. */
function figures(option: ReturnType<typeof buildRankedBarsOption>): string[] {
  const axes = option.yAxis as { axisLabel: { formatter?: (value: string, index: number) => string } }[]
  const format = axes[1]?.axisLabel.formatter
  return bars.map((b, i) => format?.(b.name, i) ?? '')
}

describe(buildRankedBarsOption.name, () => {
  it('draws the bars in the order given, largest first at the top, each in its colour, on an axis from 0', () => {
    const option = buildRankedBarsOption({ bars, unit: '人', rem: 16, nameRem: 8, figureRem: 10 })
    expect(option.xAxis).toMatchObject({ type: 'value', min: 0 })
    expect(option.yAxis).toMatchObject([{ type: 'category', inverse: true, data: ['南城街道', '虎门镇'] }, { position: 'right', data: ['南城街道', '虎门镇'] }])
    expect(option.series).toMatchObject([{ type: 'bar', data: [{ value: 58, itemStyle: { color: '#ff4d4f' } }, { value: 31, itemStyle: { color: '#3fb6ff' } }] }])
  })

  it('writes each figure with its unit, its note (the state in words, not colour only) and its detail', () => {
    const option = buildRankedBarsOption({ bars, unit: '人', rem: 16, nameRem: 8, figureRem: 10 })
    expect(figures(option)).toEqual(['{value|58}{unit| 人}  {note0|◆严重}  {detail|每窗 4.8}', '{value|31}{unit| 人}'])
    const rich = (option.yAxis as { axisLabel: { rich?: Record<string, { color?: string }> } }[])[1]?.axisLabel.rich
    expect(rich?.note0?.color).toBe('#ff4d4f')
  })

  it('sizes text and columns in the wall\'s rem: names and figures at 4K are twice their 1080p size', () => {
    const small = buildRankedBarsOption({ bars, unit: '', rem: 16, nameRem: 8, figureRem: 10 })
    const large = buildRankedBarsOption({ bars, unit: '', rem: 32, nameRem: 8, figureRem: 10 })
    expect(small.grid).toMatchObject({ left: 128, right: 160 })
    expect(large.grid).toMatchObject({ left: 256, right: 320 })
    const nameFont = (o: typeof small): number | undefined => (o.yAxis as { axisLabel: { fontSize?: number } }[])[0]?.axisLabel.fontSize
    expect(nameFont(large)).toBe(2 * (nameFont(small) ?? 0))
    // The wall's floor for chart text: 0.8rem.
    expect(nameFont(small)).toBeGreaterThanOrEqual(0.8 * 16)
  })

  it('leaves out the unit when there is none', () => {
    expect(figures(buildRankedBarsOption({ bars, unit: '', rem: 16, nameRem: 8, figureRem: 10 }))[1]).toBe('{value|31}{unit|}')
  })
})
