import gcoord from 'gcoord'
import { describe, expect, it } from 'vitest'
import { pointToWgs84, toWgs84 } from './coordinates'

describe(toWgs84.name, () => {
  it('removes the GCJ-02 offset at Dongguan (≈ +0.0052° lng, −0.0027° lat, domain.md §5.4)', () => {
    const wgs = { lng: 113.75, lat: 23.02 }
    const gcj = { lng: wgs.lng + 0.0052, lat: wgs.lat - 0.0027 }
    const back = toWgs84(gcj.lng, gcj.lat, 'GCJ02')
    // The rounded offset is good to ~1e-4°, i.e. about 10 m.
    expect(back.lng).toBeCloseTo(wgs.lng, 3)
    expect(back.lat).toBeCloseTo(wgs.lat, 3)
    expect(Math.abs(back.lng - gcj.lng)).toBeGreaterThan(0.004)
  })

  it('inverts gcoord\'s forward transform to within a few centimetres', () => {
    for (const [lng, lat] of [[113.75, 23.02], [114.2, 22.7], [113.52, 23.1]] as const) {
      const [gl, gt] = gcoord.transform<[number, number]>([lng, lat], gcoord.WGS84, gcoord.GCJ02)
      const back = toWgs84(gl, gt, 'GCJ02')
      expect(Math.abs(back.lng - lng)).toBeLessThan(1e-6)
      expect(Math.abs(back.lat - lat)).toBeLessThan(1e-6)
      const [bl, bt] = gcoord.transform<[number, number]>([lng, lat], gcoord.WGS84, gcoord.BD09)
      const fromBaidu = toWgs84(bl, bt, 'BD09')
      expect(Math.abs(fromBaidu.lng - lng)).toBeLessThan(1e-5)
      expect(Math.abs(fromBaidu.lat - lat)).toBeLessThan(1e-5)
    }
  })

  it('passes WGS-84 through exactly', () => {
    expect(toWgs84(113.123456789, 23.987654321, 'WGS84')).toEqual({ lng: 113.123456789, lat: 23.987654321 })
  })
})

describe(pointToWgs84.name, () => {
  it('converts a GeoJSON Point and ignores other geometries and bad coordinates', () => {
    const p = pointToWgs84({ type: 'Point', coordinates: [113.7552, 23.0173] }, 'GCJ02')
    expect(p?.lng).toBeCloseTo(113.75, 3)
    expect(p?.lat).toBeCloseTo(23.02, 3)
    expect(pointToWgs84({ type: 'LineString', coordinates: [[1, 2], [3, 4]] }, 'WGS84')).toBeUndefined()
    expect(pointToWgs84({ type: 'Point', coordinates: ['113', 23] }, 'WGS84')).toBeUndefined()
    expect(pointToWgs84({ type: 'Point', coordinates: [200, 23] }, 'WGS84')).toBeUndefined()
    expect(pointToWgs84(null, 'WGS84')).toBeUndefined()
  })
})
