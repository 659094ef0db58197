import { z } from 'zod'
import { AQI_LEVELS } from '../air/levels'
import { CONGESTION_GRADE_INFO } from '../traffic/congestion'
import { EntityId, Instant } from './common'
import type { KpiKey } from './kpis'
import { KPI_KEYS } from './kpis'

/** The store keeps every metric twice: per minute (a week or so) and per hour (a year or so). */
export const HISTORY_RESOLUTIONS = ['minute', 'hour'] as const
export const HistoryResolution = z.enum(HISTORY_RESOLUTIONS)
export type HistoryResolution = z.infer<typeof HistoryResolution>
export const RESOLUTION_MS: Record<HistoryResolution, number> = { minute: 60_000, hour: 3_600_000 }

/** One answer holds at most this many buckets: a day of minutes fits, a week of minutes needs a larger step. */
export const HISTORY_MAX_POINTS = 1500
/** The widest bucket, in units of the resolution: a day of minutes, or 60 days of hours. */
export const HISTORY_MAX_STEP = 1440

/** What a metric's `entity` names: `city` itself, or an id from GET /api/city. */
export const HistoryEntityKind = z.enum(['city', 'town', 'station', 'segment', 'hall'])
export type HistoryEntityKind = z.infer<typeof HistoryEntityKind>
/** The entity of the city-wide metrics (every KPI). */
export const CITY_ENTITY = 'city'

/** Telemetry kept per entity as the feeds report it. */
const TELEMETRY_METRICS = {
  'air.aqi': { entities: ['station'], unit: 'AQI', zh: '站点AQI', en: 'Station AQI' },
  'air.pm25': { entities: ['station'], unit: 'µg/m³', zh: '站点PM2.5', en: 'Station PM2.5' },
  'air.pm10': { entities: ['station'], unit: 'µg/m³', zh: '站点PM10', en: 'Station PM10' },
  'air.o3': { entities: ['station'], unit: 'µg/m³', zh: '站点O3（1小时）', en: 'Station O3, 1 h' },
  'air.o3_8h': { entities: ['station'], unit: 'µg/m³', zh: '站点O3（8小时滑动）', en: 'Station O3, 8 h sliding' },
  'air.no2': { entities: ['station'], unit: 'µg/m³', zh: '站点NO2', en: 'Station NO2' },
  'air.so2': { entities: ['station'], unit: 'µg/m³', zh: '站点SO2', en: 'Station SO2' },
  'air.co': { entities: ['station'], unit: 'mg/m³', zh: '站点CO', en: 'Station CO' },
  'traffic.speedKmh': { entities: ['segment'], unit: 'km/h', zh: '路段车速', en: 'Segment speed' },
  'traffic.tpi': { entities: ['city', 'town'], unit: 'TPI', zh: '交通指数（全市或镇街）', en: 'TPI, city or town' },
  'hall.waiting': { entities: ['hall'], unit: 'people', zh: '大厅等候人数', en: 'People waiting in a hall' },
  'hall.avgWaitMin': { entities: ['hall'], unit: 'min', zh: '大厅平均等候时长', en: 'Mean wait in a hall' },
  'hall.ticketsToday': { entities: ['hall'], unit: 'tickets', zh: '大厅今日取号量', en: 'Tickets issued today in a hall' },
} as const satisfies Record<string, { entities: HistoryEntityKind[], unit: string, zh: string, en: string }>

const INCIDENT_LABELS = {
  intakeToday: ['今日受理', 'Taken in today', 'orders'],
  open: ['在办工单', 'Open orders', 'orders'],
  overdue: ['超期工单', 'Overdue orders', 'orders'],
  closedToday: ['今日办结', 'Closed today', 'orders'],
  onTimeRate: ['按时办结率', 'Closed on time', 'ratio'],
} as const
const HALL_LABELS = {
  waiting: ['全市大厅等候人数', 'People waiting, all halls', 'people'],
  waitingPerWindow: ['每窗口等候人数', 'Waiting per window', 'people'],
  avgWaitMin: ['平均等候时长', 'Mean wait', 'min'],
  windowsOpen: ['开放窗口', 'Windows open', 'windows'],
  ratingsToday: ['今日评价数', 'Ratings today', 'ratings'],
  goodRate: ['好评率', 'Good ratings', 'ratio'],
} as const

/** Name and unit of each KPI, as its history is listed. */
function kpiLabel(key: KpiKey): { zh: string, en: string, unit: string } {
  const [section, name, sub] = key.split('.') as [string, string, string | undefined]
  if (key === 'air.aqi')
    return { zh: '全市AQI', en: 'City AQI', unit: 'AQI' }
  if (key === 'traffic.tpi')
    return { zh: '全市交通指数', en: 'City TPI', unit: 'TPI' }
  if (name === 'stationsByLevel') {
    const level = AQI_LEVELS.find(l => l.key === sub)
    return { zh: `${level?.zh ?? sub}站点数`, en: `Stations ${level?.en.toLowerCase() ?? sub}`, unit: 'stations' }
  }
  if (name === 'kmByGrade') {
    const grade = CONGESTION_GRADE_INFO.find(g => g.grade === sub)
    return { zh: `${grade?.zh ?? sub}里程`, en: `Road km, ${grade?.en.toLowerCase() ?? sub}`, unit: 'km' }
  }
  const [zh, en, unit] = (section === 'halls' ? HALL_LABELS[name as keyof typeof HALL_LABELS] : INCIDENT_LABELS[name as keyof typeof INCIDENT_LABELS])
  return { zh, en, unit }
}

