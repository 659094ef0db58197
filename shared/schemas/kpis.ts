import { z } from 'zod'
import { AQI_LEVELS } from '../air/levels'
import { Instant, TownCode } from './common'
import { IncidentNature, IncidentTopic } from './incidents'
import { CONGESTION_GRADES, CongestionGrade } from './traffic'

/**
 * A headline figure now, and the same figure at the same time of day one day
 * and seven days earlier: the mean of the hour that held that instant, from
 * the server's hourly history. null when it is not known (no data now, no
 * history then).
 */
export const Kpi = z.object({
  value: z.number().finite().nullable(),
  dayAgo: z.number().finite().nullable(),
  weekAgo: z.number().finite().nullable(),
})
export type Kpi = z.infer<typeof Kpi>

/** The six AQI levels by their key in shared/air/levels.ts: excellent … severe. */
export const AQI_LEVEL_KEYS = AQI_LEVELS.map(l => l.key) as [(typeof AQI_LEVELS)[number]['key'], ...(typeof AQI_LEVELS)[number]['key'][]]
export const AqiLevelKey = z.enum(AQI_LEVEL_KEYS)
export type AqiLevelKey = z.infer<typeof AqiLevelKey>

const Count = z.number().int().nonnegative()

export const HALL_KPIS = ['waiting', 'waitingPerWindow', 'avgWaitMin', 'windowsOpen', 'ratingsToday', 'goodRate'] as const
export const INCIDENT_KPIS = ['intakeToday', 'open', 'overdue', 'closedToday', 'onTimeRate'] as const

/**
 * The city's headline figures, computed on the server (GET /api/kpis and the
 * `kpis` stream). Scalars and the small per-level / per-grade breakdowns
 * carry their day-ago and week-ago values; the per-town, per-department,
 * per-nature and per-topic breakdowns carry only today's counts, to keep
 * every event a few KB: they break down `open` and `tpi`, which are compared.
 */
export const KpiSet = z.object({
  /** The instant the figures describe, on the server's clock (the simulated one in a simulation). */
  at: Instant,
  air: z.object({
    /** City AQI (HJ 633 real-time). */
    aqi: Kpi,
    /** Stations reporting for the city, by the AQI level of their own reading. */
    stationsByLevel: z.record(AqiLevelKey, Kpi),
  }),
  traffic: z.object({
    /** City TPI, 0–10 (GB/T 33171). */
    tpi: Kpi,
    /** Kilometres of reporting road in each grade. */
    kmByGrade: z.record(CongestionGrade, Kpi),
    /** TPI of each town with reporting roads, by town code. */
    tpiByTown: z.record(TownCode, z.number()),
  }),
  halls: z.object({
    /** People waiting in all halls. */
    waiting: Kpi,
    waitingPerWindow: Kpi,
    /** Mean wait of today's called tickets, minutes. */
    avgWaitMin: Kpi,
    windowsOpen: Kpi,
    /** 好差评 ratings given today. */
    ratingsToday: Kpi,
    /** 好评率 of today's ratings, 0–1. */
    goodRate: Kpi,
  }),
  incidents: z.object({
    /** 12345 orders reported since local midnight. */
    intakeToday: Kpi,
    open: Kpi,
    /** Open past their handling deadline. */
    overdue: Kpi,
    /** Closed since local midnight (close time = the version of the closing report). */
    closedToday: Kpi,
    /** Share of today's closures that closed by their deadline, 0–1; null before the first closure. */
    onTimeRate: Kpi,
    openByNature: z.partialRecord(IncidentNature, Count),
    openByTopic: z.partialRecord(IncidentTopic, Count),
    /** By department id of the city model. */
    openByDepartment: z.record(z.string(), Count),
    /** By town code, '' for unknown. */
    openByTown: z.record(z.string(), Count),
  }),
})
export type KpiSet = z.infer<typeof KpiSet>

/**
 * Every compared KPI by its key, the path to it in a KpiSet. The key is also
 * the entity id of its hourly history (kind 'kpi', metric 'value'), so
 * GET /api/history?kind=kpi&entity=traffic.tpi&metric=value charts it.
 */
export const KPI_KEYS = [
  'air.aqi',
  ...AQI_LEVEL_KEYS.map(k => `air.stationsByLevel.${k}` as const),
  'traffic.tpi',
  ...CONGESTION_GRADES.map(g => `traffic.kmByGrade.${g}` as const),
  ...HALL_KPIS.map(k => `halls.${k}` as const),
  ...INCIDENT_KPIS.map(k => `incidents.${k}` as const),
] as const
export type KpiKey = (typeof KPI_KEYS)[number]

/** The KPI a key names. */
export function kpiAt(set: KpiSet, key: KpiKey): Kpi {
  const [section, name, sub] = key.split('.') as [keyof Omit<KpiSet, 'at'>, string, string | undefined]
  const entry = (set[section] as Record<string, unknown>)[name]
  return (sub === undefined ? entry : (entry as Record<string, unknown>)[sub]) as Kpi
}
