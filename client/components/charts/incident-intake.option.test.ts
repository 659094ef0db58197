import { describe, expect, it } from 'vitest'
import { buildIncidentIntakeOption } from './incident-intake.option'

const names = { today: '今日', yesterday: '昨日' }
const hours = (values: (number | null)[]): (number | null)[] => [...values, ...Array.from({ length: 24 - values.length }, () => null)]

describe(buildIncidentIntakeOption.name, () => {
  it('draws today\'s hours as bars on 00–23, unknown hours empty (never 0), the hour in progress hollow', () => {
    const option = buildIncidentIntakeOption({ today: hours([12, null, 30, 7]), yesterday: hours([]), currentHour: 3, names, rem: 16 })
    expect(option.xAxis).toMatchObject({ type: 'category', data: expect.arrayContaining(['00', '12', '23']) as unknown })
    expect((option.xAxis as { data: string[] }).data).toHaveLength(24)
    const today = (option.series as { id: string, data: unknown[] }[]).find(s => s.id === 'today')
    expect(today?.data.slice(0, 5)).toEqual([12, '-', 30, expect.objectContaining({ value: 7, itemStyle: expect.objectContaining({ borderType: 'dashed' }) as unknown }), '-'])
  })

  it('adds yesterday as a dashed line with a legend only when some of it is known', () => {
    const without = buildIncidentIntakeOption({ today: hours([1]), yesterday: hours([]), currentHour: 0, names, rem: 16 })
    expect(without.legend).toMatchObject({ show: false })
    expect((without.series as { id: string, data: unknown[] }[]).find(s => s.id === 'yesterday')?.data).toEqual([])
    const withYesterday = buildIncidentIntakeOption({ today: hours([1]), yesterday: hours([5, null, 8]), currentHour: 0, names, rem: 16 })
    expect(withYesterday.legend).toMatchObject({ show: true, data: ['今日', '昨日'] })
    const line = (withYesterday.series as { id: string, type: string, data: unknown[], lineStyle: { type: string } }[]).find(s => s.id === 'yesterday')
    expect(line).toMatchObject({ type: 'line', lineStyle: { type: 'dashed' } })
    expect(line?.data.slice(0, 4)).toEqual([5, '-', 8, '-'])
  })

  it('keeps axis text at the wall\'s 0.8rem floor or above, and counts in whole orders', () => {
    const option = buildIncidentIntakeOption({ today: hours([1]), yesterday: hours([]), currentHour: 0, names, rem: 32 })
    expect((option.xAxis as { axisLabel: { fontSize: number } }).axisLabel.fontSize).toBeGreaterThanOrEqual(0.8 * 32)
    expect(option.yAxis).toMatchObject({ min: 0, minInterval: 1 })
  })
})
