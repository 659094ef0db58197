import { describe, expect, it } from 'vitest'
import { CityModel } from '@shared/schemas/city'
import { pathLengthKm } from '@server/city/geometry'
import type { Position } from '@server/city/geometry'
import { denseCity, piecesFor, splitPath } from './dense-city'

describe('splitPath', () => {
  const path: Position[] = [[113.7, 23.0], [113.71, 23.0], [113.71, 23.02], [113.73, 23.03]]

  it('cuts a path into pieces of equal length that meet end to start', () => {
    const pieces = splitPath(path, 5)
    expect(pieces).toHaveLength(5)
    const lengths = pieces.map(p => pathLengthKm(p))
    for (const l of lengths)
      // Within a metre: points are interpolated in degrees, lengths measured on the sphere.
      expect(l).toBeCloseTo(pathLengthKm(path) / 5, 3)
    for (let i = 1; i < pieces.length; i++)
      expect(pieces[i]![0]).toEqual(pieces[i - 1]!.at(-1))
    expect(pieces[0]![0]).toEqual(path[0])
    expect(pieces.at(-1)!.at(-1)).toEqual(path.at(-1))
  })

  it('keeps a path whole when asked for one piece', () => {
    expect(splitPath(path, 1)).toEqual([path])
  })
})

describe('piecesFor', () => {
  it('reaches the target exactly, at least one piece each, longer segments cut more', () => {
    const lengths = [0.1, 3, 1.5, 0.2, 6]
    const pieces = piecesFor(lengths, 23)
    expect(pieces.reduce((a, b) => a + b, 0)).toBe(23)
    expect(Math.min(...pieces)).toBeGreaterThanOrEqual(1)
    expect(pieces[4]!).toBeGreaterThan(pieces[2]!)
    expect(pieces[2]!).toBeGreaterThan(pieces[0]!)
  })

  it('cuts nothing when the target is not above the count', () => {
    expect(piecesFor([1, 2, 3], 3)).toEqual([1, 1, 1])
  })
})

describe('denseCity', () => {
  it('is a valid city model with the reference counts and unique segment ids', () => {
    const city = denseCity({ segments: 5000, stations: 30 })
    expect(CityModel.safeParse(city).success).toBe(true)
    expect(city.roads).toHaveLength(5000)
    expect(new Set(city.roads.map(r => r.id)).size).toBe(5000)
    expect(city.airStations).toHaveLength(30)
    expect(city.halls).toHaveLength(36)
  })
})
