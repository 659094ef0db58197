/**
 * A week of KPI history in the benchmark's database before the server starts,
 * as a server that has run for a week has it: the wall's 24-hour trends
 * start full (288 five-minute points each) and its day-ago and week-ago
 * comparisons have values, so that the charts draw, and grow, as they do in
 * service. The values are plausible shapes (a daily rhythm around a typical
 * level), not the simulator's: the benchmark measures drawing them, not them.
 */
import { KPI_KEYS } from '@shared/schemas/kpis'
import type { KpiKey } from '@shared/schemas/kpis'
import { KPI_HISTORY_KIND, KPI_HISTORY_METRIC } from '@server/live/kpis.history'
import { openSqliteStore } from '@server/store/sqlite'
import type { RollupSample } from '@server/store/repositories'

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS
/** Every minute for the last day and a bit (the minute rollups the trends read), every ten minutes before. */
const DENSE_MS = 26 * HOUR_MS
const SPARSE_STEP_MS = 10 * MINUTE_MS
const CHUNK = 5000
/** China time: the city's day. */
const TZ_OFFSET_MS = 8 * HOUR_MS

/** A key's typical level and how much of it the day's rhythm moves; counts are whole. */
interface Shape { level: number, swing: number, whole: boolean }

const SHAPES: Partial<Record<KpiKey, Shape>> = {
  'air.aqi': { level: 55, swing: 0.25, whole: true },
  'air.stationsByLevel.excellent': { level: 12, swing: 0.3, whole: true },
  'air.stationsByLevel.good': { level: 14, swing: 0.2, whole: true },
  'air.stationsByLevel.light': { level: 3, swing: 0.5, whole: true },
  'traffic.tpi': { level: 3, swing: 0.5, whole: false },
  'traffic.kmByGrade.free': { level: 1050, swing: 0.2, whole: false },
  'traffic.kmByGrade.basic': { level: 900, swing: 0.2, whole: false },
  'traffic.kmByGrade.light': { level: 230, swing: 0.5, whole: false },
  'traffic.kmByGrade.moderate': { level: 100, swing: 0.6, whole: false },
  'traffic.kmByGrade.severe': { level: 45, swing: 0.7, whole: false },
  'halls.waiting': { level: 120, swing: 0.9, whole: true },
  'halls.waitingPerWindow': { level: 1.5, swing: 0.9, whole: false },
  'halls.avgWaitMin': { level: 12, swing: 0.4, whole: false },
  'halls.windowsOpen': { level: 150, swing: 0.9, whole: true },
  'halls.ratingsToday': { level: 900, swing: 0.9, whole: true },
  'halls.goodRate': { level: 0.97, swing: 0.02, whole: false },
  'incidents.intakeToday': { level: 500, swing: 0.9, whole: true },
  'incidents.open': { level: 700, swing: 0.15, whole: true },
  'incidents.overdue': { level: 10, swing: 0.5, whole: true },
  'incidents.closedToday': { level: 450, swing: 0.9, whole: true },
  'incidents.onTimeRate': { level: 0.98, swing: 0.02, whole: false },
}
const OTHER: Shape = { level: 1, swing: 0.5, whole: true }

/** Daytime high, night low: 0 at 04:00 China time, 1 at 16:00. */
function rhythm(t: number): number {
  const hour = (((t + TZ_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS / HOUR_MS
  return 0.5 - 0.5 * Math.cos(((hour - 4) / 24) * 2 * Math.PI)
}

export function kpiValue(key: KpiKey, t: number): number {
  const shape = SHAPES[key] ?? OTHER
  // A slow wobble besides the day, different per key, so that lines are not copies of each other.
  const wobble = 0.05 * Math.sin(t / (37 * MINUTE_MS) + key.length)
  const value = Math.max(0, shape.level * (1 - shape.swing / 2 + shape.swing * rhythm(t) + wobble))
  return shape.whole ? Math.round(value) : Math.round(value * 10_000) / 10_000
}

/** The samples for [from, until): every minute in the last DENSE_MS, every ten minutes before. */
export function seedSamples(from: number, until: number): RollupSample[] {
  const samples: RollupSample[] = []
  const dense = until - DENSE_MS
  for (let t = Math.ceil(from / MINUTE_MS) * MINUTE_MS; t < until; t += t < dense ? SPARSE_STEP_MS : MINUTE_MS) {
    const observedAt = new Date(t).toISOString()
    for (const key of KPI_KEYS)
      samples.push({ kind: KPI_HISTORY_KIND, entityId: key, metric: KPI_HISTORY_METRIC, observedAt, value: kpiValue(key, t) })
  }
  return samples
}

/** Writes the week before `until` into the database file, before any server opens it; the number of samples. */
export async function seedKpiHistory(dbFile: string, until: number, days = 7): Promise<number> {
  const store = await openSqliteStore(dbFile)
  try {
    const samples = seedSamples(until - days * DAY_MS, until)
    for (let i = 0; i < samples.length; i += CHUNK)
      await store.history.add(samples.slice(i, i + CHUNK))
    return samples.length
  }
  finally {
    await store.close()
  }
}
