import type { Town } from '@shared/schemas/city'
import type { CongestionGrade, TownTraffic } from '@shared/schemas/traffic'
import { CONGESTION_GRADE_INFO } from '@shared/traffic/congestion'

export interface TownRow {
  code: string
  name: string
  tpi: number
  grade: CongestionGrade
  color: string
  /** km/h, length-weighted harmonic mean of the town's reporting segments. */
  meanSpeedKmh: number
  /** Share of the town's segments reporting, 0–1: a TPI from a few segments is a weak one. */
  coverage: number
}

const GRADE_COLOR = new Map(CONGESTION_GRADE_INFO.map(g => [g.grade, g.color]))

/**
 * The most congested towns first (highest TPI; ties by name so the order does
 * not flicker), at most `limit`. Towns with no reporting segment have no TPI
 * and are left out, not ranked as free-flowing.
 */
export function rankTowns(towns: ReadonlyMap<string, TownTraffic>, model: readonly Town[], limit: number, english: boolean): TownRow[] {
  const byCode = new Map(model.map(t => [t.code, t]))
  const rows: TownRow[] = []
  for (const t of towns.values()) {
    if (t.segmentsReporting === 0)
      continue
    const town = byCode.get(t.townCode)
    rows.push({
      code: t.townCode,
      name: town ? (english ? town.pinyin : town.name) : t.townCode,
      tpi: t.tpi,
      grade: t.grade,
      color: GRADE_COLOR.get(t.grade) ?? '#8aa4c4',
      meanSpeedKmh: t.meanSpeedKmh,
      coverage: t.segmentsTotal > 0 ? t.segmentsReporting / t.segmentsTotal : 0,
    })
  }
  return rows.sort((a, b) => b.tpi - a.tpi || a.name.localeCompare(b.name, 'zh-CN')).slice(0, limit)
}

/** Text on a grade's colour: white on 严重拥堵's red, dark on the lighter four. */
export function gradeTextColor(grade: CongestionGrade): string {
  return grade === 'severe' ? '#ffffff' : '#0b1526'
}
