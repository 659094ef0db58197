import type { CongestionGrade, MileageByGrade, NetworkTraffic } from '../schemas/traffic'

/**
 * The five grades of GB/T 33171-2016 §8.1, in CONGESTION_GRADES order. The
 * standard's colours are in its Appendix D, which we could not read: these are
 * the suggestion of domain.md §2.1.
 */
export const CONGESTION_GRADE_INFO = [
  { grade: 'free', level: 1, zh: '畅通', en: 'Free flow', color: '#1A9850' },
  { grade: 'basic', level: 2, zh: '基本畅通', en: 'Basically free', color: '#91CF60' },
  { grade: 'light', level: 3, zh: '轻度拥堵', en: 'Light congestion', color: '#FEE08B' },
  { grade: 'moderate', level: 4, zh: '中度拥堵', en: 'Moderate congestion', color: '#FC8D59' },
  { grade: 'severe', level: 5, zh: '严重拥堵', en: 'Severe congestion', color: '#D73027' },
] as const satisfies readonly { grade: CongestionGrade, level: number, zh: string, en: string, color: string }[]

export type CongestionGradeInfo = (typeof CONGESTION_GRADE_INFO)[number]

/**
 * Values within this of a grade boundary count as on it. Speeds are measured to
 * 0.1 km/h at best, so no real reading is moved, but float noise such as
 * 0.1 × 7 = 0.7000000000000001 or a km/h ↔ m/s round trip no longer flips a
 * grade. On a boundary the standard puts the value in the worse grade.
 */
const BOUNDARY_EPSILON = 1e-9

/** Lower speed-ratio bounds (exclusive) of free, basic, light and moderate (§8.1). */
const RATIO_FREE = 0.7
const RATIO_BASIC = 0.5
const RATIO_LIGHT = 0.4
const RATIO_MODERATE = 0.3

/**
 * A standstill (V = 0) would make travel time infinite. Below walking pace a
 * segment is stopped anyway, so its speed is floored here: its own DTP is then
 * 1 − 1/Vf ≈ 1 and the network totals stay finite.
 */
export const STANDSTILL_FLOOR_KMH = 1

/** V / Vf, clamped to [0, 1]: faster than free flow counts as free flow. */
export function speedRatio(speedKmh: number, freeFlowKmh: number): number {
  if (!(freeFlowKmh > 0))
    throw new RangeError(`free-flow speed must be positive, got ${freeFlowKmh}`)
  const r = speedKmh / freeFlowKmh
  if (!(r > 0))
    return 0
  return r > 1 ? 1 : r
}

/**
 * The segment grade of GB/T 33171-2016 §8.1 from r = V / Vf. Compared as a
 * ratio, not as DTP = 1 − r: V / Vf is one correctly rounded division, so a
 * reading exactly on a boundary (35 / 50) equals the literal 0.7, whereas
 * 1 − 0.7 is 0.30000000000000004.
 */
export function gradeForRatio(ratio: number): CongestionGrade {
  if (ratio > RATIO_FREE + BOUNDARY_EPSILON)
    return 'free'
  if (ratio > RATIO_BASIC + BOUNDARY_EPSILON)
    return 'basic'
  if (ratio > RATIO_LIGHT + BOUNDARY_EPSILON)
    return 'light'
  if (ratio > RATIO_MODERATE + BOUNDARY_EPSILON)
    return 'moderate'
  return 'severe'
}

/** Appendix C breakpoints [DTP, TPI], as domain.md §2.3 gives them. */
const DTP_TPI: readonly (readonly [number, number])[] = [
  [0, 0],
  [0.3, 2],
  [0.5, 4],
  [0.6, 6],
  [0.7, 8],
  [1, 10],
]

/** Traffic performance index 0–10 from DTP, piecewise linear (GB/T 33171-2016 Appendix C). */
export function tpiFromDtp(dtp: number): number {
  if (Number.isNaN(dtp))
    throw new RangeError('DTP must be a number, got NaN')
  if (dtp <= 0)
    return 0
  for (let i = 1; i < DTP_TPI.length; i++) {
    const hi = DTP_TPI[i] as readonly [number, number]
    if (dtp < hi[0]) {
      const lo = DTP_TPI[i - 1] as readonly [number, number]
      return lo[1] + ((dtp - lo[0]) * (hi[1] - lo[1])) / (hi[0] - lo[0])
    }
  }
  return 10
}

/** Network grade from TPI: [0,2) free, [2,4) basic, [4,6) light, [6,8) moderate, [8,10] severe. */
export function gradeForTpi(tpi: number): CongestionGrade {
  if (Number.isNaN(tpi))
    throw new RangeError('TPI must be a number, got NaN')
  if (tpi >= 8 - BOUNDARY_EPSILON)
    return 'severe'
  if (tpi >= 6 - BOUNDARY_EPSILON)
    return 'moderate'
  if (tpi >= 4 - BOUNDARY_EPSILON)
    return 'light'
  if (tpi >= 2 - BOUNDARY_EPSILON)
    return 'basic'
  return 'free'
}

export interface SegmentSample {
  lengthKm: number
  freeFlowKmh: number
  speedKmh: number
}

/**
 * A road network's state from its segments (GB/T 33171-2016 §7.2.2–7.2.3).
 *
 * DTP = (t̄ − t_f) / t̄ with t̄ = Σ Lᵢ/Vᵢ and t_f = Σ Lᵢ/Vfᵢ. Each segment's
 * travel time is first raised to its free-flow time: the standard sets DTP to 0
 * when a road runs faster than free flow (§7.2.2.2), and without this an empty
 * expressway at 120 km/h would hide a jam elsewhere. `meanSpeedKmh` uses the
 * measured speeds (harmonic, length-weighted). A sample that cannot be rated
 * (length or free-flow speed not positive, speed not a number) is skipped and
 * not counted as reporting.
 */
export function networkTraffic(samples: readonly SegmentSample[], segmentsTotal: number): NetworkTraffic {
  const mileage: MileageByGrade = { free: 0, basic: 0, light: 0, moderate: 0, severe: 0 }
  let reporting = 0
  let lengthKm = 0
  let measuredH = 0
  let cappedH = 0
  let freeFlowH = 0
  for (const s of samples) {
    if (!(s.lengthKm > 0 && s.freeFlowKmh > 0) || Number.isNaN(s.speedKmh))
      continue
    const speed = s.speedKmh > STANDSTILL_FLOOR_KMH ? s.speedKmh : STANDSTILL_FLOOR_KMH
    const hours = s.lengthKm / speed
    const freeHours = s.lengthKm / s.freeFlowKmh
    reporting++
    lengthKm += s.lengthKm
    measuredH += hours
    freeFlowH += freeHours
    cappedH += hours > freeHours ? hours : freeHours
    mileage[gradeForRatio(speedRatio(s.speedKmh, s.freeFlowKmh))] += s.lengthKm
  }
  const dtp = cappedH > freeFlowH ? (cappedH - freeFlowH) / cappedH : 0
  const tpi = tpiFromDtp(dtp)
  return {
    dtp,
    tpi,
    grade: gradeForTpi(tpi),
    meanSpeedKmh: measuredH > 0 ? lengthKm / measuredH : 0,
    mileage,
    segmentsReporting: reporting,
    segmentsTotal,
  }
}
