import { describe, expect, it } from 'vitest'
import { CONGESTION_GRADES, NetworkTraffic } from '../schemas/traffic'
import type { SegmentSample } from './congestion'
import {
  CONGESTION_GRADE_INFO,
  STANDSTILL_FLOOR_KMH,
  gradeForRatio,
  gradeForTpi,
  networkTraffic,
  speedRatio,
  tpiFromDtp,
} from './congestion'

describe('CONGESTION_GRADE_INFO', () => {
  it('lists the grades in schema order, levels 1–5', () => {
    expect(CONGESTION_GRADE_INFO.map(g => g.grade)).toEqual([...CONGESTION_GRADES])
    expect(CONGESTION_GRADE_INFO.map(g => g.level)).toEqual([1, 2, 3, 4, 5])
    expect(CONGESTION_GRADE_INFO.map(g => g.zh)).toEqual(['畅通', '基本畅通', '轻度拥堵', '中度拥堵', '严重拥堵'])
    for (const g of CONGESTION_GRADE_INFO)
      expect(g.color).toMatch(/^#[0-9A-F]{6}$/)
  })
})

describe('speedRatio', () => {
  it('is V / Vf clamped to [0, 1]', () => {
    expect(speedRatio(25, 50)).toBe(0.5)
    expect(speedRatio(0, 50)).toBe(0)
    expect(speedRatio(-3, 50)).toBe(0)
    expect(speedRatio(75, 50)).toBe(1)
  })
  it('rejects a free-flow speed that is not positive', () => {
    expect(() => speedRatio(10, 0)).toThrow(RangeError)
    expect(() => speedRatio(10, Number.NaN)).toThrow(RangeError)
  })
})

describe('gradeForRatio: GB/T 33171-2016 §8.1', () => {
  // [ratio, grade]: each boundary belongs to the worse grade (r ≤ 0.7 is basic, …).
  const cases: [number, string][] = [
    [1, 'free'],
    [0.7001, 'free'],
    [0.7, 'basic'],
    [0.6999, 'basic'],
    [0.5001, 'basic'],
    [0.5, 'light'],
    [0.4999, 'light'],
    [0.4001, 'light'],
    [0.4, 'moderate'],
    [0.3999, 'moderate'],
    [0.3001, 'moderate'],
    [0.3, 'severe'],
    [0.2999, 'severe'],
    [0, 'severe'],
  ]
  for (const [ratio, grade] of cases) {
    it(`r = ${ratio} is ${grade}`, () => {
      expect(gradeForRatio(ratio)).toBe(grade)
    })
  }
  it('puts ratios from real speeds exactly on a boundary in the worse grade', () => {
    expect(gradeForRatio(speedRatio(35, 50))).toBe('basic')
    expect(gradeForRatio(speedRatio(28, 40))).toBe('basic')
    expect(gradeForRatio(speedRatio(24, 80))).toBe('severe')
    expect(gradeForRatio(speedRatio(32, 80))).toBe('moderate')
    expect(gradeForRatio(speedRatio(20, 40))).toBe('light')
  })
  it('is not flipped by float noise around a boundary', () => {
    expect(0.1 * 7).toBeGreaterThan(0.7)
    expect(gradeForRatio(0.1 * 7)).toBe('basic')
    expect(gradeForRatio(0.1 * 3)).toBe('severe')
  })
})

describe('tpiFromDtp: GB/T 33171-2016 Appendix C', () => {
  it('hits each band edge', () => {
    expect(tpiFromDtp(0)).toBe(0)
    expect(tpiFromDtp(0.3)).toBeCloseTo(2, 12)
    expect(tpiFromDtp(0.5)).toBeCloseTo(4, 12)
    expect(tpiFromDtp(0.6)).toBeCloseTo(6, 12)
    expect(tpiFromDtp(0.7)).toBeCloseTo(8, 12)
    expect(tpiFromDtp(1)).toBe(10)
    expect(tpiFromDtp(1.4)).toBe(10)
    expect(tpiFromDtp(-0.2)).toBe(0)
  })
  it('interpolates inside each band (by hand)', () => {
    expect(tpiFromDtp(0.15)).toBeCloseTo(1, 12) // 0.15 × 2 / 0.3
    expect(tpiFromDtp(0.4)).toBeCloseTo(3, 12) // 2 + 0.1 × 2 / 0.2
    expect(tpiFromDtp(0.55)).toBeCloseTo(5, 12) // 4 + 0.05 × 2 / 0.1
    expect(tpiFromDtp(0.625)).toBeCloseTo(6.5, 12) // 6 + 0.025 × 2 / 0.1
    expect(tpiFromDtp(0.85)).toBeCloseTo(9, 12) // 8 + 0.15 × 2 / 0.3
  })
  it('is continuous and increasing across the band edges', () => {
    for (const edge of [0.3, 0.5, 0.6, 0.7]) {
      expect(tpiFromDtp(edge - 1e-9)).toBeLessThan(tpiFromDtp(edge + 1e-9))
      expect(tpiFromDtp(edge + 1e-9) - tpiFromDtp(edge - 1e-9)).toBeLessThan(1e-6)
    }
  })
  it('rejects NaN', () => {
    expect(() => tpiFromDtp(Number.NaN)).toThrow(RangeError)
  })
})

describe('gradeForTpi', () => {
  const cases: [number, string][] = [
    [0, 'free'], [1.99, 'free'], [2, 'basic'], [3.99, 'basic'], [4, 'light'], [5.99, 'light'],
    [6, 'moderate'], [7.99, 'moderate'], [8, 'severe'], [10, 'severe'],
  ]
  for (const [tpi, grade] of cases) {
    it(`TPI ${tpi} is ${grade}`, () => {
      expect(gradeForTpi(tpi)).toBe(grade)
    })
  }
  it('agrees with the segment grade at each DTP boundary (DTP = 1 − r)', () => {
    for (const r of [0.7, 0.5, 0.4, 0.3])
      expect(gradeForTpi(tpiFromDtp(1 - r))).toBe(gradeForRatio(r))
  })
})

describe('networkTraffic: GB/T 33171-2016 §7.2.2', () => {
  it('computes a small network by hand', () => {
    const samples: SegmentSample[] = [
      // 2 km at 60 of 60: 1/30 h, free flow 1/30 h, r = 1 → free
      { lengthKm: 2, freeFlowKmh: 60, speedKmh: 60 },
      // 1 km at 20 of 50: 1/20 h, free flow 1/50 h, r = 0.4 → moderate
      { lengthKm: 1, freeFlowKmh: 50, speedKmh: 20 },
      // 3 km at 30 of 40: 1/10 h, free flow 3/40 h, r = 0.75 → free
      { lengthKm: 3, freeFlowKmh: 40, speedKmh: 30 },
      // 0.5 km at 10 of 40: 1/20 h, free flow 1/80 h, r = 0.25 → severe
      { lengthKm: 0.5, freeFlowKmh: 40, speedKmh: 10 },
    ]
    const t = 1 / 30 + 1 / 20 + 1 / 10 + 1 / 20 // 7/30 h
    const tf = 1 / 30 + 1 / 50 + 3 / 40 + 1 / 80 // 0.140833… h
    const dtp = (t - tf) / t // 0.39642857…
    const n = networkTraffic(samples, 10)
    expect(n.dtp).toBeCloseTo(dtp, 12)
    expect(n.dtp).toBeCloseTo(0.396428571, 8)
    expect(n.tpi).toBeCloseTo(2 + (dtp - 0.3) * 10, 12) // 2.964…
    expect(n.grade).toBe('basic')
    expect(n.meanSpeedKmh).toBeCloseTo(6.5 / t, 12) // 27.857 km/h
    expect(n.mileage).toEqual({ free: 5, basic: 0, light: 0, moderate: 1, severe: 0.5 })
    expect(n.segmentsReporting).toBe(4)
    expect(n.segmentsTotal).toBe(10)
    expect(NetworkTraffic.parse(n)).toEqual(n)
  })

  it('does not let a segment faster than free flow hide congestion elsewhere', () => {
    const n = networkTraffic([
      { lengthKm: 1, freeFlowKmh: 50, speedKmh: 100 },
      { lengthKm: 1, freeFlowKmh: 50, speedKmh: 25 },
    ], 2)
    // capped times: 1/50 + 1/25 = 3/50 h; free flow 2/50 h → DTP 1/3
    expect(n.dtp).toBeCloseTo(1 / 3, 12)
    // the measured mean speed keeps the real 100 km/h: 2 / (1/100 + 1/25)
    expect(n.meanSpeedKmh).toBeCloseTo(40, 12)
  })

  it('gives DTP 0 and grade free when everything runs at or above free flow', () => {
    const n = networkTraffic([{ lengthKm: 1, freeFlowKmh: 50, speedKmh: 70 }], 1)
    expect(n.dtp).toBe(0)
    expect(n.tpi).toBe(0)
    expect(n.grade).toBe('free')
  })

  it('keeps a standstill segment finite, counting it as fully delayed', () => {
    const n = networkTraffic([{ lengthKm: 1, freeFlowKmh: 50, speedKmh: 0 }], 1)
    expect(Number.isFinite(n.dtp)).toBe(true)
    expect(n.dtp).toBeCloseTo(1 - STANDSTILL_FLOOR_KMH / 50, 12)
    expect(n.grade).toBe('severe')
    expect(n.mileage.severe).toBe(1)
    expect(n.meanSpeedKmh).toBe(STANDSTILL_FLOOR_KMH)
    expect(NetworkTraffic.parse(n)).toEqual(n)

    const mixed = networkTraffic([
      { lengthKm: 1, freeFlowKmh: 50, speedKmh: 0 },
      { lengthKm: 9, freeFlowKmh: 50, speedKmh: 50 },
    ], 2)
    // t = 1/1 + 9/50 = 1.18 h, t_f = 10/50 = 0.2 h
    expect(mixed.dtp).toBeCloseTo(0.98 / 1.18, 12)
    expect(NetworkTraffic.parse(mixed)).toEqual(mixed)
  })

  it('returns zeros for no samples', () => {
    const n = networkTraffic([], 1500)
    expect(n).toEqual({
      dtp: 0, tpi: 0, grade: 'free', meanSpeedKmh: 0,
      mileage: { free: 0, basic: 0, light: 0, moderate: 0, severe: 0 },
      segmentsReporting: 0, segmentsTotal: 1500,
    })
    expect(NetworkTraffic.parse(n)).toEqual(n)
  })

  it('skips samples it cannot rate', () => {
    const n = networkTraffic([
      { lengthKm: 0, freeFlowKmh: 50, speedKmh: 10 },
      { lengthKm: 1, freeFlowKmh: 0, speedKmh: 10 },
      { lengthKm: 1, freeFlowKmh: 50, speedKmh: Number.NaN },
      { lengthKm: 2, freeFlowKmh: 40, speedKmh: 40 },
    ], 4)
    expect(n.segmentsReporting).toBe(1)
    expect(n.mileage.free).toBe(2)
    expect(n.meanSpeedKmh).toBe(40)
  })

  it('always parses with the NetworkTraffic schema over a large random network', () => {
    let seed = 42
    const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647
    const samples: SegmentSample[] = Array.from({ length: 1600 }, () => ({
      lengthKm: 0.1 + rand() * 2.9,
      freeFlowKmh: 30 + rand() * 70,
      speedKmh: rand() < 0.02 ? 0 : rand() * 110,
    }))
    const n = networkTraffic(samples, 1600)
    expect(NetworkTraffic.parse(n)).toEqual(n)
    const total = Object.values(n.mileage).reduce((a, b) => a + b, 0)
    expect(total).toBeCloseTo(samples.reduce((a, s) => a + s.lengthKm, 0), 9)
  })
})
