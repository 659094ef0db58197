import { describe, expect, it } from 'vitest'
import type { CityBoundary } from '@shared/schemas/city'
import { locatorFrame } from './locator'

/** A square 1° of longitude by 1° of latitude at the equator, and the same at 60° N. */
const square = (lat: number): CityBoundary => ({
  type: 'Feature',
  properties: { name: 'test' },
  geometry: { type: 'Polygon', coordinates: [[[113, lat], [114, lat], [114, lat + 1], [113, lat + 1], [113, lat]]] },
})

describe(locatorFrame.name, () => {
  it('fits the outline into the width, north up, corners at the padding', () => {
    const f = locatorFrame(square(0), 212, 6)
    expect(f.project({ lng: 113, lat: 1 })).toEqual({ x: 6, y: 6 })
    const se = f.project({ lng: 114, lat: 0 })
    expect(se.x).toBeCloseTo(206, 0)
    expect(se.y).toBeCloseTo(f.height - 6, 0)
    expect(f.outline.startsWith('M')).toBe(true)
    expect(f.outline.endsWith('Z')).toBe(true)
  })

  it('keeps the shape: a degree of longitude is narrower in the north', () => {
    const f = locatorFrame(square(59.5), 112, 6)
    // cos(60°) ≈ 0.5: the 1° × 1° square is twice as tall as it is wide.
    expect(f.height - 12).toBeGreaterThan(1.9 * 100)
    expect(f.height - 12).toBeLessThan(2.1 * 100)
  })
})
