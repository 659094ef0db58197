import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { distanceKm, segmentsCross } from './geometry'
import type { Position } from './geometry'
import { components, neighbourGraph } from './road-graph'
import type { Edge, NeighbourOptions } from './road-graph'

const OPTIONS: NeighbourOptions = { maxEdgeKm: 12, minAngleDeg: 25, clearanceKm: 1, drawable: () => true, required: Infinity }

const pointSets = fc.uniqueArray(
  fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 })).map(([x, y]): Position => [113.6 + x / 1000, 22.8 + y / 1000]),
  { minLength: 2, maxLength: 30, selector: p => `${p[0]},${p[1]}` },
)

function crossings(points: readonly Position[], edges: readonly Edge[]): number {
  let n = 0
  edges.forEach(([a, b], i) => edges.slice(i + 1).forEach(([c, d]) => {
    if (segmentsCross(points[a]!, points[b]!, points[c]!, points[d]!))
      n++
  }))
  return n
}

describe('neighbourGraph', () => {
  it('links any set of centres within reach into one planar graph', () => {
    // The box is 44 km across; joining links reach twice the 30 km limit.
    fc.assert(fc.property(pointSets, (points) => {
      const edges = neighbourGraph(points, [], { ...OPTIONS, maxEdgeKm: 30 })
      expect(new Set(components(points.length, edges)).size).toBe(1)
      expect(crossings(points, edges)).toBe(0)
      expect(new Set(edges.map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`)).size).toBe(edges.length)
    }), { numRuns: 200 })
  })

  it('uses no link longer than the limit when shorter ones connect everything', () => {
    // A 4 × 4 grid 3 km apart: every centre has neighbours well within 12 km.
    const points = Array.from({ length: 16 }, (_, i): Position => [113.6 + (i % 4) * 0.03, 22.8 + Math.floor(i / 4) * 0.027])
    const edges = neighbourGraph(points, [], OPTIONS)
    expect(Math.max(...edges.map(([a, b]) => distanceKm(points[a]!, points[b]!)))).toBeLessThanOrEqual(12)
    expect(new Set(components(points.length, edges)).size).toBe(1)
  })

  it('takes forced links first and never a link it cannot draw', () => {
    const points: Position[] = [[113.6, 22.8], [113.65, 22.8], [113.7, 22.8], [113.65, 22.85]]
    const drawable = (i: number, j: number): boolean => !(Math.min(i, j) === 0 && Math.max(i, j) === 1)
    const edges = neighbourGraph(points, [[0, 2]], { ...OPTIONS, drawable })
    expect(edges[0]).toEqual([0, 2])
    expect(edges.some(([a, b]) => Math.min(a, b) === 0 && Math.max(a, b) === 1)).toBe(false)
  })

  it('leaves an unreachable optional point out, and refuses an unreachable required one', () => {
    // Point 2 cannot be drawn to; a point twice the limit away would be out of reach the same way.
    const points: Position[] = [[113.6, 22.8], [113.65, 22.8], [114, 22.5]]
    const drawable = (i: number, j: number): boolean => i !== 2 && j !== 2
    const edges = neighbourGraph(points, [], { ...OPTIONS, drawable, required: 2 })
    expect(edges).toEqual([[0, 1]])
    expect(() => neighbourGraph(points, [], { ...OPTIONS, drawable, required: 3 })).toThrow(/cannot be linked/)
  })
})
