import type { CityModel, RoadSegment } from '@shared/schemas/city'
import type { Compared, TrafficReview } from '@shared/schemas/review'
import { CONGESTION_GRADES, ROAD_CLASSES } from '@shared/schemas/traffic'
import type { DayTotal } from '@server/store/review.repository'
import { CITY, DAY_KINDS } from './day-fold'
import type { PeriodRows } from './period-rows'

/**
 * 道路交通 over a period for an area: TPI by weekday and hour, its mean and
 * that of the working-day peaks, the roads most often congested (中度 or
 * 严重, by length-hours), the towns by TPI (the city's page) and the mean
 * kilometres in each grade of GB/T 33171.
 */

/** Roads ranked on the city's page: the corridors (expressways and arterials). */
const CORRIDOR_CLASSES: ReadonlySet<string> = new Set(['expressway', 'arterial'])
const TOP_ROADS = 10

const ratio = (t: DayTotal | undefined): number | null => (t && t.n > 0 ? t.sum / t.n : null)
const twoDecimals = (v: number | null): number | null => (v === null ? null : Math.round(v * 100) / 100)
const byEntity = (totals: readonly DayTotal[], metric: string): Map<string, DayTotal> =>
  new Map(totals.filter(t => t.metric === metric).map(t => [t.entityId, t]))

interface Road { key: string, name: string, roadClass: RoadSegment['roadClass'], lengthKm: number }

/** The roads of an area, keyed as the fold keys them: by name for the city, `<town>|<name>` for a town. */
function roadsOf(city: CityModel, area: string): Road[] {
  const roads = new Map<string, Road>()
  for (const s of city.roads) {
    if (area !== CITY && s.townCode !== area)
      continue
    const key = area === CITY ? s.name : `${area}|${s.name}`
    const held = roads.get(key)
    if (held) {
      held.lengthKm += s.lengthKm
      if (ROAD_CLASSES.indexOf(s.roadClass) < ROAD_CLASSES.indexOf(held.roadClass))
        held.roadClass = s.roadClass
    }
    else {
      roads.set(key, { key, name: s.name, roadClass: s.roadClass, lengthKm: s.lengthKm })
    }
  }
  const all = [...roads.values()]
  const corridors = all.filter(r => CORRIDOR_CLASSES.has(r.roadClass))
  return area === CITY || corridors.length > 0 ? corridors : all
}

async function congestedShares(rows: PeriodRows, roads: readonly Road[]): Promise<Map<string, number>> {
  const totals = await rows.totals({ kind: DAY_KINDS.road, entityIds: roads.map(r => r.key) })
  const all = byEntity(totals, 'kmHours')
  const congested = byEntity(totals, 'congestedKmHours')
  const shares = new Map<string, number>()
  for (const [key, t] of all) {
    if (t.sum > 0)
      shares.set(key, (congested.get(key)?.sum ?? 0) / t.sum)
  }
  return shares
}

async function tpiMeans(rows: PeriodRows, areas: readonly string[]): Promise<{ mean: Map<string, DayTotal>, peak: Map<string, DayTotal> }> {
  const [mean, peak] = await Promise.all([
    rows.totals({ kind: 'traffic', entityIds: areas, metrics: ['tpi'] }),
    rows.totals({ kind: DAY_KINDS.trafficPeak, entityIds: areas, metrics: ['tpi'] }),
  ])
  return { mean: byEntity(mean, 'tpi'), peak: byEntity(peak, 'tpi') }
}

async function kmByGrade(rows: PeriodRows, area: string): Promise<Map<string, number>> {
  const totals = await rows.totals({ kind: DAY_KINDS.trafficGrade, entityIds: [area] })
  const hours = totals.find(t => t.metric === 'hours')?.sum ?? 0
  return new Map(hours === 0 ? [] : totals.filter(t => t.metric.startsWith('kmHours.')).map(t => [t.metric.slice('kmHours.'.length), t.sum / hours]))
}

/** The weekday × hour grid from the period's `traffic-hour` totals (metric `<weekday>:<hour>`). */
function weekdayHourGrid(totals: readonly DayTotal[]): TrafficReview['tpiByWeekdayHour'] {
  const cells = new Map(totals.map(t => [t.metric, t]))
  return Array.from({ length: 7 }, (_, weekday) => Array.from({ length: 24 }, (_, hour) => twoDecimals(ratio(cells.get(`${weekday}:${hour}`)))))
}

const compared = (value: number | null, previous: number | null): Compared => ({ value: twoDecimals(value), previous: twoDecimals(previous) })

export async function trafficReview(current: PeriodRows, previous: PeriodRows, city: CityModel, area: string): Promise<TrafficReview | null> {
  const roads = roadsOf(city, area)
  if (roads.length === 0)
    return null
  const towns = area === CITY ? city.towns.map(t => t.code) : []
  const [grid, dayRows, now, before, shares, previousShares, km, previousKm] = await Promise.all([
    current.totals({ kind: DAY_KINDS.trafficHour, entityIds: [area] }),
    current.days({ kind: 'traffic', entityIds: [area], metrics: ['tpi'] }),
    tpiMeans(current, [area, ...towns]),
    tpiMeans(previous, [area, ...towns]),
    congestedShares(current, roads),
    congestedShares(previous, roads),
    kmByGrade(current, area),
    kmByGrade(previous, area),
  ])
  const corridors = roads
    .filter(r => shares.has(r.key))
    .sort((a, b) => (shares.get(b.key) ?? 0) - (shares.get(a.key) ?? 0) || a.name.localeCompare(b.name, 'zh-CN'))
    .slice(0, TOP_ROADS)
    .map(r => ({ name: r.name, roadClass: r.roadClass, lengthKm: Math.round(r.lengthKm * 10) / 10, congestedShare: shares.get(r.key) ?? 0, previousShare: previousShares.get(r.key) ?? null }))
  const townRows = towns
    .flatMap((townCode) => {
      const tpi = ratio(now.mean.get(townCode))
      return tpi === null ? [] : [{ townCode, tpi: twoDecimals(tpi) ?? 0, peakTpi: twoDecimals(ratio(now.peak.get(townCode))), previous: twoDecimals(ratio(before.mean.get(townCode))) }]
    })
    .sort((a, b) => b.tpi - a.tpi)
  const dayMeans = new Map(dayRows.map(r => [r.day, r.sum / r.n]))
  return {
    tpiByWeekdayHour: weekdayHourGrid(grid),
    tpiMean: compared(ratio(now.mean.get(area)), ratio(before.mean.get(area))),
    peakTpi: compared(ratio(now.peak.get(area)), ratio(before.peak.get(area))),
    days: [...dayMeans.entries()].map(([day, tpi]) => ({ day, tpi: twoDecimals(tpi) })),
    corridors,
    towns: townRows,
    kmByGrade: CONGESTION_GRADES.map(grade => ({ grade, km: Math.round((km.get(grade) ?? 0) * 10) / 10, previous: previousKm.size === 0 ? null : Math.round((previousKm.get(grade) ?? 0) * 10) / 10 })),
  }
}
