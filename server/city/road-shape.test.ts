import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { distanceToSegmentKm, offsetKm, pathLengthKm } from './geometry'
import type { Position } from './geometry'
import { curvedPath, pullInside, splitPath } from './road-shape'

const A: Position = [113.75, 23.02]

describe('curvedPath', () => {
  it('runs exactly from a to b, bends away from the chord, and is the same for the same seed', () => {
    const b = offsetKm(A, 8, 3)
    const path = curvedPath(A, b, 'road-1', 0.06, 0.35)
    expect(path[0]).toEqual(A)
    expect(path[path.length - 1]).toEqual([Math.round(b[0] * 1e5) / 1e5, Math.round(b[1] * 1e5) / 1e5])
    expect(Math.max(...path.map(p => distanceToSegmentKm(p, A, b)))).toBeGreaterThan(0.05)
    expect(curvedPath(A, b, 'road-1', 0.06, 0.35)).toEqual(path)
    expect(curvedPath(A, b, 'road-2', 0.06, 0.35)).not.toEqual(path)
  })

  it('is straight with no amplitude', () => {
    const b = offsetKm(A, 5, -2)
    const path = curvedPath(A, b, 'x', 0, 0.5)
    expect(Math.max(...path.map(p => distanceToSegmentKm(p, A, b)))).toBeLessThan(0.002)
  })
})

describe('splitPath', () => {
  it('cuts any path into pieces of at most the limit that join end to end', () => {
    fc.assert(fc.property(
      fc.double({ min: 0.3, max: 40, noNaN: true }),
      fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
      fc.constantFrom(1.5, 3),
      fc.string({ maxLength: 6 }),
      (km, angle, maxKm, seed) => {
        const b = offsetKm(A, km * Math.cos(angle), km * Math.sin(angle))
        const path = curvedPath(A, b, seed, 0.08, maxKm / 4)
        const pieces = splitPath(path, maxKm)
        for (const piece of pieces) {
          expect(piece.length).toBeGreaterThanOrEqual(2)
          expect(pathLengthKm(piece)).toBeLessThanOrEqual(maxKm)
        }
        pieces.slice(1).forEach((piece, k) => expect(piece[0]).toEqual(pieces[k]![pieces[k]!.length - 1]))
        expect(pieces.flatMap((piece, k) => (k === 0 ? piece : piece.slice(1)))).toEqual(path)
      },
    ), { numRuns: 300 })
  })

  it('says so when the vertices are too far apart to cut at', () => {
    expect(() => splitPath([A, offsetKm(A, 5, 0)], 1.5)).toThrow(/cannot split/)
  })
})

describe('pullInside', () => {
  it('moves an outside point back along the line to the anchor until it is inside', () => {
    const inside = (p: Position): boolean => p[0] <= 113.8
    const pulled = pullInside([113.9, 23.02], [113.7, 23.02], inside)
    expect(inside(pulled)).toBe(true)
    expect(pulled[0]).toBeCloseTo(113.8, 4)
    expect(pullInside([113.75, 23], [113.7, 23], inside)).toEqual([113.75, 23])
  })
})
