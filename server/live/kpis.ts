import type { CityAir, StationReading } from '@shared/schemas/air'
import type { HallsSummary } from '@shared/schemas/halls'
import { RATING_LEVELS } from '@shared/schemas/halls'
import type { AqiLevelKey, Kpi, KpiKey, KpiSet } from '@shared/schemas/kpis'
import { AQI_LEVEL_KEYS, KPI_KEYS, kpiAt } from '@shared/schemas/kpis'
import type { CityTraffic, CongestionGrade, TownTraffic } from '@shared/schemas/traffic'
import { CONGESTION_GRADES } from '@shared/schemas/traffic'
import { STATION_SILENT_AFTER_MS } from './air-state'
import type { IncidentCounts } from './incident-state'

/** The same KPIs earlier, by key: the hour means history gives (kpis.history.ts). */
export interface KpiPast {
  dayAgo: ReadonlyMap<KpiKey, number>
  weekAgo: ReadonlyMap<KpiKey, number>
}
export const NO_PAST: KpiPast = { dayAgo: new Map(), weekAgo: new Map() }

/** What the KPIs are computed from: read from the live states (kpis.publisher.ts). */
export interface KpiInputs {
  air: { city: CityAir | null, readings: readonly StationReading[] }
  traffic: { city: CityTraffic | null, towns: readonly TownTraffic[] }
  halls: HallsSummary | null
  incidents: IncidentCounts
  past?: KpiPast
}

/** Rates (0–1) to 0.01 %, everything else to two decimals: display precision, and events stay small. */
const RATE_DIGITS = 4
const OTHER_DIGITS = 2

export function roundKpi(key: KpiKey, x: number): number {
  const scale = 10 ** (/Rate$/.test(key) ? RATE_DIGITS : OTHER_DIGITS)
  return Math.round(x * scale) / scale
}

const kpi = (value: number | null): Kpi => ({ value, dayAgo: null, weekAgo: null })

function perKey<K extends string>(keys: readonly K[], value: (key: K) => number | null): Record<K, Kpi> {
  return Object.fromEntries(keys.map(k => [k, kpi(value(k))])) as Record<K, Kpi>
}

/**
 * Stations counted by level are those the city AQI is rated from: within
 * STATION_SILENT_AFTER_MS of the newest reading (AirState). A station whose
 * reading has no AQI is in no level.
 */
function airKpis(air: KpiInputs['air']): KpiSet['air'] {
  if (!air.city)
    return { aqi: kpi(null), stationsByLevel: perKey(AQI_LEVEL_KEYS, () => null) }
  const newest = Math.max(...air.readings.map(r => Date.parse(r.observedAt)))
  const counts = new Map<AqiLevelKey, number>()
  for (const r of air.readings) {
    const level = r.aqi.level
    if (level !== null && Date.parse(r.observedAt) >= newest - STATION_SILENT_AFTER_MS) {
      const key = AQI_LEVEL_KEYS[level - 1] as AqiLevelKey
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
  }
  return { aqi: kpi(air.city.aqi.aqi), stationsByLevel: perKey(AQI_LEVEL_KEYS, k => counts.get(k) ?? 0) }
}

function trafficKpis(traffic: KpiInputs['traffic']): KpiSet['traffic'] {
  const city = traffic.city
  const towns = traffic.towns
    .filter(t => t.segmentsReporting > 0)
    .sort((a, b) => (a.townCode < b.townCode ? -1 : 1))
  return {
    tpi: kpi(city?.tpi ?? null),
    kmByGrade: perKey<CongestionGrade>(CONGESTION_GRADES, g => city?.mileage[g] ?? null),
    tpiByTown: Object.fromEntries(towns.map(t => [t.townCode, roundKpi('traffic.tpi', t.tpi)])),
  }
}

function hallKpis(s: HallsSummary | null): KpiSet['halls'] {
  return {
    waiting: kpi(s?.waiting ?? null),
    waitingPerWindow: kpi(s?.waitingPerWindow ?? null),
    avgWaitMin: kpi(s?.avgWaitMin ?? null),
    windowsOpen: kpi(s?.windowsOpen ?? null),
    ratingsToday: kpi(s ? RATING_LEVELS.reduce((n, level) => n + s.ratingsToday[level], 0) : null),
    goodRate: kpi(s?.goodRate ?? null),
  }
}

function incidentKpis(c: IncidentCounts): KpiSet['incidents'] {
  return {
    intakeToday: kpi(c.intakeToday),
    open: kpi(c.open),
    overdue: kpi(c.overdue),
    closedToday: kpi(c.closedToday),
    onTimeRate: kpi(c.closedToday > 0 ? c.closedOnTimeToday / c.closedToday : null),
    openByNature: { ...c.byNature },
    openByTopic: { ...c.byTopic },
    openByDepartment: { ...c.byDepartment },
    openByTown: { ...c.byTown },
  }
}

/**
 * The city's KPIs at `now` from the live states' figures, each compared
 * KPI with its value a day and a week earlier from `inputs.past`. Pure.
 */
export function computeKpis(inputs: KpiInputs, now: number): KpiSet {
  const set: KpiSet = {
    at: new Date(now).toISOString(),
    air: airKpis(inputs.air),
    traffic: trafficKpis(inputs.traffic),
    halls: hallKpis(inputs.halls),
    incidents: incidentKpis(inputs.incidents),
  }
  const past = inputs.past ?? NO_PAST
  const rounded = (key: KpiKey, x: number | null | undefined): number | null => (x == null ? null : roundKpi(key, x))
  for (const key of KPI_KEYS) {
    const entry = kpiAt(set, key)
    entry.value = rounded(key, entry.value)
    entry.dayAgo = rounded(key, past.dayAgo.get(key))
    entry.weekAgo = rounded(key, past.weekAgo.get(key))
  }
  return set
}
