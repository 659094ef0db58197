import type { MultiPolygon, Polygon } from 'geojson'
import { describe, expect, it } from 'vitest'
import type { CityBoundary, CityModel, Town } from '@shared/schemas/city'
import { loadCity } from '@server/city'
import { clipRing, polygonArea, townAreaFeatures, voronoiCell, voronoiTownAreas } from './town-areas'

const town = (code: string, lng: number, lat: number): Town => ({ code, name: code, pinyin: code, lng, lat, approx: true })
const square = (x0: number, y0: number, x1: number, y1: number): CityBoundary => ({
  type: 'Feature',
  properties: { name: 'test' },
  geometry: { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] },
})

/** Ray casting: whether a point lies inside a polygon (holes count as outside). */
function contains(geometry: Polygon | MultiPolygon, [x, y]: [number, number]): boolean {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  return polygons.some(rings => rings.filter((ring) => {
    let inside = false
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as [number, number]
      const [xj, yj] = ring[j] as [number, number]
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi)
        inside = !inside
    }
    return inside
  }).length % 2 === 1)
}

describe('clipRing (one Sutherland–Hodgman step)', () => {
  it('keeps the part of a ring on the ≤ side of a line', () => {
    // x ≤ 1 of the square [0, 2]²
    const clipped = clipRing([[0, 0], [2, 0], [2, 2], [0, 2]], { a: 1, b: 0, c: 1 })
    expect(clipped).toEqual([[0, 0], [1, 0], [1, 2], [0, 2]])
  })

  it('returns nothing for a ring wholly outside', () => {
    expect(clipRing([[3, 0], [4, 0], [4, 1]], { a: 1, b: 0, c: 1 })).toEqual([])
  })
})

describe('voronoi town areas', () => {
  it('splits a square between two towns along their bisector', () => {
    // At the equator a degree of longitude is a degree of latitude: the border is x = 1.
    const [left, right] = voronoiTownAreas([town('1', 0.5, 0.5), town('2', 1.5, 0.5)], square(0, 0, 2, 1))
    expect(left && polygonArea(left, 0)).toBeCloseTo(1, 9)
    expect(right && polygonArea(right, 0)).toBeCloseTo(1, 9)
    expect(left && contains(left, [0.9, 0.5])).toBe(true)
    expect(left && contains(left, [1.1, 0.5])).toBe(false)
  })

  it('measures distance on the ground: at 60° N a degree of longitude counts half', () => {
    // Towns 1° of longitude apart (≈ 0.5° of latitude on the ground) and one 0.6° north of the first:
    // the northern town is farther than the eastern one although its offset in degrees is smaller.
    const towns = [town('a', 0, 60), town('b', 1, 60), town('c', 0, 60.6)]
    const k = Math.cos((60 * Math.PI) / 180)
    const cell = voronoiCell(towns, 0, [-5, 55, 5, 65], k)
    const xs = cell.map(([x]) => x)
    const ys = cell.map(([, y]) => y)
    expect(Math.max(...xs)).toBeCloseTo(0.5, 9)
    expect(Math.max(...ys)).toBeCloseTo(60.3, 9)
  })

  it('cuts a concave outline without losing or doubling any of it', () => {
    // An L: the square [0, 2]² without its top-right quarter.
    const outline: CityBoundary = {
      type: 'Feature',
      properties: { name: 'L' },
      geometry: { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]]] },
    }
    const towns = [town('1', 0.5, 0.5), town('2', 1.5, 0.5), town('3', 0.5, 1.5)]
    const areas = voronoiTownAreas(towns, outline)
    const total = areas.reduce((sum, a) => sum + (a ? polygonArea(a, 0) : 0), 0)
    expect(total).toBeCloseTo(3, 9)
    areas.forEach(a => expect(a && polygonArea(a, 0)).toBeCloseTo(1, 9))
    towns.forEach((t, i) => expect(contains(areas[i]!, [t.lng, t.lat])).toBe(true))
  })

  it('keeps an island with the town nearest to it', () => {
    const outline: CityBoundary = {
      type: 'Feature',
      properties: { name: 'islands' },
      geometry: { type: 'MultiPolygon', coordinates: [
        [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]],
        [[[3, 0], [3.5, 0], [3.5, 0.5], [3, 0.5], [3, 0]]],
      ] },
    }
    const [west, east] = voronoiTownAreas([town('w', 0.5, 0.5), town('e', 2.9, 0.2)], outline)
    expect(west?.type).toBe('Polygon')
    expect(east?.type).toBe('Polygon')
    expect(east && polygonArea(east, 0)).toBeCloseTo(0.25, 9)
  })

  it('partitions Dongguan\'s outline into its 33 towns, each holding its own centre', () => {
    const city = loadCity('dongguan')
    expect(city.townAreas).toEqual([])
    const { areas, schematic } = townAreaFeatures(city)
    expect(schematic).toBe(true)
    expect(areas.features).toHaveLength(city.towns.length)
    const lat = (city.bbox[1] + city.bbox[3]) / 2
    const outline = city.boundary.geometry as Polygon | MultiPolygon
    const sum = areas.features.reduce((s, f) => s + polygonArea(f.geometry, lat), 0)
    expect(sum / polygonArea(outline, lat)).toBeCloseTo(1, 6)
    for (const f of areas.features) {
      const t = city.towns[f.id as number]!
      expect(f.properties.code).toBe(t.code)
      expect(contains(f.geometry, [t.lng, t.lat]), t.name).toBe(true)
    }
  })

  it('draws Jiangmen\'s published district outlines as they are', () => {
    const city: CityModel = loadCity('jiangmen')
    const { areas, schematic } = townAreaFeatures(city)
    expect(schematic).toBe(false)
    expect(areas.features.map(f => f.geometry)).toEqual(city.towns.map(t => city.townAreas.find(a => a.code === t.code)?.geometry))
  })
})
