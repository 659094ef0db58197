import { describe, expect, it } from 'vitest'
import { buildReviewBarsOption } from './review-bars.option'

describe(buildReviewBarsOption.name, () => {
  it('draws each series over the categories, a legend only for more than one', () => {
    const one = buildReviewBarsOption({ categories: ['11-27', '11-28'], series: [{ id: 'v', name: '取号量', values: [9180, 4120], color: '#3fb6ff' }], rem: 16 })
    expect(one.legend).toMatchObject({ show: false })
    expect((one.series as { data: { value: number }[] }[])[0]!.data.map(d => d.value)).toEqual([9180, 4120])
    const two = buildReviewBarsOption({
      categories: ['11-27'],
      series: [{ id: 'a', name: '受理', values: [1010], color: '#3fb6ff' }, { id: 'c', name: '办结', values: [930], color: '#1fd286', kind: 'line' }],
      rem: 16,
    })
    expect(two.legend).toMatchObject({ show: true })
    expect((two.series as { type: string }[]).map(s => s.type)).toEqual(['bar', 'line'])
  })

  it('colours each bar its own when given one colour per value, and keeps gaps', () => {
    const option = buildReviewBarsOption({ categories: ['a', 'b'], series: [{ id: 't', name: 'TPI', values: [3.9, null], color: ['#91CF60', '#FEE08B'] }], rem: 16, max: 10 })
    const data = (option.series as { data: { value: number | null, itemStyle: { color: string } }[] }[])[0]!.data
    expect(data).toEqual([{ value: 3.9, itemStyle: { color: '#91CF60' } }, { value: null, itemStyle: { color: '#FEE08B' } }])
    expect(option.yAxis).toMatchObject({ min: 0, max: 10 })
  })

  it('sizes text by the root font (a 4K screen doubles it)', () => {
    const at = (rem: number) => (buildReviewBarsOption({ categories: [], series: [], rem }).xAxis as { axisLabel: { fontSize: number } }).axisLabel.fontSize
    expect(at(32)).toBe(2 * at(16))
  })
})
