import { HOURLY_INDICATORS } from '@shared/air/pollutants'
import { RATING_LEVELS } from '@shared/schemas/halls'
import type { WaitBand } from '@shared/schemas/review'
import type { CityModel } from '@shared/schemas/city'
import type { CongestionGrade } from '@shared/schemas/traffic'
import { gradeForRatio, speedRatio } from '@shared/traffic/congestion'
import type { RollupRow } from '@server/store/repositories'

/**
 * One local day of telemetry folded for the review (server/review): the
 * day's hourly rollups as one bucket per series, and what the review reads
 * that no single series holds: the air of an area (the city's or a town's
 * stations together, hour by hour), congestion by road and grade, and the
 * halls' day totals. Pure: the store reads the hours and writes the rows.
 */

/** A day bucket as `rollup_day` keeps it. */
export interface DayRow { kind: string, entityId: string, metric: string, day: string, n: number, sum: number, min: number, max: number }

/** The kinds the fold derives, beside the telemetry kinds it copies (air, traffic, hall, kpi). */
export const DAY_KINDS = {
  /** Hourly means over an area's stations (entity: city or a town code), one metric per indicator. */
  airArea: 'air-area',
  /** Length-hours by road (entity: the road's name, or `<town code>|<name>`): `kmHours`, `congestedKmHours`. */
  road: 'road',
  /** Length-hours per grade of an area (`kmHours.<grade>`) and the hours with data (`hours`). */
  trafficGrade: 'traffic-grade',
  /** TPI of the working-day peaks (07–09, 17–19) of an area. */
  trafficPeak: 'traffic-peak',
  /** A hall's day: `visitors`, `ratings.<level>`, `waitMinVisitors` (mean wait × visitors), `waitBand.<band>` (visitors). */
  hallDay: 'hall-day',
} as const

export const CITY = 'city'
const HOUR_MS = 3_600_000
const CHINA_OFFSET_MS = 8 * HOUR_MS
const CONGESTED: ReadonlySet<CongestionGrade> = new Set(['moderate', 'severe'])
const PEAK_HOURS: ReadonlySet<number> = new Set([7, 8, 17, 18])

/** The local hour (0–23) an hour bucket starts at. */
export const localHourOf = (start: string): number => Math.floor((Date.parse(start) + CHINA_OFFSET_MS) / HOUR_MS) % 24

/** Accumulates values into one day bucket per key. */
class Buckets {
  readonly rows = new Map<string, DayRow>()
  constructor(readonly day: string) {}

  add(kind: string, entityId: string, metric: string, value: number, n = 1): void {
    const key = `${kind}\u0000${entityId}\u0000${metric}`
    const row = this.rows.get(key)
    if (row) {
      row.n += n
      row.sum += value * n
      row.min = Math.min(row.min, value)
      row.max = Math.max(row.max, value)
    }
    else {
      this.rows.set(key, { kind, entityId, metric, day: this.day, n, sum: value * n, min: value, max: value })
    }
  }

  /** Adds a count (n and sum both grow by it). */
  count(kind: string, entityId: string, metric: string, by = 1): void {
    const key = `${kind}\u0000${entityId}\u0000${metric}`
    const row = this.rows.get(key)
    if (row) {
      row.n += by
      row.sum += by
      row.max = row.sum
    }
    else {
      this.rows.set(key, { kind, entityId, metric, day: this.day, n: by, sum: by, min: 0, max: by })
    }
  }
}

/**
 * Each hourly bucket as one day bucket per series: n-weighted sum, overall
 * min and max. Segment speeds are left out: the review reads roads, not
 * segments, and they would be most of the rows (1,850 a day for Dongguan).
 */
function copySeries(out: Buckets, hours: readonly RollupRow[]): void {
  for (const h of hours) {
    if (h.kind === 'traffic' && h.metric === 'speedKmh')
      continue
    const key = `${h.kind}\u0000${h.entityId}\u0000${h.metric}`
    const row = out.rows.get(key)
    if (row) {
      row.n += h.n
      row.sum += h.mean * h.n
      row.min = Math.min(row.min, h.min)
      row.max = Math.max(row.max, h.max)
    }
    else {
      out.rows.set(key, { kind: h.kind, entityId: h.entityId, metric: h.metric, day: out.day, n: h.n, sum: h.mean * h.n, min: h.min, max: h.max })
    }
  }
}

