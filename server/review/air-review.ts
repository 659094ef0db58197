import type { DayIndicators } from '@shared/air/daily'
import { dailyAqi } from '@shared/air/daily'
import { HOURLY_INDICATORS } from '@shared/air/pollutants'
import { daysOf } from '@shared/review/periods'
import type { AqiLevel } from '@shared/air/levels'
import type { Pollutant } from '@shared/schemas/air'
import { POLLUTANTS } from '@shared/schemas/air'
import type { AirReview, Compared, DailyAqiPoint } from '@shared/schemas/review'
import type { RollupRow } from '@server/store/repositories'
import { DAY_KINDS } from './day-fold'
import type { PeriodRows } from './period-rows'

/**
 * 空气质量 over a period for an area (the city or a town): the daily AQI of
 * HJ 633 from the area's hourly means (shared/air/daily.ts), the valid days
 * per level and the share of 优良 days, the period means of the daily
 * values and the days each pollutant was primary.
 */

const LEVELS: readonly AqiLevel[] = [1, 2, 3, 4, 5, 6]

interface AirSummary {
  days: DailyAqiPoint[]
  validDays: number
  byLevel: Map<AqiLevel, number>
  goodShare: number | null
  aqiMean: number | null
  means: Record<'pm25' | 'pm10' | 'no2' | 'o3_8h', number | null>
  primary: Map<Pollutant, number>
}

const mean = (values: readonly number[]): number | null => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length)
const oneDecimal = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10)

async function summarise(rows: PeriodRows, area: string): Promise<AirSummary> {
  const dayRows = await rows.days({ kind: DAY_KINDS.airArea, entityIds: [area], metrics: HOURLY_INDICATORS })
  const byDay = new Map<string, DayIndicators>()
  for (const r of dayRows) {
    let day = byDay.get(r.day)
    if (!day)
      byDay.set(r.day, day = {})
    day[r.metric as keyof DayIndicators] = { hours: r.n, sum: r.sum, max: r.max }
  }
  const days: DailyAqiPoint[] = daysOf(rows.period.from, rows.period.to).map((day) => {
    const indicators = byDay.get(day)
    if (!indicators)
      return { day, aqi: null, level: null, primary: [], pm25: null, o3_8h: null, valid: false }
    const d = dailyAqi(indicators)
    return { day, aqi: d.aqi, level: d.level, primary: d.primary, pm25: d.values.pm25 ?? null, o3_8h: d.values.o3_8h_max ?? null, valid: d.valid }
  })
  const valid = days.filter(d => d.valid && d.aqi !== null)
  const byLevel = new Map<AqiLevel, number>()
  const primary = new Map<Pollutant, number>()
  for (const d of valid) {
    if (d.level !== null)
      byLevel.set(d.level, (byLevel.get(d.level) ?? 0) + 1)
    for (const p of d.primary)
      primary.set(p, (primary.get(p) ?? 0) + 1)
  }
  const good = (byLevel.get(1) ?? 0) + (byLevel.get(2) ?? 0)
  // Period means are of valid days only, as the daily values they average; when none is valid yet (today so far), of the days with data.
  const rated = valid.length > 0 ? valid : days.filter(d => d.aqi !== null)
  const validDays = new Set(rated.map(d => d.day))
  const dailyMean = (metric: 'pm25' | 'pm10' | 'no2'): number | null =>
    oneDecimal(mean(dayRows.filter(r => r.metric === metric && validDays.has(r.day)).map(r => Math.round(r.sum / r.n))))
  return {
    days,
    validDays: valid.length,
    byLevel,
    goodShare: valid.length === 0 ? null : good / valid.length,
    aqiMean: oneDecimal(mean(rated.map(d => d.aqi ?? 0))),
    means: {
      pm25: dailyMean('pm25'),
      pm10: dailyMean('pm10'),
      no2: dailyMean('no2'),
      o3_8h: oneDecimal(mean(rated.flatMap(d => (d.o3_8h === null ? [] : [d.o3_8h])))),
    },
    primary,
  }
}

/** Hourly AQI of one day: the city's published KPI, or the mean of a town's stations' hourly AQI. */
function hourlyAqi(hours: readonly RollupRow[]): AirReview['hours'] {
  const byHour = new Map<string, number[]>()
  for (const h of hours) {
    const held = byHour.get(h.start)
    if (held)
      held.push(h.mean)
    else
      byHour.set(h.start, [h.mean])
  }
  return [...byHour.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, values]) => ({ t, aqi: Math.round(mean(values) ?? 0) }))
}

const compared = (value: number | null, previous: number | null): Compared => ({ value, previous })

/** `stationIds`: the area's stations (null result when it has none). */
export async function airReview(current: PeriodRows, previous: PeriodRows, area: string, stationIds: readonly string[]): Promise<AirReview | null> {
  if (stationIds.length === 0)
    return null
  const [now, before] = await Promise.all([summarise(current, area), summarise(previous, area)])
  let hours: AirReview['hours'] = []
  if (current.period.days === 1) {
    const series = area === 'city'
      ? await current.hours({ kind: 'kpi', entityId: 'air.aqi', metric: 'value' })
      : (await Promise.all(stationIds.map(id => current.hours({ kind: 'air', entityId: id, metric: 'aqi' })))).flat()
    hours = hourlyAqi(series)
  }
  return {
    stations: stationIds.length,
    days: now.days,
    hours,
    validDays: compared(now.validDays, before.validDays),
    daysByLevel: LEVELS.map(level => ({ level, days: now.byLevel.get(level) ?? 0 })),
    goodShare: compared(now.goodShare, before.goodShare),
    aqiMean: compared(now.aqiMean, before.aqiMean),
    pm25: compared(now.means.pm25, before.means.pm25),
    pm10: compared(now.means.pm10, before.means.pm10),
    no2: compared(now.means.no2, before.means.no2),
    o3_8h: compared(now.means.o3_8h, before.means.o3_8h),
    primaryDays: POLLUTANTS.filter(p => now.primary.has(p)).map(pollutant => ({ pollutant, days: now.primary.get(pollutant) ?? 0 })),
  }
}
