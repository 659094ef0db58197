import { describe, expect, it } from 'vitest'
import type { DispatchCounts } from '@shared/schemas/work-orders'
import { belowTarget, bestFirst, formatRate, rankBy, rateFigure } from './dispatch-rates'

const counts = (c: Partial<DispatchCounts>): DispatchCounts => ({ dispatched: 0, signed: 0, signedOnTime: 0, closed: 0, closedOnTime: 0, resolved: 0, revisited: 0, satisfied: 0, returned: 0, reopened: 0, overdueOpen: 0, ...c })

describe(rateFigure.name, () => {
  it('divides each rate\'s own counts and keeps them for the "x / y" beside it', () => {
    const c = counts({ dispatched: 20, signed: 16, signedOnTime: 12, closed: 12, closedOnTime: 9, resolved: 11, revisited: 8, satisfied: 6, returned: 2, reopened: 2 })
    expect(rateFigure(c, 'signOnTime')).toEqual({ key: 'signOnTime', part: 12, whole: 16, value: 0.75 })
    expect(rateFigure(c, 'closeOnTime')).toEqual({ key: 'closeOnTime', part: 9, whole: 12, value: 0.75 })
    expect(rateFigure(c, 'resolution').value).toBeCloseTo(11 / 12)
    expect(rateFigure(c, 'satisfaction').value).toBe(0.75)
    expect(rateFigure(c, 'returns')).toMatchObject({ part: 2, whole: 20, value: 0.1 })
    expect(rateFigure(c, 'reopens')).toMatchObject({ part: 2, whole: 8, value: 0.25 })
  })

  it('has no value when there is nothing to rate', () => {
    expect(rateFigure(counts({ dispatched: 3 }), 'closeOnTime')).toEqual({ key: 'closeOnTime', part: 0, whole: 0, value: null })
  })
})

describe(formatRate.name, () => {
  it('writes one decimal, and "—" (never 0 %) for nothing to rate', () => {
    expect(formatRate(11 / 12)).toBe('91.7%')
    expect(formatRate(0)).toBe('0.0%')
    expect(formatRate(1)).toBe('100.0%')
    expect(formatRate(null)).toBe('—')
  })
})

describe(belowTarget.name, () => {
  it('compares 解决率 with Dongguan\'s 92 % target; nothing closed is not below it', () => {
    expect(belowTarget(counts({ closed: 100, resolved: 91 }))).toBe(true)
    expect(belowTarget(counts({ closed: 100, resolved: 92 }))).toBe(false)
    expect(belowTarget(counts({ dispatched: 5 }))).toBe(false)
  })
})

describe(rankBy.name, () => {
  const rows = [
    { name: '乙局', ...counts({ closed: 4, closedOnTime: 2, dispatched: 10, returned: 1 }) },
    { name: '甲局', ...counts({ closed: 4, closedOnTime: 4, dispatched: 10, returned: 3 }) },
    { name: '丙局', ...counts({ dispatched: 2 }) },
    { name: '丁局', ...counts({ closed: 2, closedOnTime: 1, dispatched: 10 }) },
  ]
  it('ranks by the rate in either direction, those with nothing to rate last, ties by name', () => {
    // 甲 100 %, 乙 and 丁 50 % (丁 before 乙 by name: dīng, yǐ), 丙 nothing closed.
    expect(rankBy(rows, 'closeOnTime', 'desc').map(r => r.name)).toEqual(['甲局', '丁局', '乙局', '丙局'])
    expect(rankBy(rows, 'closeOnTime', 'asc').map(r => r.name).at(-1)).toBe('丙局')
    expect(rankBy(rows, 'closeOnTime', 'asc')[2]?.name).toBe('甲局')
  })

  it('puts the fewest returns first as best', () => {
    expect(bestFirst('returns')).toBe('asc')
    expect(bestFirst('resolution')).toBe('desc')
    expect(rankBy(rows, 'returns', bestFirst('returns')).map(r => r.name)).toEqual(['丙局', '丁局', '乙局', '甲局'])
  })
})
