import { describe, expect, it } from 'vitest'
import { buildReviewCompareOption, CURRENT_COLOR, PREVIOUS_COLOR } from './review-compare.option'

const bars = [
  { id: 'city-management', name: '城市管理', value: 2310, previous: 2190 },
  { id: 'environment', name: '环境保护', value: 930, previous: null },
]
const input = { bars, rem: 16, nameRem: 6, currentLabel: '本期', previousLabel: '上期', withPrevious: true }

describe(buildReviewCompareOption.name, () => {
  it('ranks rows top-down as given, this period\'s figure written at the bar\'s end', () => {
    const option = buildReviewCompareOption(input)
    expect(option.yAxis).toMatchObject({ inverse: true, data: ['城市管理', '环境保护'] })
    const current = (option.series as { id: string, data: { value: number, itemStyle: { color: string }, label: { formatter: string } }[] }[])[0]!
    expect(current.data[0]).toMatchObject({ value: 2310, itemStyle: { color: CURRENT_COLOR }, label: { formatter: '2310' } })
  })

  it('draws the previous period as a thin grey bar, none where it had nothing', () => {
    const option = buildReviewCompareOption(input)
    const previous = (option.series as { id: string, data: (number | null)[], itemStyle: { color: string } }[])[1]!
    expect(previous).toMatchObject({ id: 'previous', data: [2190, null], itemStyle: { color: PREVIOUS_COLOR } })
    expect(option.legend).toMatchObject({ show: true })
  })

  it('leaves the previous series out when asked, and keeps a row\'s own colour and decimals', () => {
    const option = buildReviewCompareOption({ ...input, withPrevious: false, digits: 1, bars: [{ id: 'severe', name: '严重拥堵', value: 23.14, previous: 21.5, color: '#D73027' }] })
    expect((option.series as unknown[]).length).toBe(1)
    expect((option.series as { data: { itemStyle: { color: string }, label: { formatter: string } }[] }[])[0]!.data[0]).toMatchObject({ itemStyle: { color: '#D73027' }, label: { formatter: '23.1' } })
  })
})
