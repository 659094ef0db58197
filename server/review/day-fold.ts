import { HOURLY_INDICATORS } from '@shared/air/pollutants'
import { RATING_LEVELS } from '@shared/schemas/halls'
import type { WaitBand } from '@shared/schemas/review'
import type { CityModel } from '@shared/schemas/city'
import type { CongestionGrade } from '@shared/schemas/traffic'
import { gradeForRatio, speedRatio } from '@shared/traffic/congestion'
import { weekdayOf } from '@shared/review/periods'
import type { RollupRow } from '@server/store/repositories'

/** One local day of telemetry folded for the review (server/review): see TelemetryDayFold. */

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
  /** TPI of an area by weekday and hour, metric `<weekday 0–6, Monday 0>:<hour 0–23>`: the weekday × hour grid of a period. */
  trafficHour: 'traffic-hour',
  /** A hall's day: `visitors`, `ratings.<level>`, `waitMinVisitors` (mean wait × visitors), `waitBand.<band>` (visitors). */
  hallDay: 'hall-day',
  /** The `visitors` of an area's halls together (entity: city or a town code): a period's visitors day by day in one row a day. */
  hallArea: 'hall-area',
} as const

export const CITY = 'city'
const HOUR_MS = 3_600_000
const CHINA_OFFSET_MS = 8 * HOUR_MS
const CONGESTED: ReadonlySet<CongestionGrade> = new Set(['moderate', 'severe'])
const PEAK_HOURS: ReadonlySet<number> = new Set([7, 8, 17, 18])
const INDICATORS: ReadonlySet<string> = new Set(HOURLY_INDICATORS)

/** The local hour (0–23) an hour bucket starts at. */
export const localHourOf = (start: string): number => Math.floor((Date.parse(start) + CHINA_OFFSET_MS) / HOUR_MS) % 24

/** Accumulates values into one day bucket per key. */
class Buckets {
  readonly rows = new Map<string, DayRow>()
  constructor(readonly day: string) {}

  /** An independent copy: adding to it leaves this one as it is. */
  clone(): Buckets {
    const copy = new Buckets(this.day)
    for (const [key, row] of this.rows)
      copy.rows.set(key, { ...row })
    return copy
  }

  add(kind: string, entityId: string, metric: string, value: number, n = 1): void {
    this.merge(kind, entityId, metric, n, value * n, value, value)
  }

