import { describe, expect, it } from 'vitest'
import type { CityModel, RoadSegment } from '@shared/schemas/city'
import { ROAD_CLASSES } from '@shared/schemas/traffic'
import { loadCity } from './index'
import { createInsideTest, distanceKm, pathLengthKm, pointAlong } from './geometry'
import type { Position } from './geometry'
import { FREE_FLOW_KMH, MAX_SEGMENT_KM } from './roads'

const cities = { dongguan: loadCity('dongguan'), jiangmen: loadCity('jiangmen') }
const both = Object.entries<CityModel>(cities)

const key = (p: Position): string => `${p[0]},${p[1]}`

/** The road graph: segment ends are nodes; returns the component of every node. */
function roadComponents(roads: readonly RoadSegment[]): Map<string, string> {
  const parent = new Map<string, string>()
  const find = (x: string): string => {
    while (parent.get(x) !== x) {
      const up = parent.get(parent.get(x)!)!
      parent.set(x, up)
      x = up
    }
    return x
  }
  for (const r of roads) {
    for (const end of [key(r.path[0]!), key(r.path[r.path.length - 1]!)]) {
      if (!parent.has(end))
        parent.set(end, end)
    }
    parent.set(find(key(r.path[0]!)), find(key(r.path[r.path.length - 1]!)))
  }
  return new Map([...parent.keys()].map(k => [k, find(k)]))
}

describe('the schematic road network', () => {
  it('has 1,500–2,500 segments in Dongguan and at least 600 in Jiangmen, of every class', () => {
    expect(cities.dongguan.roads.length).toBeGreaterThanOrEqual(1500)
    expect(cities.dongguan.roads.length).toBeLessThanOrEqual(2500)
    expect(cities.jiangmen.roads.length).toBeGreaterThanOrEqual(600)
    for (const [, city] of both)
      expect(new Set(city.roads.map(r => r.roadClass))).toEqual(new Set(ROAD_CLASSES))
  })

  it.each(both)('%s: splits per GB/T 33171 §5.5 and gives each segment its geodesic length', (_, city) => {
    for (const r of city.roads) {
      const km = pathLengthKm(r.path)
      expect(km, r.id).toBeGreaterThan(0)
      expect(km, r.id).toBeLessThanOrEqual(MAX_SEGMENT_KM[r.roadClass])
      expect(Math.abs(r.lengthKm - km), r.id).toBeLessThan(0.001)
    }
    expect(MAX_SEGMENT_KM).toEqual({ expressway: 3, arterial: 1.5, secondary: 1.5, branch: 1.5 })
  })

  it.each(both)('%s: keeps every vertex inside the city outline, rounded to 5 decimals', (_, city) => {
    const inside = createInsideTest(city.boundary.geometry)
    for (const r of city.roads) {
      for (const p of r.path) {
        expect(inside(p), `${r.id} ${key(p)}`).toBe(true)
        expect(Math.round(p[0] * 1e5) / 1e5).toBe(p[0])
        expect(Math.round(p[1] * 1e5) / 1e5).toBe(p[1])
      }
    }
  })

  it.each(both)('%s: links every town centre into one road graph', (_, city) => {
    const component = roadComponents(city.roads)
    const centres = city.towns.map(t => component.get(key([t.lng, t.lat])))
    expect(centres.every(c => c !== undefined)).toBe(true)
    expect(new Set(centres).size).toBe(1)
  })

  it.each(both)('%s: has unique readable ids, Chinese names, few vertices and the default free-flow speeds', (_, city) => {
    const prefix = city.id === 'dongguan' ? 'DG' : 'JM'
    expect(new Set(city.roads.map(r => r.id)).size).toBe(city.roads.length)
    for (const r of city.roads) {
      expect(r.id).toMatch(new RegExp(`^${prefix}-[A-Z0-9]+(?:-[A-Z0-9]+)*-\\d{2,}$`))
      expect(r.name).toMatch(/\p{Script=Han}/u)
      expect(r.path.length).toBeGreaterThanOrEqual(3)
      expect(r.path.length).toBeLessThanOrEqual(8)
      if (r.roadClass === 'expressway')
        expect([80, 100]).toContain(r.freeFlowKmh)
      else
        expect(r.freeFlowKmh).toBe(FREE_FLOW_KMH[r.roadClass])
    }
  })

  it('assigns a Dongguan segment to the town whose centre is nearest its midpoint', () => {
    const { towns, roads } = cities.dongguan
    for (const r of roads) {
      const mid = pointAlong(r.path, 0.5)
      const nearest = towns.reduce((best, t) => (distanceKm(mid, [t.lng, t.lat]) < distanceKm(mid, [best.lng, best.lat]) ? t : best))
      expect(r.townCode, r.id).toBe(nearest.code)
    }
  })

  it('assigns a Jiangmen segment to the district its midpoint lies in', () => {
    const { townAreas, roads } = cities.jiangmen
    const areas = townAreas.map(a => ({ code: a.code, inside: createInsideTest(a.geometry) }))
    let inDistrict = 0
    for (const r of roads) {
      const holder = areas.find(a => a.inside(pointAlong(r.path, 0.5)))
      if (holder) {
        inDistrict++
        expect(r.townCode, r.id).toBe(holder.code)
      }
    }
    // The simplified district outlines leave only slivers along the coast uncovered.
    expect(inDistrict / roads.length).toBeGreaterThan(0.99)
  })

  it('carries the named corridors and arterials of the city data', () => {
    const names = new Set(cities.dongguan.roads.map(r => `${r.roadClass}:${r.name}`))
    for (const name of ['广深高速', '莞深高速', '广深沿江高速', '东部快速路'])
      expect(names).toContain(`expressway:${name}`)
    for (const name of ['东莞大道', '莞太路', '莞樟路', '松山湖大道'])
      expect(names).toContain(`arterial:${name}`)
    const fast = cities.dongguan.roads.filter(r => r.name === '东部快速路')
    expect(new Set(fast.map(r => r.freeFlowKmh))).toEqual(new Set([80]))
    expect(new Set(cities.dongguan.roads.filter(r => r.name === '莞深高速').map(r => r.freeFlowKmh))).toEqual(new Set([100]))
  })

  it.each(both)('%s: draws each expressway as a chain of segments that meet end to end', (_, city) => {
    const byRoad = new Map<string, RoadSegment[]>()
    for (const r of city.roads.filter(r => r.roadClass === 'expressway'))
      byRoad.set(r.id.replace(/-\d+$/, ''), [...(byRoad.get(r.id.replace(/-\d+$/, '')) ?? []), r])
    expect(byRoad.size).toBeGreaterThanOrEqual(5)
    for (const [road, segments] of byRoad) {
      segments.slice(1).forEach((s, k) => expect(s.path[0], road).toEqual(segments[k]!.path[segments[k]!.path.length - 1]))
    }
  })

  it.each(both)('%s: gives each road its own name, its segments sharing it', (_, city) => {
    const codesByName = new Map<string, Set<string>>()
    for (const r of city.roads)
      codesByName.set(r.name, (codesByName.get(r.name) ?? new Set()).add(r.id.replace(/-\d+$/, '')))
    expect([...codesByName].filter(([, codes]) => codes.size > 1)).toEqual([])
    expect(codesByName.size).toBeGreaterThan(city.id === 'dongguan' ? 300 : 150)
  })

  it('builds the same network on every run', () => {
    expect(loadCity('dongguan').roads).toEqual(cities.dongguan.roads)
  })
})
