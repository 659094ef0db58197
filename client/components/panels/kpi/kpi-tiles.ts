import { aqiLevel } from '@shared/air/levels'
import type { KpiKey, KpiSet } from '@shared/schemas/kpis'
import { kpiAt } from '@shared/schemas/kpis'
import { CONGESTION_GRADE_INFO, gradeForTpi } from '@shared/traffic/congestion'
import type { Better, KpiChange } from './kpi-change'
import { kpiChange } from './kpi-change'

/** How one headline tile reads its KPI. Labels and units are keys under `panels.kpi`. */
export interface TileSpec {
  key: KpiKey
  label: string
  unit: string | null
  better: Better
  digits: number
  /** A 0–1 ratio shown in percent; its change is in percentage points. */
  percent?: boolean
  /** The standard's level or grade beside the value (HJ 633 for AQI, GB/T 33171 for TPI). */
  badge?: 'aqi' | 'tpi'
}

/** The wall's headline figures, left to right. */
export const KPI_TILES: readonly TileSpec[] = [
  { key: 'air.aqi', label: 'aqi', unit: null, better: 'lower', digits: 0, badge: 'aqi' },
  { key: 'traffic.tpi', label: 'tpi', unit: null, better: 'lower', digits: 1, badge: 'tpi' },
  { key: 'halls.waiting', label: 'waiting', unit: 'people', better: 'lower', digits: 0 },
  { key: 'incidents.intakeToday', label: 'intake', unit: 'orders', better: 'neither', digits: 0 },
  { key: 'incidents.open', label: 'open', unit: 'orders', better: 'lower', digits: 0 },
  { key: 'incidents.onTimeRate', label: 'onTime', unit: 'percent', better: 'higher', digits: 1, percent: true },
  { key: 'halls.goodRate', label: 'goodRate', unit: 'percent', better: 'higher', digits: 1, percent: true },
]

export interface TileBadge {
  zh: string
  en: string
  color: string
}

export interface TileView {
  spec: TileSpec
  /** The figure as shown, '—' when it is not known. */
  value: string
  known: boolean
  change: KpiChange | null
  badge: TileBadge | null
}

function badgeOf(kind: TileSpec['badge'], value: number | null): TileBadge | null {
  if (kind === undefined || value === null)
    return null
  if (kind === 'aqi') {
    const level = aqiLevel(value)
    return { zh: level.zh, en: level.en, color: level.color }
  }
  const grade = gradeForTpi(value)
  const info = CONGESTION_GRADE_INFO.find(g => g.grade === grade)!
  return { zh: info.zh, en: info.en, color: info.color }
}

/** Each tile's figure, badge and change against the same time a day ago; nothing where the set has no value. */
export function kpiTiles(set: KpiSet | null, specs: readonly TileSpec[] = KPI_TILES): TileView[] {
  return specs.map((spec) => {
    const kpi = set ? kpiAt(set, spec.key) : null
    const value = kpi?.value ?? null
    const scale = spec.percent ? 100 : 1
    return {
      spec,
      value: value === null ? '—' : (value * scale).toFixed(spec.digits),
      known: value !== null,
      change: kpi ? kpiChange(kpi.value, kpi.dayAgo, spec.better, spec.digits, scale) : null,
      badge: badgeOf(spec.badge, value),
    }
  })
}
