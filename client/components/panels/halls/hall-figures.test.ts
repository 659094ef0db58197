import { describe, expect, it } from 'vitest'
import { hall } from '@shared/realtime/mirror.support'
import type { ServiceHall, Town } from '@shared/schemas/city'
import type { HallReading } from '@shared/schemas/halls'
import { hallLabel, mostBadRatings, ratingFigures, waitingTop } from './hall-figures'

const town: Town = { code: '441900004', name: '南城街道', pinyin: 'Nancheng', lng: 113.7, lat: 23, approx: true }
const towns = new Map([[town.code, town]])
const serviceHall = (id: string, name: string, level: 'city' | 'town'): ServiceHall => ({
  id, name, level, townCode: town.code, lng: 113.7, lat: 23, approx: true, windows: 10, businessTypes: ['社保'],
  hours: { workday: [[540, 1020]], saturday: [], sunday: [] },
})

describe(hallLabel.name, () => {
  it('drops the suffix every town hall shares in Chinese, and names the town in English', () => {
    expect(hallLabel(serviceHall('H1', '南城街道政务服务中心', 'town'), towns, 'zh-CN', '市民服务中心')).toBe('南城街道')
    expect(hallLabel(serviceHall('H1', '南城街道政务服务中心', 'town'), towns, 'en', 'City service centre')).toBe('Nancheng')
  })

  it('keeps a name that is only the suffix or lacks it, and calls the city\'s own hall by its word in English', () => {
    expect(hallLabel(serviceHall('C', '东莞市民服务中心', 'city'), towns, 'zh-CN', '市民服务中心')).toBe('东莞市民服务中心')
    expect(hallLabel(serviceHall('X', '政务服务中心', 'town'), towns, 'zh-CN', '')).toBe('政务服务中心')
    expect(hallLabel(serviceHall('C', '东莞市民服务中心', 'city'), towns, 'en', 'City service centre')).toBe('City service centre')
  })
})

const reading = (id: string, waiting: number, pressure: HallReading['metrics']['pressure'], bad = 0): HallReading => {
  const r = hall(id, 0, waiting)
  return { ...r, metrics: { ...r.metrics, pressure, badRatings: bad } }
}

describe(waitingTop.name, () => {
  it('ranks the halls where people wait, most first, ties by pressure then id, at most n', () => {
    const readings = [reading('A', 5, null), reading('B', 40, 'warn'), reading('C', 0, null), reading('D', 40, 'critical'), reading('E', 12, null)]
    expect(waitingTop(readings, 3).map(q => [q.hallId, q.waiting, q.pressure])).toEqual([['D', 40, 'critical'], ['B', 40, 'warn'], ['E', 12, null]])
    expect(waitingTop(readings, 10).map(q => q.hallId)).toEqual(['D', 'B', 'E', 'A'])
    expect(waitingTop([reading('C', 0, null)], 10)).toEqual([])
  })

  it('carries the per-window figure the server derived (null when no window is open)', () => {
    const closed = { ...reading('A', 8, null), windowsOpen: 0 }
    closed.metrics = { ...closed.metrics, waitingPerWindow: null }
    expect(waitingTop([closed, reading('B', 8, null)], 2).map(q => q.waitingPerWindow)).toEqual([null, 2])
  })
})

describe(mostBadRatings.name, () => {
  it('names the halls with 差评 today, most first', () => {
    expect(mostBadRatings([reading('A', 1, null, 2), reading('B', 1, null, 0), reading('C', 1, null, 5)], 3)).toEqual([{ hallId: 'C', bad: 5 }, { hallId: 'A', bad: 2 }])
  })
})

describe(ratingFigures.name, () => {
  it('counts 差评 as the last two of the five levels and 好评率 as the share of the rest', () => {
    const f = ratingFigures({ verySatisfied: 70, satisfied: 20, basic: 5, dissatisfied: 3, veryDissatisfied: 2 })
    expect(f.total).toBe(100)
    expect(f.bad).toBe(5)
    expect(f.goodRate).toBe(0.95)
    expect(f.levels.map(l => [l.level, l.count, l.share])).toEqual([
      ['verySatisfied', 70, 0.7], ['satisfied', 20, 0.2], ['basic', 5, 0.05], ['dissatisfied', 3, 0.03], ['veryDissatisfied', 2, 0.02],
    ])
  })

  it('has no rate and no shares before the first rating', () => {
    const f = ratingFigures({ verySatisfied: 0, satisfied: 0, basic: 0, dissatisfied: 0, veryDissatisfied: 0 })
    expect(f.goodRate).toBeNull()
    expect(f.levels.every(l => l.share === null)).toBe(true)
  })
})