/** Every metric the history holds: the telemetry above, and `kpi.<KPI key>` for each city KPI. */
export const HISTORY_METRICS = [...Object.keys(TELEMETRY_METRICS), ...KPI_KEYS.map(k => `kpi.${k}`)] as [string, ...string[]]
export const HistoryMetric = z.enum(HISTORY_METRICS, { error: iss => (iss.input === undefined ? 'required' : 'unknown metric (GET /api/history/metrics lists them)') })
export type HistoryMetric = z.infer<typeof HistoryMetric>

/** The history metric of a city KPI. */
export const kpiMetric = (key: KpiKey): HistoryMetric => `kpi.${key}`

export const HistoryMetricInfo = z.object({
  metric: HistoryMetric,
  /** What `entity` may name; `city` alone for the KPIs, which is then the default. */
  entities: z.array(HistoryEntityKind),
  unit: z.string(),
  zh: z.string(),
  en: z.string(),
})
export type HistoryMetricInfo = z.infer<typeof HistoryMetricInfo>

export const HISTORY_METRIC_INFO: readonly HistoryMetricInfo[] = [
  ...Object.entries(TELEMETRY_METRICS).map(([metric, info]) => ({ metric, ...info, entities: [...info.entities] })),
  ...KPI_KEYS.map(key => ({ metric: kpiMetric(key), entities: ['city' as const], ...kpiLabel(key) })),
]
const INFO_BY_METRIC = new Map(HISTORY_METRIC_INFO.map(i => [i.metric, i]))

/** GET /api/history/metrics: what can be asked for, and how far back each resolution reaches. */
export const HistoryCatalog = z.object({
  metrics: z.array(HistoryMetricInfo),
  retentionDays: z.record(HistoryResolution, z.number().positive()),
  maxPoints: z.number().int().positive(),
  maxStep: z.number().int().positive(),
})
export type HistoryCatalog = z.infer<typeof HistoryCatalog>

/** Buckets of `stepMs` (aligned to the epoch, so UTC) that [from, to) touches. */
export function bucketCount(fromMs: number, toMs: number, stepMs: number): number {
  return Math.ceil(toMs / stepMs) - Math.floor(fromMs / stepMs)
}

/**
 * GET /api/history: one metric of one entity over [from, to), in buckets of
 * `step` minutes or hours (default 1), each the n-weighted mean, min and max
 * of the rollups inside it.
 */
export const HistoryQuery = z.object({
  metric: HistoryMetric,
  /** Required, except for city-wide metrics, where it is `city`. */
  entity: EntityId.optional(),
  from: Instant,
  to: Instant,
  resolution: HistoryResolution.default('hour'),
  step: z.coerce.number().int().min(1).max(HISTORY_MAX_STEP).default(1),
}).superRefine((q, ctx) => {
  const info = INFO_BY_METRIC.get(q.metric)
  const cityOnly = info?.entities.length === 1 && info.entities[0] === 'city'
  if (q.entity === undefined && !cityOnly)
    ctx.addIssue({ code: 'custom', path: ['entity'], message: `required for ${q.metric} (${info?.entities.join(' or ') ?? '?'} id)` })
  if (q.entity !== undefined && cityOnly && q.entity !== CITY_ENTITY)
    ctx.addIssue({ code: 'custom', path: ['entity'], message: `${q.metric} is city-wide: omit entity or give "${CITY_ENTITY}"` })
  const [from, to] = [Date.parse(q.from), Date.parse(q.to)]
  if (from >= to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' })
    return
  }
  const points = bucketCount(from, to, q.step * RESOLUTION_MS[q.resolution])
  if (points > HISTORY_MAX_POINTS) {
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: `range too long: ${points} ${q.resolution} buckets of ${q.step}, at most ${HISTORY_MAX_POINTS}; `
        + `raise step${q.resolution === 'minute' ? ' or use resolution=hour' : ''}, or shorten the range`,
    })
  }
}).transform(q => ({ ...q, entity: q.entity ?? CITY_ENTITY }))
export type HistoryQuery = z.infer<typeof HistoryQuery>

/** One bucket: its start and the rollups inside it folded together. */
export const HistoryPoint = z.object({
  t: Instant,
  /** Samples folded into the bucket. */
  n: z.number().int().positive(),
  mean: z.number(),
  min: z.number(),
  max: z.number(),
})
export type HistoryPoint = z.infer<typeof HistoryPoint>

/** GET /api/history: buckets with data, oldest first; a bucket without samples is absent, not zero. */
export const HistoryResponse = z.object({
  metric: HistoryMetric,
  entity: z.string(),
  resolution: HistoryResolution,
  stepMs: z.number().int().positive(),
  from: Instant,
  to: Instant,
  rows: z.array(HistoryPoint),
})
export type HistoryResponse = z.infer<typeof HistoryResponse>