/** Per hour, the mean over an area's stations of each indicator; then each area-hour folded into the day. */
function foldAirAreas(out: Buckets, hours: readonly RollupRow[], city: CityModel): void {
  const townOf = new Map(city.airStations.map(s => [s.id, s.townCode]))
  const indicators: ReadonlySet<string> = new Set(HOURLY_INDICATORS)
  // area → indicator → hour start → [sum of station means, stations]
  const areas = new Map<string, Map<string, Map<string, [number, number]>>>()
  const addTo = (area: string, metric: string, start: string, mean: number): void => {
    let byMetric = areas.get(area)
    if (!byMetric)
      areas.set(area, byMetric = new Map<string, Map<string, [number, number]>>())
    let byHour = byMetric.get(metric)
    if (!byHour)
      byMetric.set(metric, byHour = new Map<string, [number, number]>())
    const held = byHour.get(start)
    if (held) {
      held[0] += mean
      held[1] += 1
    }
    else {
      byHour.set(start, [mean, 1])
    }
  }
  for (const h of hours) {
    if (h.kind !== 'air' || !indicators.has(h.metric))
      continue
    const town = townOf.get(h.entityId)
    if (town === undefined)
      continue
    addTo(CITY, h.metric, h.start, h.mean)
    addTo(town, h.metric, h.start, h.mean)
  }
  for (const [area, byMetric] of areas) {
    for (const [metric, byHour] of byMetric) {
      for (const [sum, stations] of byHour.values())
        out.add(DAY_KINDS.airArea, area, metric, sum / stations)
    }
  }
}

/** Length-hours by road and grade, from each segment's hourly mean speed; TPI of the working-day peaks. */
function foldTraffic(out: Buckets, hours: readonly RollupRow[], city: CityModel, workingDay: boolean): void {
  const segments = new Map(city.roads.map(r => [r.id, r]))
  const areaHours = new Map<string, Set<string>>()
  for (const h of hours) {
    if (h.kind === 'traffic' && h.metric === 'tpi' && workingDay && PEAK_HOURS.has(localHourOf(h.start)))
      out.add(DAY_KINDS.trafficPeak, h.entityId, 'tpi', h.mean)
    if (h.kind !== 'traffic' || h.metric !== 'speedKmh')
      continue
    const segment = segments.get(h.entityId)
    if (!segment)
      continue
    const grade = gradeForRatio(speedRatio(h.mean, segment.freeFlowKmh))
    const congested = CONGESTED.has(grade) ? segment.lengthKm : 0
    for (const road of [segment.name, `${segment.townCode}|${segment.name}`]) {
      out.add(DAY_KINDS.road, road, 'kmHours', segment.lengthKm)
      out.add(DAY_KINDS.road, road, 'congestedKmHours', congested)
    }
    for (const area of [CITY, segment.townCode]) {
      out.add(DAY_KINDS.trafficGrade, area, `kmHours.${grade}`, segment.lengthKm)
      let seen = areaHours.get(area)
      if (!seen)
        areaHours.set(area, seen = new Set())
      seen.add(h.start)
    }
  }
  for (const [area, seen] of areaHours)
    out.count(DAY_KINDS.trafficGrade, area, 'hours', seen.size)
}

/** The band of a mean wait in minutes. */
export function waitBand(minutes: number): WaitBand {
  if (minutes < 5)
    return '0-5'
  if (minutes < 10)
    return '5-10'
  if (minutes < 15)
    return '10-15'
  if (minutes < 20)
    return '15-20'
  if (minutes < 30)
    return '20-30'
  return '30+'
}

/**
 * A hall's day from its day counters (they reset at local midnight, so the
 * day's maximum is its total) and its mean wait of today's called tickets as
 * last reported that day.
 */
function foldHalls(out: Buckets, hours: readonly RollupRow[]): void {
  const halls = new Map<string, { visitors: number, ratings: Map<string, number>, lastWait?: { start: string, mean: number } }>()
  for (const h of hours) {
    if (h.kind !== 'hall')
      continue
    let hall = halls.get(h.entityId)
    if (!hall)
      halls.set(h.entityId, hall = { visitors: 0, ratings: new Map() })
    if (h.metric === 'ticketsToday')
      hall.visitors = Math.max(hall.visitors, h.max)
    else if (h.metric.startsWith('ratings.'))
      hall.ratings.set(h.metric, Math.max(hall.ratings.get(h.metric) ?? 0, h.max))
    else if (h.metric === 'avgWaitMin' && (!hall.lastWait || h.start > hall.lastWait.start))
      hall.lastWait = { start: h.start, mean: h.mean }
  }
  for (const [hallId, hall] of halls) {
    if (hall.visitors === 0 && hall.ratings.size === 0)
      continue
    out.count(DAY_KINDS.hallDay, hallId, 'visitors', hall.visitors)
    for (const level of RATING_LEVELS)
      out.count(DAY_KINDS.hallDay, hallId, `ratings.${level}`, hall.ratings.get(`ratings.${level}`) ?? 0)
    if (hall.lastWait && hall.visitors > 0) {
      out.add(DAY_KINDS.hallDay, hallId, 'waitMinVisitors', hall.lastWait.mean, hall.visitors)
      out.count(DAY_KINDS.hallDay, hallId, `waitBand.${waitBand(hall.lastWait.mean)}`, hall.visitors)
    }
  }
}

/**
 * The day rows of one local day from its hourly rollups (every kind, oldest
 * first): each series copied, plus the derived kinds of DAY_KINDS.
 */
export function foldTelemetryDay(day: string, hours: readonly RollupRow[], city: CityModel, workingDay: boolean): DayRow[] {
  const out = new Buckets(day)
  copySeries(out, hours)
  foldAirAreas(out, hours, city)
  foldTraffic(out, hours, city, workingDay)
  foldHalls(out, hours)
  return [...out.rows.values()]
}
