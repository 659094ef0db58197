import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createInsideTest, distanceKm, offsetKm, pathLengthKm, pointAlong, segmentsCross, simplifyRing } from './geometry'
import type { AreaGeometry, Position } from './geometry'

/** The textbook even-odd test over every ring, with no index: the reference for the indexed one. */
function naiveInside(geometry: AreaGeometry, [x, y]: Position): boolean {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  let inside = false
  for (const ring of polygons.flat()) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!
      const [xj, yj] = ring[j]!
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi)
        inside = !inside
    }
  }
  return inside
}

const square = (x0: number, y0: number, size: number): Position[] =>
  [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]

describe('createInsideTest', () => {
  const withHole: AreaGeometry = { type: 'MultiPolygon', coordinates: [[square(0, 0, 10), square(4, 4, 2)], [square(20, 0, 3)]] }
  const inside = createInsideTest(withHole)

  it('counts holes as outside and every polygon of a multipolygon as inside', () => {
    expect(inside([1, 1])).toBe(true)
    expect(inside([5, 5])).toBe(false) // in the hole
    expect(inside([21, 1])).toBe(true) // the second polygon
    expect(inside([15, 1])).toBe(false)
    expect(inside([1, -1])).toBe(false)
  })

  it('agrees with the unindexed even-odd test on a jagged outline', () => {
    const star: Position[] = Array.from({ length: 41 }, (_, i) => {
      const a = (i / 40) * 2 * Math.PI
      const r = i % 2 === 0 ? 1 : 0.45
      return [113 + r * Math.cos(a), 23 + r * Math.sin(a)]
    })
    const geometry: AreaGeometry = { type: 'Polygon', coordinates: [star] }
    const indexed = createInsideTest(geometry)
    fc.assert(fc.property(fc.double({ min: 111.9, max: 114.1, noNaN: true }), fc.double({ min: 21.9, max: 24.1, noNaN: true }), (x, y) => {
      expect(indexed([x, y])).toBe(naiveInside(geometry, [x, y]))
    }), { numRuns: 2000 })
  })
})

describe('distances', () => {
  it('measures a degree of latitude as about 111.2 km and a path as the sum of its legs', () => {
    expect(distanceKm([113, 22], [113, 23])).toBeCloseTo(111.19, 1)
    const east = offsetKm([113.75, 23], 5, 0)
    expect(distanceKm([113.75, 23], east)).toBeCloseTo(5, 2)
    expect(pathLengthKm([[113.75, 23], east, offsetKm(east, 0, 3)])).toBeCloseTo(8, 2)
  })

  it('finds the point halfway along a path by length, not by vertex count', () => {
    const a: Position = [113.75, 23]
    const b = offsetKm(a, 1, 0)
    const c = offsetKm(b, 3, 0)
    const mid = pointAlong([a, b, c], 0.5)
    expect(distanceKm(a, mid)).toBeCloseTo(2, 3)
  })
})

describe('segmentsCross', () => {
  it('sees a proper crossing but not a shared end or parallel lines', () => {
    expect(segmentsCross([0, 0], [2, 2], [0, 2], [2, 0])).toBe(true)
    expect(segmentsCross([0, 0], [2, 2], [2, 2], [3, 0])).toBe(false)
    expect(segmentsCross([0, 0], [2, 0], [0, 1], [2, 1])).toBe(false)
  })
})

describe('simplifyRing', () => {
  it('keeps the ends, drops repeated and near-collinear points, and stays within the tolerance', () => {
    const ring: Position[] = [[0, 0], [0, 0], [1, 0.00001], [2, 0], [2, 1], [2.00002, 1.5], [2, 2], [0, 2], [0, 0]]
    const simple = simplifyRing(ring, 0.001)
    expect(simple).toEqual([[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]])
  })

  it('keeps a corner that sticks out further than the tolerance', () => {
    const ring: Position[] = [[0, 0], [1, 0.01], [2, 0], [2, 2], [0, 0]]
    expect(simplifyRing(ring, 0.001)).toContainEqual([1, 0.01])
  })
})