  /** Adds a bucket already summed: n values summing to `sum`, between min and max. */
  merge(kind: string, entityId: string, metric: string, n: number, sum: number, min: number, max: number): void {
    const key = `${kind}\u0000${entityId}\u0000${metric}`
    const row = this.rows.get(key)
    if (row) {
      row.n += n
      row.sum += sum
      row.min = Math.min(row.min, min)
      row.max = Math.max(row.max, max)
    }
    else {
      this.rows.set(key, { kind, entityId, metric, day: this.day, n, sum, min, max })
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

/** What a hall's day holds so far: its day counters' highest values and its last reported mean wait. */
interface HallDay { visitors: number, ratings: Map<string, number>, lastWait?: { start: string, mean: number } }

interface CityLookups { townOfStation: ReadonlyMap<string, string>, townOfHall: ReadonlyMap<string, string>, segments: ReadonlyMap<string, CityModel['roads'][number]> }
const LOOKUPS = new WeakMap<CityModel, CityLookups>()

/** A city's station, hall and segment maps, made once per city: a page's live fold copies its folds on every load. */
function lookupsOf(city: CityModel): CityLookups {
  let held = LOOKUPS.get(city)
  if (!held) {
    LOOKUPS.set(city, held = {
      townOfStation: new Map(city.airStations.map(s => [s.id, s.townCode])),
      townOfHall: new Map(city.halls.map(h => [h.id, h.townCode])),
      segments: new Map(city.roads.map(r => [r.id, r])),
    })
  }
  return held
}

/**
 * One local day of telemetry folded from its hourly rollups, added in any
 * order and in as many parts as come (a day in progress is folded hour by
 * hour, server/review/live-days.ts), each hourly bucket once. `rows()` gives
 * the day rows so far: each series as one day bucket (n-weighted sum,
 * overall min and max), plus what no single series holds: the air of an area
 * (the city's or a town's stations together, hour by hour), congestion by
 * road and grade, and the halls' day totals. Pure: the store reads the
 * hours and writes the rows.
 */
export class TelemetryDayFold {
  private readonly buckets: Buckets
  /** area → indicator → hour start → [sum of station means, stations] */
  private readonly airHours = new Map<string, Map<string, Map<string, [number, number]>>>()
  /** area → the hours with segment speeds */
  private readonly trafficHours = new Map<string, Set<string>>()
  private readonly halls = new Map<string, HallDay>()
  private readonly townOfStation: ReadonlyMap<string, string>
  private readonly townOfHall: ReadonlyMap<string, string>
  private readonly segments: ReadonlyMap<string, CityModel['roads'][number]>
  private readonly weekday: number

  constructor(readonly day: string, private readonly city: CityModel, private readonly workingDay: boolean, buckets?: Buckets) {
    this.buckets = buckets ?? new Buckets(day)
    const lookups = lookupsOf(city)
    this.townOfStation = lookups.townOfStation
    this.townOfHall = lookups.townOfHall
    this.segments = lookups.segments
    this.weekday = weekdayOf(day)
  }

  /** An independent copy: adding to it leaves this one as it is. */
  clone(): TelemetryDayFold {
    const copy = new TelemetryDayFold(this.day, this.city, this.workingDay, this.buckets.clone())
    for (const [area, byMetric] of this.airHours)
      copy.airHours.set(area, new Map([...byMetric].map(([metric, byHour]) => [metric, new Map([...byHour].map(([start, [sum, n]]) => [start, [sum, n]]))])))
    for (const [area, seen] of this.trafficHours)
      copy.trafficHours.set(area, new Set(seen))
    for (const [id, hall] of this.halls)
      copy.halls.set(id, { visitors: hall.visitors, ratings: new Map(hall.ratings), ...(hall.lastWait ? { lastWait: { ...hall.lastWait } } : {}) })
    return copy
  }

  add(hours: readonly RollupRow[]): this {
    for (const h of hours) {
      this.copySeries(h)
      if (h.kind === 'air')
        this.addAir(h)
      else if (h.kind === 'traffic')
        this.addTraffic(h)
      else if (h.kind === 'hall')
        this.addHall(h)
    }
    return this
  }

  rows(): DayRow[] {
    const out = this.buckets.clone()
    for (const [area, byMetric] of this.airHours) {
      for (const [metric, byHour] of byMetric) {
        for (const [sum, stations] of byHour.values())
          out.add(DAY_KINDS.airArea, area, metric, sum / stations)
      }
    }
    for (const [area, seen] of this.trafficHours)
      out.count(DAY_KINDS.trafficGrade, area, 'hours', seen.size)
    this.hallRows(out)
    return [...out.rows.values()]
  }

  /**
   * Each series into its day bucket. Segment speeds are left out: the review
   * reads roads, not segments, and they would be most of the rows (1,850 a
   * day for Dongguan).
   */
  private copySeries(h: RollupRow): void {
    if (h.kind === 'traffic' && h.metric === 'speedKmh')
      return
    this.buckets.merge(h.kind, h.entityId, h.metric, h.n, h.mean * h.n, h.min, h.max)
  }

  /** A station's hour toward the hourly mean of its town's and the city's stations. */
  private addAir(h: RollupRow): void {
    if (!INDICATORS.has(h.metric))
      return
    const town = this.townOfStation.get(h.entityId)
    if (town === undefined)
      return
    for (const area of [CITY, town]) {
      let byMetric = this.airHours.get(area)
      if (!byMetric)
        this.airHours.set(area, byMetric = new Map<string, Map<string, [number, number]>>())
      let byHour = byMetric.get(h.metric)
      if (!byHour)
        byMetric.set(h.metric, byHour = new Map<string, [number, number]>())
      const held = byHour.get(h.start)
      if (held) {
        held[0] += h.mean
        held[1] += 1
      }
      else {
        byHour.set(h.start, [h.mean, 1])
      }
    }
  }

  /** Length-hours by road and grade, from a segment's hourly mean speed; TPI of the working-day peaks. */
  private addTraffic(h: RollupRow): void {
    if (h.metric === 'tpi') {
      const hour = localHourOf(h.start)
      this.buckets.merge(DAY_KINDS.trafficHour, h.entityId, `${this.weekday}:${hour}`, h.n, h.mean * h.n, h.min, h.max)
      if (this.workingDay && PEAK_HOURS.has(hour))
        this.buckets.add(DAY_KINDS.trafficPeak, h.entityId, 'tpi', h.mean)
    }
    if (h.metric !== 'speedKmh')
      return
    const segment = this.segments.get(h.entityId)
    if (!segment)
      return
    const grade = gradeForRatio(speedRatio(h.mean, segment.freeFlowKmh))
    const congested = CONGESTED.has(grade) ? segment.lengthKm : 0
    for (const road of [segment.name, `${segment.townCode}|${segment.name}`]) {
      this.buckets.add(DAY_KINDS.road, road, 'kmHours', segment.lengthKm)
      this.buckets.add(DAY_KINDS.road, road, 'congestedKmHours', congested)
    }
    for (const area of [CITY, segment.townCode]) {
      this.buckets.add(DAY_KINDS.trafficGrade, area, `kmHours.${grade}`, segment.lengthKm)
      let seen = this.trafficHours.get(area)
      if (!seen)
        this.trafficHours.set(area, seen = new Set())
      seen.add(h.start)
    }
  }

  /**
   * A hall's day counters (they reset at local midnight, so the day's
   * maximum is its total) and its mean wait of today's called tickets as
   * last reported that day.
   */
  private addHall(h: RollupRow): void {
    let hall = this.halls.get(h.entityId)
    if (!hall)
      this.halls.set(h.entityId, hall = { visitors: 0, ratings: new Map() })
    if (h.metric === 'ticketsToday')
      hall.visitors = Math.max(hall.visitors, h.max)
    else if (h.metric.startsWith('ratings.'))
      hall.ratings.set(h.metric, Math.max(hall.ratings.get(h.metric) ?? 0, h.max))
    else if (h.metric === 'avgWaitMin' && (!hall.lastWait || h.start > hall.lastWait.start))
      hall.lastWait = { start: h.start, mean: h.mean }
  }

  private hallRows(out: Buckets): void {
    for (const [hallId, hall] of this.halls) {
      if (hall.visitors === 0 && hall.ratings.size === 0)
        continue
      out.count(DAY_KINDS.hallDay, hallId, 'visitors', hall.visitors)
      const town = this.townOfHall.get(hallId)
      for (const area of town === undefined ? [CITY] : [CITY, town])
        out.count(DAY_KINDS.hallArea, area, 'visitors', hall.visitors)
      for (const level of RATING_LEVELS)
        out.count(DAY_KINDS.hallDay, hallId, `ratings.${level}`, hall.ratings.get(`ratings.${level}`) ?? 0)
      if (hall.lastWait && hall.visitors > 0) {
        out.add(DAY_KINDS.hallDay, hallId, 'waitMinVisitors', hall.lastWait.mean, hall.visitors)
        out.count(DAY_KINDS.hallDay, hallId, `waitBand.${waitBand(hall.lastWait.mean)}`, hall.visitors)
      }
    }
  }
}

/** The day rows of one local day from all its hourly rollups (see TelemetryDayFold). */
export function foldTelemetryDay(day: string, hours: readonly RollupRow[], city: CityModel, workingDay: boolean): DayRow[] {
  return new TelemetryDayFold(day, city, workingDay).add(hours).rows()
}
