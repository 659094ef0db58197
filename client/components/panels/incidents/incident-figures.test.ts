import { describe, expect, it } from 'vitest'
import { incident, kpiSet, T0 } from '@shared/realtime/mirror.support'
import type { Department } from '@shared/schemas/city'
import { departmentLabel, natureShares, onTimeFigures, rankCounts, reportedInLastHour } from './incident-figures'

describe(natureShares.name, () => {
  it('lists the five natures in the scale\'s order with their shares, zeros kept', () => {
    expect(natureShares({ complaint: 6, consult: 2 })).toEqual([
      { nature: 'consult', count: 2, share: 0.25 },
      { nature: 'help', count: 0, share: 0 },
      { nature: 'complaint', count: 6, share: 0.75 },
      { nature: 'report', count: 0, share: 0 },
      { nature: 'suggestion', count: 0, share: 0 },
    ])
    expect(natureShares({}).every(n => n.share === null)).toBe(true)
  })
})

describe(rankCounts.name, () => {
  it('ranks by count, most first, ties by key, leaving zeros out', () => {
    expect(rankCounts({ b: 3, a: 3, c: 9, d: 0 }, 5)).toEqual([{ key: 'c', count: 9 }, { key: 'a', count: 3 }, { key: 'b', count: 3 }])
  })

  it('puts what does not fit into one last row, so the ranking still adds up to the whole', () => {
    const ranked = rankCounts({ a: 9, b: 5, c: 2, d: 1 }, 3)
    expect(ranked).toEqual([{ key: 'a', count: 9 }, { key: 'b', count: 5 }, { key: null, count: 3 }])
    expect(ranked.reduce((s, r) => s + r.count, 0)).toBe(17)
  })
})

describe(departmentLabel.name, () => {
  const city = { name: '东莞市', nameEn: 'Dongguan' }
  const dept: Department = { id: 'dg-eco-env', name: '东莞市生态环境局', nameEn: 'Dongguan Ecology and Environment Bureau' }
  it('drops the city\'s name every city department carries', () => {
    expect(departmentLabel(dept, 'zh-CN', city)).toBe('生态环境局')
    expect(departmentLabel(dept, 'en', city)).toBe('Ecology and Environment Bureau')
  })
  it('keeps other names whole', () => {
    const town: Department = { id: 'town-1', name: '南城街道办事处', nameEn: 'Nancheng Subdistrict Office', townCode: '441900004' }
    expect(departmentLabel(town, 'zh-CN', city)).toBe('南城街道办事处')
    expect(departmentLabel(town, 'en', city)).toBe('Nancheng Subdistrict Office')
    expect(departmentLabel({ ...dept, name: '东莞市' }, 'zh-CN', city)).toBe('东莞市')
  })
})

describe(onTimeFigures.name, () => {
  it('gives the rate, its day-ago value, closures split into on time and late, and overdue', () => {
    const set = kpiSet(0, 40)
    set.incidents.onTimeRate = { value: 0.9167, dayAgo: 0.95, weekAgo: null }
    set.incidents.closedToday = { value: 12, dayAgo: 10, weekAgo: null }
    set.incidents.overdue = { value: 3, dayAgo: null, weekAgo: null }
    expect(onTimeFigures(set.incidents)).toEqual({ rate: 0.9167, rateDayAgo: 0.95, closedToday: 12, closedDayAgo: 10, overdue: 3, overdueDayAgo: null, onTime: 11, late: 1 })
  })

  it('has no split before the day\'s first closure', () => {
    const f = onTimeFigures(kpiSet(0, 40).incidents)
    expect([f.rate, f.onTime, f.late]).toEqual([null, null, null])
  })
})

describe(reportedInLastHour.name, () => {
  const now = T0 + 120 * 60_000
  it('counts the orders reported in the hour before the server\'s now', () => {
    const held = [incident('sim:1', 119, 119), incident('sim:2', 61, 61), incident('sim:3', 60, 60), incident('sim:4', 10, 10)]
    expect(reportedInLastHour(held, now, 500)).toEqual({ count: 2, atLeast: false })
  })

  it('says "at least" when the orders the wall holds are all from the last hour (older ones were let go)', () => {
    const held = [incident('sim:1', 119, 119), incident('sim:2', 100, 100)]
    expect(reportedInLastHour(held, now, 2)).toEqual({ count: 2, atLeast: true })
  })
})
