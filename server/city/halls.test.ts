import { describe, expect, it } from 'vitest'
import type { ServiceHall } from '@shared/schemas/city'
import { loadCity } from './index'
import { createInsideTest, distanceKm } from './geometry'
import { interval } from './halls'

const dongguan = loadCity('dongguan')
const jiangmen = loadCity('jiangmen')

const hm = (h: number, m = 0): number => h * 60 + m
const at = (h: ServiceHall): [number, number] => [h.lng, h.lat]

describe('Dongguan service halls', () => {
  const halls = dongguan.halls
  const cityHall = halls.find(h => h.level === 'city')!
  const townHalls = halls.filter(h => h.level === 'town')

  it('are the city hall and 35 town, subdistrict and function-area halls (domain.md §4.4)', () => {
    expect(halls).toHaveLength(36)
    expect(halls.filter(h => h.level === 'city').map(h => h.name)).toEqual(['东莞市民服务中心'])
    expect(townHalls).toHaveLength(35)
    expect(new Set(halls.map(h => h.id)).size).toBe(36)
    for (const town of dongguan.towns)
      expect(townHalls.some(h => h.name === `${town.name}政务服务中心` && h.townCode === town.code), town.name).toBe(true)
    expect(townHalls.map(h => h.name)).toEqual(expect.arrayContaining(['东莞滨海湾新区政务服务中心', '东莞生态园政务服务中心']))
    expect(halls.every(h => h.approx)).toBe(true)
  })

  it('put the city hall in 南城 next to the city government', () => {
    expect(cityHall.townCode).toBe('441900004')
    expect(distanceKm(at(cityHall), [113.752, 23.021])).toBeLessThan(1)
  })

  it('put the function-area halls where those areas are', () => {
    const nearestTowns = (h: ServiceHall, n: number): string[] => [...dongguan.towns]
      .sort((a, b) => distanceKm(at(h), [a.lng, a.lat]) - distanceKm(at(h), [b.lng, b.lat])).slice(0, n).map(t => t.name)
    const binhaiwan = townHalls.find(h => h.name.includes('滨海湾'))!
    const ecopark = townHalls.find(h => h.name.includes('生态园'))!
    expect(nearestTowns(binhaiwan, 2).sort()).toEqual(['虎门镇', '长安镇'].sort())
    expect(['茶山镇', '石排镇', '横沥镇', '寮步镇', '东坑镇']).toEqual(expect.arrayContaining(nearestTowns(ecopark, 2)))
    expect(['441900121', '441900119']).toContain(binhaiwan.townCode)
  })

  it('size their windows by the town: city hall largest, big towns 25–35, small towns 10–16', () => {
    expect(cityHall.windows).toBeGreaterThanOrEqual(60)
    expect(cityHall.windows).toBeLessThanOrEqual(80)
    const byName = (name: string): ServiceHall => townHalls.find(h => h.name === `${name}政务服务中心`)!
    for (const big of ['虎门镇', '长安镇', '常平镇', '塘厦镇', '厚街镇', '凤岗镇']) {
      expect(byName(big).windows).toBeGreaterThanOrEqual(25)
      expect(byName(big).windows).toBeLessThanOrEqual(35)
    }
    for (const small of ['洪梅镇', '望牛墩镇', '谢岗镇', '莞城街道'])
      expect(byName(small).windows).toBeLessThanOrEqual(16)
    expect(Math.min(...townHalls.map(h => h.windows))).toBeGreaterThanOrEqual(10)
  })

  it('offer realistic business types, the city hall all of them', () => {
    const offered = new Set(townHalls.flatMap(h => h.businessTypes))
    expect([...offered].every(t => cityHall.businessTypes.includes(t))).toBe(true)
    expect(cityHall.businessTypes.length).toBeGreaterThan(Math.max(...townHalls.map(h => h.businessTypes.length)))
    for (const h of townHalls)
      expect(h.businessTypes).toContain('社保')
    expect(cityHall.businessTypes).toEqual(expect.arrayContaining(['社保', '医保', '公积金', '不动产登记', '户籍', '出入境', '商事登记', '税务']))
  })

  it('open on weekends as Dongguan does since 2020-09-12: the city hall both days, town halls on Saturday', () => {
    const workday = [[hm(9), hm(12)], [hm(13, 30), hm(17, 30)]]
    expect(cityHall.hours).toEqual({ workday, saturday: [[hm(9), hm(12)], [hm(13), hm(16)]], sunday: [[hm(9), hm(12)], [hm(13), hm(16)]] })
    for (const h of townHalls)
      expect(h.hours).toEqual({ workday, saturday: [[hm(9), hm(12)], [hm(14), hm(16)]], sunday: [] })
  })
})

describe.each([['dongguan', dongguan], ['jiangmen', jiangmen]] as const)('%s hall positions', (_, city) => {
  it('lie inside the city, near their town and clear of town, station and other hall markers', () => {
    const inside = createInsideTest(city.boundary.geometry)
    const markers: [string, [number, number]][] = [
      ...city.towns.map((t): [string, [number, number]] => [t.name, [t.lng, t.lat]]),
      ...city.airStations.map((s): [string, [number, number]] => [s.id, [s.lng, s.lat]]),
    ]
    for (const h of city.halls) {
      expect(inside(at(h)), h.name).toBe(true)
      for (const [name, p] of [...markers, ...city.halls.filter(o => o !== h).map((o): [string, [number, number]] => [o.id, at(o)])])
        expect(distanceKm(at(h), p), `${h.name} vs ${name}`).toBeGreaterThanOrEqual(0.4)
      const own = city.towns.find(t => t.code === h.townCode)!
      expect(distanceKm(at(h), [own.lng, own.lat]), h.name).toBeLessThan(8)
    }
  })
})

describe('Jiangmen service halls', () => {
  it('are the 江门市民服务中心 and one per district', () => {
    expect(jiangmen.halls.map(h => h.name)).toEqual([
      '江门市民服务中心',
      ...jiangmen.towns.map(t => `${t.name}政务服务中心`),
    ])
    expect(jiangmen.halls[0]).toMatchObject({ level: 'city', townCode: '440703', id: 'JM-HALL-CITY' })
  })
})

describe('interval', () => {
  it('reads "HH:MM-HH:MM" as minutes after midnight and refuses nonsense', () => {
    expect(interval('09:00-12:00')).toEqual([540, 720])
    expect(interval('13:30-17:30')).toEqual([810, 1050])
    expect(() => interval('12:00-09:00')).toThrow()
    expect(() => interval('09:00-25:00')).toThrow()
  })
})
