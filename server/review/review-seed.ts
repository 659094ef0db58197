import type { Kysely, RawBuilder, Transaction } from 'kysely'
import { CompiledQuery, sql } from 'kysely'
import { computeAqi } from '@shared/air/aqi'
import { AQI_LEVELS, aqiLevel } from '@shared/air/levels'
import type { WorkingCalendar } from '@shared/calendar/working-days'
import { localDate, localMidnight } from '@shared/calendar/working-days'
import type { MachineContext } from '@shared/dispatch/machine'
import { applyCommand, applyDeadline } from '@shared/dispatch/machine'
import type { SlaMark, SlaPolicy } from '@shared/dispatch/sla'
import { DEFAULT_SLA_POLICY } from '@shared/dispatch/sla'
import { addDays } from '@shared/review/periods'
import type { CityModel } from '@shared/schemas/city'
import type { Incident, IncidentNature, IncidentReport } from '@shared/schemas/incidents'
import { INCIDENT_NATURES } from '@shared/schemas/incidents'
import { RATING_LEVELS } from '@shared/schemas/halls'
import type { RoadClass } from '@shared/schemas/traffic'
import { CONGESTION_GRADES } from '@shared/schemas/traffic'
import type { Satisfaction, WorkOrder, WorkOrderActor, WorkOrderCommand, WorkOrderEvent } from '@shared/schemas/work-orders'
import { isTerminal } from '@shared/schemas/work-orders'
import { gradeForRatio, speedRatio, tpiFromDtp } from '@shared/traffic/congestion'
import { suggestRouting } from '@server/dispatch/routing'
import { deriveSeed, Random } from '@server/feeds/random'
import type { DayKind } from '@server/feeds/simulator/china-time'
import { bump, dayKind, localTime } from '@server/feeds/simulator/china-time'
import type { Point, TownInfo } from '@server/feeds/simulator/city-index'
import { CityIndex, offsetKm } from '@server/feeds/simulator/city-index'
import { CallWriter } from '@server/feeds/simulator/incident-calls'
import type { IncidentTemplate } from '@server/feeds/simulator/incident-templates'
import { NATURE_MIX, TEMPLATES } from '@server/feeds/simulator/incident-templates'
import { trafficDemand } from '@server/feeds/simulator/traffic.sim'
import { deriveIncident } from '@server/ingest/incident.derive'
import { KPI_HISTORY_KIND, KPI_HISTORY_METRIC } from '@server/live/kpis.history'
import { dialectOf } from '@server/store/dialect'
import type { Database } from '@server/store/schema'
import { workOrderRow } from '@server/store/work-order.repository'

/**
 * History for a store, made up but shaped like the city's (issue 9: the
 * review's benchmark, and review pages with weeks of data in browser tests):
 * hourly rollups of every station, segment, town, hall and the wall's KPIs,
 * as ingest would have kept them, and 12345 calls with their work orders
 * worked through the real machine (shared/dispatch/machine.ts) on the
 * working-day calendar. Deterministic for a seed. Rows go straight into the
 * tables in multi-row INSERTs, one transaction per local day, so a year of
 * a whole city takes minutes.
 */

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS
/** Telemetry reports every 5 minutes: an hour bucket holds 12 samples. */
const SAMPLES_PER_HOUR = 12
/** The source of seeded calls: not the simulator's, so its officers leave the seeded orders alone. */
export const SEED_SOURCE = 'seed'

export interface ReviewSeedOptions {
  city: CityModel
  calendar: WorkingCalendar
  /** The seeded store's "now" (epoch ms): hours up to the last one begun before it, work up to it. */
  until: number
  /** Whole local days of history before the local day of `until` (whose hours up to `until` come too). */
  days: number
  /** Days of 12345 calls up to `until` (default `days`): the benchmark's year of orders in 400 days of telemetry. */
  orderDays?: number
  /** Calls a day on average (Dongguan's 6,000 by default, as the simulator). */
  callsPerDay?: number
  seed?: number
  sla?: SlaPolicy
  /** After each local day is written. */
  onDay?: (day: string, totals: SeedCounts) => void
}

export interface SeedCounts { hours: number, incidents: number, orders: number, events: number }

// ---------------------------------------------------------------- writing

type Table = 'rollup_hour' | 'incidents' | 'incident_versions' | 'work_orders' | 'work_order_events'
const COLUMNS: Readonly<Record<Table, readonly string[]>> = {
  rollup_hour: ['kind', 'entity_id', 'metric', 'hour', 'n', 'sum', 'min', 'max'],
  incidents: ['id', 'source', 'ticket_no', 'version', 'status', 'reported_at', 'due_at', 'town_code', 'department_id', 'incident', 'drill_id'],
  incident_versions: ['incident_id', 'version', 'received_at', 'report'],
  work_orders: ['id', 'state', 'version', 'department_id', 'assisting', 'town_code', 'topic', 'nature', 'priority', 'supervision', 'accepted_at', 'dispatched_at', 'signed_at', 'replied_at', 'closed_at', 'sign_due_at', 'handle_due_at', 'updated_at', 'event_count', 'doc', 'drill_id'],
  work_order_events: ['order_id', 'seq', 'at', 'action', 'event'],
}
/** Bound parameters per SQLite statement: below its 32,766. */
const PARAMS_PER_STATEMENT = 16_000
/** Rows per PostgreSQL statement, sent as one JSON parameter. */
const PG_ROWS_PER_STATEMENT = 10_000

/**
 * PostgreSQL takes a batch as one JSON array of rows, made into the table's
 * row type by json_populate_recordset: parsing and binding 16,000
 * parameters per statement costs it several times the insert itself.
 */
function recordset(table: Table, flat: readonly unknown[]): RawBuilder<unknown> {
  const columns = COLUMNS[table]
  const rows: Record<string, unknown>[] = []
  for (let i = 0; i < flat.length; i += columns.length) {
    const row: Record<string, unknown> = {}
    for (const [j, c] of columns.entries())
      row[c] = flat[i + j]
    rows.push(row)
  }
  const list = sql.join(columns.map(c => sql.ref(c)))
  return sql`insert into ${sql.table(table)} (${list}) select ${list} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::json)`
}

/**
 * A day's rows per table, written as multi-row INSERTs. The statement text
 * of each size is compiled once by kysely (so the dialect's placeholders and
 * quoting are its own) and reused with fresh parameters: building the query
 * tree of 2,000 rows for every statement would cost more than the insert.
 */
class BulkRows {
  private readonly rows = new Map<Table, unknown[]>()
  private readonly statements = new Map<string, string>()

  constructor(private readonly db: Kysely<Database>) {}

  add(table: Table, values: readonly unknown[]): void {
    let held = this.rows.get(table)
    if (!held)
      this.rows.set(table, held = [])
    held.push(...values)
  }

  async flush(trx: Transaction<Database>): Promise<void> {
    const postgres = dialectOf(this.db) === 'postgres'
    for (const [table, values] of this.rows) {
      const width = COLUMNS[table].length
      const perStatement = postgres ? PG_ROWS_PER_STATEMENT : Math.floor(PARAMS_PER_STATEMENT / width)
      for (let i = 0; i < values.length; i += perStatement * width) {
        const part = values.slice(i, i + perStatement * width)
        if (postgres)
          await recordset(table, part).execute(trx)
        else
          await trx.executeQuery(CompiledQuery.raw(this.statement(table, part.length / width), part))
      }
    }
    this.rows.clear()
  }

  private statement(table: Table, rows: number): string {
    const key = `${table}:${rows}`
    let text = this.statements.get(key)
    if (text === undefined) {
      const row = Object.fromEntries(COLUMNS[table].map(c => [c, 0]))
      const compiled = this.db.insertInto(table).values(Array.from({ length: rows }, () => row)).compile()
      if (compiled.parameters.length !== rows * COLUMNS[table].length)
        throw new Error(`seed: ${table} insert of ${rows} rows compiled to ${compiled.parameters.length} parameters`)
      text = compiled.sql
      this.statements.set(key, text)
    }
    return text
  }
}

// ---------------------------------------------------------------- telemetry

const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x)
const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits

/** Around the day of the year, a yearly cycle that peaks on `peakDay`. */
const yearly = (t: number, peakDay: number): number => Math.cos((2 * Math.PI * ((t / DAY_MS) % 365.25 - peakDay)) / 365.25)

/** A local hour's diurnal shape per species (PRD city: rush-hour NO2 and CO, night PM, afternoon ozone). */
function diurnal(h: number): { pm: number, no2: number, co: number, o3: number, so2: number } {
  const b = (peak: number, width: number): number => Math.max(bump(h, peak, width), bump(h, peak - 24, width), bump(h, peak + 24, width))
  return {
    pm: 0.82 + 0.22 * b(8.5, 2) + 0.38 * b(21, 3),
    no2: 0.65 + 0.6 * b(8, 1.5) + 0.7 * b(18.5, 2),
    co: 0.82 + 0.2 * b(8, 1.5) + 0.28 * b(19, 2.5),
    o3: 0.28 + 1.35 * b(15, 3),
    so2: 0.9 + 0.2 * b(11, 4),
  }
}

/** How much of its free-flow speed a road class gives up at full demand. */
const CLASS_SENSITIVITY: Readonly<Record<RoadClass, number>> = { expressway: 0.6, arterial: 0.7, secondary: 0.56, branch: 0.4 }

interface StationModel { id: string, pm: number, no2: number, so2: number, o3: number, noise: number, pm25: number[], pm10: number[], o3s: number[] }
interface SegmentModel { id: string, area: number, lengthKm: number, freeFlowKmh: number, load: number }
interface HallModel {
  id: string
  windows: number
  hours: CityModel['halls'][number]['hours']
  /** Visitors on a full working day. */
  visitorsPerDay: number
  /** Share of ratings at each level, best first. */
  ratingShares: number[]
  tickets: number
  ratings: number[]
  waitSum: number
}

/**
 * The city's telemetry hour by hour: one local day's weather (stagnant or
 * clean, rain), air per station with seasonal PM and the afternoon ozone,
 * each segment's speed from the demand of its day kind and hour, the TPI of
 * each area from those speeds (GB/T 33171 DTP, as the live KPIs), halls
 * filling through their opening hours with counters that restart at local
 * midnight, and the KPI series the wall reads.
 */
class TelemetryModel {
  private readonly rng: Random
  private readonly stations: StationModel[]
  private readonly segments: SegmentModel[]
  private readonly areas: string[]
  private readonly halls: HallModel[]
  private stagnation = 0
  private day = ''
  private rain = false
  private dayLoad = 1

  constructor(city: CityModel, seed: number, private readonly calendar: WorkingCalendar) {
    this.rng = new Random(deriveSeed(seed, 'review-seed:telemetry'))
    const rng = this.rng
    const factor = (): number => rng.between(0.88, 1.12)
    this.stations = city.airStations.map((s) => {
      // The western river towns are industrial, the eastern hills downwind.
      const west = s.lng < 113.7 ? 1 : 0
      const east = s.lng > 114.05 ? 1 : 0
      return { id: s.id, pm: (1 + 0.12 * west - 0.15 * east) * factor(), no2: (1 + 0.3 * west - 0.2 * east) * factor(), so2: (1 + 0.5 * west) * factor(), o3: (1 - 0.05 * west + 0.1 * east) * factor(), noise: 0, pm25: [], pm10: [], o3s: [] }
    })
    this.areas = ['city', ...city.towns.map(t => t.code)]
    const areaOf = new Map(this.areas.map((a, i) => [a, i]))
    const index = new CityIndex(city)
    const townLoad = new Map(index.towns.map(t => [t.code, 0.85 + 0.3 * t.weight]))
    this.segments = city.roads.map(r => ({
      id: r.id,
      area: areaOf.get(r.townCode) ?? 0,
      lengthKm: r.lengthKm,
      freeFlowKmh: r.freeFlowKmh,
      load: CLASS_SENSITIVITY[r.roadClass] * (townLoad.get(r.townCode) ?? 1) * rng.between(0.75, 1.15),
    }))
    this.halls = city.halls.map((h) => {
      const bad = rng.between(0.01, 0.06)
      return {
        id: h.id,
        windows: h.windows,
        hours: h.hours,
        visitorsPerDay: h.windows * rng.between(28, 42) * (h.level === 'city' ? 1.3 : 1),
        ratingShares: [0.7 - bad, 0.2, 0.1 - bad / 2, bad * 0.6, bad * 0.4 + bad / 2],
        tickets: 0,
        ratings: RATING_LEVELS.map(() => 0),
        waitSum: 0,
      }
    })
  }

  /** A new local day: its weather, and the halls' day counters back to zero. */
  private startDay(date: string, t: number): void {
    this.day = date
    const rng = this.rng
    // Stagnant spells last days: an AR(1) over days.
    this.stagnation = 0.7 * this.stagnation + 0.55 * rng.normal()
    const wet = 0.25 - 0.17 * yearly(t, 15) // ≈ 42 % of days in summer, 8 % in winter
    this.rain = rng.chance(wet)
    this.dayLoad = rng.between(0.92, 1.08) * (this.rain ? 1.2 : 1)
    for (const hall of this.halls) {
      hall.tickets = 0
      hall.ratings.fill(0)
      hall.waitSum = 0
    }
  }

  /** The rollup rows of the hour starting at `t` (epoch ms), each as 8 values. */
  hour(t: number, out: BulkRows): number {
    const local = localTime(t)
    if (local.date !== this.day)
      this.startDay(local.date, t)
    const kind: DayKind = dayKind(local, { isWorkingDay: d => this.calendar.isWorkingDay(d), isPublicHoliday: d => this.calendar.isHoliday(d) })
    const h = local.minute / 60
    const start = new Date(t).toISOString()
    let rows = 0
    const push = (kind: string, entity: string, metric: string, mean: number, min: number, max: number, n = SAMPLES_PER_HOUR): void => {
      out.add('rollup_hour', [kind, entity, metric, start, n, mean * n, min, max])
      rows++
    }
    const spread = (kind: string, entity: string, metric: string, mean: number, by: number, digits: number): void =>
      push(kind, entity, metric, round(mean, digits), round(mean * (1 - by), digits), round(mean * (1 + by), digits))
    const kpi = (key: string, value: number): void => push(KPI_HISTORY_KIND, key, KPI_HISTORY_METRIC, value, value, value, 60)

    // Air: PM peaks in the dry winter, ozone in the sunny autumn; rain washes both out.
    const shape = diurnal(h + 0.5)
    const pmSeason = (1 + 0.42 * yearly(t, 15)) * Math.exp(0.32 * this.stagnation) * (this.rain ? 0.6 : 1)
    const o3Season = (1 + 0.3 * yearly(t, 275)) * Math.exp(0.15 * this.stagnation) * (this.rain ? 0.7 : 1)
    const citySum = { so2: 0, no2: 0, co: 0, o3: 0, o3_8h: 0, pm25: 0, pm10: 0, pm25_24h: 0, pm10_24h: 0 }
    const byLevel = new Map<string, number>()
    for (const s of this.stations) {
      s.noise = 0.8 * s.noise + 0.25 * this.rng.normal()
      const noise = Math.exp(0.18 * s.noise)
      const pm25 = 26 * s.pm * pmSeason * shape.pm * noise
      const v = {
        so2: 7 * s.so2 * shape.so2 * noise,
        no2: 28 * s.no2 * shape.no2 * noise * (kind === 'workday' ? 1 : 0.85),
        co: 0.6 * shape.co * noise,
        o3: 92 * s.o3 * o3Season * shape.o3 * Math.exp(0.1 * this.rng.normal()),
        pm25,
        pm10: pm25 * this.rng.between(1.5, 1.8),
      }
      const window = (held: number[], value: number, length: number): number => {
        held.push(value)
        if (held.length > length)
          held.shift()
        return held.reduce((a, b) => a + b, 0) / held.length
      }
      const indicators = { ...v, o3_8h: window(s.o3s, v.o3, 8), pm25_24h: window(s.pm25, v.pm25, 24), pm10_24h: window(s.pm10, v.pm10, 24) }
      for (const metric of ['so2', 'no2', 'o3', 'o3_8h', 'pm25', 'pm10'] as const)
        spread('air', s.id, metric, indicators[metric], 0.12, 1)
      spread('air', s.id, 'co', indicators.co, 0.12, 2)
      const aqi = computeAqi(indicators).aqi ?? 0
      push('air', s.id, 'aqi', aqi, Math.round(aqi * 0.92), Math.round(aqi * 1.08))
      const level = aqiLevel(aqi).key
      byLevel.set(level, (byLevel.get(level) ?? 0) + 1)
      for (const key of Object.keys(citySum) as (keyof typeof citySum)[])
        citySum[key] += indicators[key] / this.stations.length
    }
    if (this.stations.length > 0) {
      kpi('air.aqi', computeAqi(citySum).aqi ?? 0)
      for (const l of AQI_LEVELS)
        kpi(`air.stationsByLevel.${l.key}`, byLevel.get(l.key) ?? 0)
    }

    // Traffic: each segment's hourly mean speed; the areas' TPI from the same speeds.
    const demand = trafficDemand(kind, h + 0.5)
    const capped = new Float64Array(this.areas.length)
    const free = new Float64Array(this.areas.length)
    const km = new Map<string, number>()
    for (const s of this.segments) {
      const congestion = clamp(s.load * this.dayLoad * demand ** 1.25 + 0.04 * this.rng.normal(), 0, 0.93)
      const speed = s.freeFlowKmh * (1 - congestion)
      push('traffic', s.id, 'speedKmh', round(speed, 1), round(speed * 0.82, 1), round(Math.min(s.freeFlowKmh * 1.1, speed * 1.15), 1))
      const hours = s.lengthKm / Math.max(speed, 1)
      const freeHours = s.lengthKm / s.freeFlowKmh
      for (const area of [0, s.area]) {
        capped[area] = (capped[area] ?? 0) + Math.max(hours, freeHours)
        free[area] = (free[area] ?? 0) + freeHours
      }
      const grade = gradeForRatio(speedRatio(speed, s.freeFlowKmh))
      km.set(grade, (km.get(grade) ?? 0) + s.lengthKm)
    }
    for (const [i, area] of this.areas.entries()) {
      const c = capped[i] ?? 0
      const f = free[i] ?? 0
      if (c === 0)
        continue
      const tpi = round(tpiFromDtp(c > f ? (c - f) / c : 0), 2)
      spread('traffic', area, 'tpi', tpi, 0.06, 2)
      if (i === 0)
        kpi('traffic.tpi', tpi)
    }
    if (this.segments.length > 0) {
      for (const grade of CONGESTION_GRADES)
        kpi(`traffic.kmByGrade.${grade}`, round(km.get(grade) ?? 0, 1))
    }

    // Halls: tickets through the opening hours; the day's counters only rise until midnight.
    let waitingAll = 0
    let ratingsAll = 0
    let waitMinSum = 0
    let open = 0
    for (const hall of this.halls) {
      // Closed on public holidays; otherwise the hours of the day's kind.
      const intervals = kind === 'holiday' ? [] : kind === 'workday' ? hall.hours.workday : kind === 'saturday' ? hall.hours.saturday : hall.hours.sunday
      let openMin = 0
      for (const [a, b] of intervals)
        openMin += Math.max(0, Math.min(b, local.minute + 60) - Math.max(a, local.minute))
      const scale = kind === 'workday' ? 1 : 0.55
      const busy = openMin === 0 ? 0 : (0.55 + bump(h + 0.5, 10, 1.3) + 0.8 * bump(h + 0.5, 15, 1.5)) * (openMin / 60)
      const arrivals = this.rng.poisson((hall.visitorsPerDay * scale * busy) / 8.5)
      const before = hall.tickets
      hall.tickets += arrivals
      const staffed = Math.max(1, Math.round(hall.windows * (kind === 'workday' ? 0.75 : 0.45)))
      const load = arrivals / (staffed * 5.5)
      const waitMin = openMin === 0 ? 0 : clamp(3 + 22 * load * load + this.rng.between(-1, 1.5), 1, 60)
      hall.waitSum += waitMin * arrivals
      // The mean wait of today's called tickets, as a hall reports it: held after closing, 0 before the first.
      const dayWait = hall.tickets === 0 ? 0 : hall.waitSum / hall.tickets
      const waiting = openMin === 0 ? 0 : Math.round(arrivals * 0.12 * (1 + 2 * load * load))
      push('hall', hall.id, 'waiting', waiting, Math.round(waiting * 0.5), Math.round(waiting * 1.6))
      push('hall', hall.id, 'avgWaitMin', round(dayWait, 1), round(dayWait, 1), round(dayWait, 1))
      push('hall', hall.id, 'ticketsToday', (before + hall.tickets) / 2, before, hall.tickets)
      // About half the visitors rate; the worse levels drawn by their shares, the best takes the rest.
      const rated = this.rng.poisson(arrivals * 0.55)
      const added = hall.ratingShares.map((share, i) => (i === 0 ? 0 : this.rng.poisson(rated * share)))
      added[0] = Math.max(0, rated - added.reduce((a, b) => a + b, 0))
      for (const [i, level] of RATING_LEVELS.entries()) {
        const was = hall.ratings[i] ?? 0
        const now = was + (added[i] ?? 0)
        hall.ratings[i] = now
        push('hall', hall.id, `ratings.${level}`, (was + now) / 2, was, now)
      }
      waitingAll += waiting
      ratingsAll += hall.ratings.reduce((a, b) => a + b, 0)
      if (openMin > 0) {
        waitMinSum += waitMin
        open++
      }
    }
    if (this.halls.length > 0) {
      kpi('halls.waiting', waitingAll)
      kpi('halls.ratingsToday', ratingsAll)
      if (open > 0)
        kpi('halls.avgWaitMin', round(waitMinSum / open, 1))
    }
    return rows
  }
}

// ---------------------------------------------------------------- 12345

/** Working days call more than weekends and holidays; over a week the mean is the calls per day. */
const DAY_FACTOR: Readonly<Record<DayKind, number>> = { workday: 1.06, saturday: 0.85, sunday: 0.85, holiday: 0.85 }
/** Calls by local hour: quiet at night, peaks in the late morning, the afternoon and the evening. */
function callShares(kind: DayKind): number[] {
  const raw = Array.from({ length: 24 }, (_, i) => {
    const h = i + 0.5
    const day = clamp((h - 6.5) / 2, 0, 1) * (1 - clamp((h - 21.5) / 2, 0, 1))
    return kind === 'workday'
      ? 0.08 + 0.3 * day + bump(h, 10, 1.2) + 0.9 * bump(h, 15.5, 1.4) + 0.35 * bump(h, 20, 1.5)
      : 0.08 + 0.4 * day + 0.6 * bump(h, 10.5, 1.5) + 0.55 * bump(h, 15.5, 1.8) + 0.4 * bump(h, 20.5, 1.5)
  })
  const total = raw.reduce((a, b) => a + b, 0)
  return raw.map(x => x / total)
}
/** Complaints and reports at a town's hotspots (a building site, a market, a factory): the repeated ones. */
const HOTSPOT_SHARE = 0.35
const HOTSPOTS_PER_TOWN = 3
const TOWN_SPREAD_KM = 1.2
const HOTSPOT_SPREAD_KM = 0.12
/** Share of each nature answered at the call from the knowledge base (直接答复). */
const DIRECT_ANSWER: Readonly<Record<IncidentNature, number>> = { consult: 0.6, help: 0.08, complaint: 0.02, report: 0.01, suggestion: 0.15 }
const RETURN_SHARE = 0.03
const LATE_SIGN_SHARE = 0.04
const LATE_REPLY_SHARE = 0.05
const EXTENSION_SHARE = 0.02
const RESOLVED_SHARE = 0.95
const RATINGS: ReadonlyArray<[Satisfaction, number]> = [['very_satisfied', 0.55], ['satisfied', 0.3], ['basic', 0.09], ['unsatisfied', 0.04], ['very_unsatisfied', 0.02]]

const DUTY: WorkOrderActor = { id: 'seed-duty', name: '值班长', departmentId: null }
const handler = (departmentId: string): WorkOrderActor => ({ id: `seed-${departmentId}`, name: '承办人', departmentId })

interface Hotspot { point: Point, template: IncidentTemplate, nature: IncidentNature }

/**
 * 12345 calls and what became of them by `until`: each call written as the
 * platform writes it (the simulator's CallWriter), made an incident and its
 * order as ingest does (deriveIncident), then worked step by step through
 * the machine: direct answers, dispatch, some returns (改派 or 驳回), signing
 * (a few late: 催办), extensions, replies (a few late: 督办), revisits (a
 * few unsatisfied: 重办). Steps past `until` have not happened yet.
 */
class HotlineModel {
  private readonly rng: Random
  private readonly index: CityIndex
  private readonly writer: CallWriter
  private readonly townWeights: number[]
  private readonly natureWeights: number[]
  private readonly byNature: Map<IncidentNature, { list: IncidentTemplate[], weights: number[] }>
  private readonly hotspots = new Map<string, Hotspot[]>()
  private readonly shares = new Map<DayKind, number[]>()
  private readonly departments: ReadonlySet<string>
  private readonly cityDepartments: string[]

  constructor(private readonly city: CityModel, seed: number, private readonly calendar: WorkingCalendar, private readonly policy: SlaPolicy, private readonly callsPerDay: number) {
    this.rng = new Random(deriveSeed(seed, 'review-seed:hotline'))
    this.index = new CityIndex(city)
    this.writer = new CallWriter(this.index, `S${(seed % 1296).toString(36).toUpperCase()}`)
    this.townWeights = this.index.towns.map(t => t.weight)
    this.natureWeights = INCIDENT_NATURES.map(n => NATURE_MIX[n])
    this.byNature = new Map(INCIDENT_NATURES.map((nature) => {
      const list = TEMPLATES.filter(t => (t.natures[nature] ?? 0) > 0)
      return [nature, { list, weights: list.map(t => t.natures[nature] ?? 0) }]
    }))
    const complaints = TEMPLATES.filter(t => (t.natures.complaint ?? 0) > 0 || (t.natures.report ?? 0) > 0)
    for (const town of this.index.towns) {
      this.hotspots.set(town.code, Array.from({ length: HOTSPOTS_PER_TOWN }, () => {
        const template = this.rng.pick(complaints)
        return { point: this.near(town, TOWN_SPREAD_KM), template, nature: (template.natures.complaint ?? 0) > 0 ? 'complaint' : 'report' }
      }))
    }
    for (const kind of ['workday', 'saturday', 'sunday', 'holiday'] as const)
      this.shares.set(kind, callShares(kind))
    this.departments = new Set(city.departments.map(d => d.id))
    this.cityDepartments = city.departments.filter(d => d.townCode === undefined).map(d => d.id)
  }

  /** The calls of [from, to) within one local day, each with its rows. */
  calls(from: number, to: number, until: number, out: BulkRows): { incidents: number, events: number } {
    const local = localTime(from)
    const kind = dayKind(local, { isWorkingDay: d => this.calendar.isWorkingDay(d), isPublicHoliday: d => this.calendar.isHoliday(d) })
    const shares = this.shares.get(kind) ?? []
    const times: number[] = []
    for (let hour = 0; hour < 24; hour++) {
      const a = local.midnight + hour * HOUR_MS
      const count = this.rng.poisson(this.callsPerDay * DAY_FACTOR[kind] * (shares[hour] ?? 0))
      for (let k = 0; k < count; k++) {
        const at = a + this.rng.next() * HOUR_MS
        if (at >= from && at < to)
          times.push(at)
      }
    }
    times.sort((a, b) => a - b)
    let incidents = 0
    let events = 0
    for (const at of times) {
      const written = this.call(at, until, out)
      if (written > 0) {
        incidents++
        events += written
      }
    }
    return { incidents, events }
  }

  private near(p: Point, km: number): Point {
    const c = (x: number): number => clamp(x, -2.5 * km, 2.5 * km)
    return offsetKm(p, c(this.rng.normal() * km), c(this.rng.normal() * km))
  }

  /** One call with its rows; the timeline entries written (0: not filed by `until`). */
  private call(at: number, until: number, out: BulkRows): number {
    const rng = this.rng
    const town = this.index.towns[rng.weightedIndex(this.townWeights)] as TownInfo
    let nature = INCIDENT_NATURES[rng.weightedIndex(this.natureWeights)] as IncidentNature
    let template: IncidentTemplate
    let location: Point
    const spots = this.hotspots.get(town.code) ?? []
    if ((nature === 'complaint' || nature === 'report') && spots.length > 0 && rng.chance(HOTSPOT_SHARE)) {
      const spot = rng.pick(spots)
      ;({ template, nature } = spot)
      location = this.near(spot.point, HOTSPOT_SPREAD_KM)
    }
    else {
      const options = this.byNature.get(nature)!
      template = options.list[rng.weightedIndex(options.weights)] as IncidentTemplate
      location = this.near(town, TOWN_SPREAD_KM)
    }
    const written = this.writer.write({ template, nature, town, location, reportedAt: at, urgent: rng.chance(template.urgent ?? 0.02) }, rng)
    const report: IncidentReport = { ...written, urgency: written.urgency ?? 'normal', status: 'open', description: written.description }
    // Filed a minute or two after the call: not yet, when that is past `until`.
    if (Date.parse(report.version) >= until)
      return 0
    const incident = deriveIncident(SEED_SOURCE, report, report.version, undefined, { city: this.city, calendar: this.calendar, sla: this.policy })
    const { handling: created, ...held } = incident
    const { order, events } = this.work(incident, created!, until)
    out.add('incidents', [incident.id, incident.source, incident.ticketNo, incident.version, isTerminal(order.state) ? 'closed' : 'open', incident.reportedAt, incident.dueAt, incident.townCode, incident.departmentId, JSON.stringify(held), null])
    out.add('incident_versions', [incident.id, incident.version, incident.receivedAt, JSON.stringify(written)])
    const row = workOrderRow(order, events.length)
    out.add('work_orders', COLUMNS.work_orders.map(c => row[c as keyof typeof row]))
    for (const e of events)
      out.add('work_order_events', [e.orderId, e.seq, e.at, e.action, JSON.stringify(e)])
    return events.length
  }

  /** The order's steps up to `until`, through the machine; its timeline from the `create` entry. */
  private work(incident: Incident, created: WorkOrder, until: number): { order: WorkOrder, events: WorkOrderEvent[] } {
    const rng = this.rng
    let order = created
    const events: WorkOrderEvent[] = [{ orderId: order.id, seq: 1, at: order.updatedAt, action: 'create', actor: { id: 'system', name: '系统', departmentId: null }, departmentId: order.departmentId, from: null, to: order.state, detail: { departmentId: order.departmentId } }]
    let t = Date.parse(order.updatedAt)
    const urgent = (): boolean => order.priority === 'urgent'
    /** One command at `at` (never before the last step); false once `until` is reached or the machine refuses. */
    const step = (at: number, actor: WorkOrderActor, command: WorkOrderCommand): boolean => {
      const when = Math.max(at, t + MINUTE_MS)
      if (when >= until)
        return false
      const ctx: MachineContext = { actor, may: { dispatch: true, handle: true }, now: new Date(when).toISOString(), calendar: this.calendar, policy: this.policy, departments: this.departments }
      const outcome = applyCommand(order, command, ctx)
      if (!outcome.ok)
        throw new Error(`seed: ${command.action} refused on ${order.id} (${order.state}): ${outcome.message}`)
      order = outcome.order
      events.push({ ...outcome.event, seq: events.length + 1 })
      t = when
      return true
    }
    const deadline = (mark: SlaMark, dueAt: string): void => {
      const due = Date.parse(dueAt)
      if (due >= until || due < t)
        return
      const { order: next, event } = applyDeadline(order, mark, dueAt, dueAt)
      order = next
      events.push({ ...event, seq: events.length + 1 })
      t = due
    }
    const minutes = (a: number, b: number): number => rng.between(a, b) * MINUTE_MS
    const hours = (a: number, b: number): number => rng.between(a, b) * HOUR_MS

    if (!urgent() && rng.chance(DIRECT_ANSWER[order.nature])) {
      step(t + minutes(2, 15), DUTY, { action: 'answer', summary: '话务员已根据知识库答复来电人。' })
      return { order, events }
    }
    const routed = suggestRouting({ ...incident, handling: order }, this.city)
    if (!step(t + (urgent() ? minutes(2, 8) : minutes(5, 30)), DUTY, { action: 'dispatch', departmentId: routed.departmentId, assistingDepartmentIds: [], priority: routed.priority, note: '按建议派单' }))
      return { order, events }
    if (rng.chance(RETURN_SHARE)) {
      if (!step(t + hours(0.5, 6), handler(order.departmentId), { action: 'return', reason: '经核实不属本单位职责' }))
        return { order, events }
      const other = this.cityDepartments.filter(d => d !== order.departmentId)
      const redispatch = rng.chance(0.75) && other.length > 0
      const review: WorkOrderCommand = redispatch
        ? { action: 'review_return', decision: 'redispatch', departmentId: rng.pick(other), assistingDepartmentIds: [], note: '改派' }
        : { action: 'review_return', decision: 'reject', assistingDepartmentIds: [], note: '属本单位职责，驳回退单' }
      if (!step(t + hours(0.5, 3), DUTY, review))
        return { order, events }
    }
    if (order.state === 'dispatched') {
      const late = order.signDueAt !== null && rng.chance(LATE_SIGN_SHARE)
      if (late && order.signDueAt)
        deadline('sign_overdue', order.signDueAt)
      const signAt = late && order.signDueAt ? Date.parse(order.signDueAt) + hours(0.5, 3) : t + (urgent() ? minutes(5, 25) : minutes(20, 300))
      if (!step(signAt, handler(order.departmentId), { action: 'sign' }))
        return { order, events }
    }
    if (!urgent() && rng.chance(EXTENSION_SHARE)) {
      if (!step(t + hours(20, 60), handler(order.departmentId), { action: 'request_extension', workingDays: 5, reason: '需协调多个部门现场处置' }))
        return { order, events }
      if (!step(t + hours(2, 8), DUTY, { action: 'review_extension', approve: rng.chance(0.8), note: '' }))
        return { order, events }
    }
    for (let round = 0; ; round++) {
      const due = Date.parse(order.handleDueAt)
      const late = round === 0 && rng.chance(LATE_REPLY_SHARE)
      let replyAt: number
      if (round > 0)
        replyAt = t + hours(4, 40)
      else if (late)
        replyAt = Math.max(due, t) + hours(2, 72)
      else
        replyAt = t + Math.max(MINUTE_MS, (due - t) * (0.05 + 0.8 * rng.next() ** 1.6))
      if (late)
        deadline('handle_overdue', order.handleDueAt)
      if (!step(replyAt, handler(order.departmentId), { action: 'reply', summary: '已核实处理并回复来电人。', resolved: rng.chance(RESOLVED_SHARE) }))
        return { order, events }
      let u = rng.next()
      let satisfaction: Satisfaction = 'satisfied'
      for (const [level, share] of RATINGS) {
        if (u < share) {
          satisfaction = level
          break
        }
        u -= share
      }
      // At most two reopens: a third revisit settles for 基本满意.
      if (round >= 2)
        satisfaction = 'basic'
      if (!step(t + (urgent() ? hours(1, 3) : hours(1, 24)), DUTY, { action: 'revisit', satisfaction, note: '' }))
        return { order, events }
      if (order.state === 'closed')
        return { order, events }
    }
  }
}

// ---------------------------------------------------------------- the run

/**
 * Fills `db` (migrated, empty) with `days` local days of hourly telemetry
 * up to `until` and `orderDays` days of 12345 work. One transaction per day.
 */
export async function seedReviewHistory(db: Kysely<Database>, o: ReviewSeedOptions): Promise<SeedCounts> {
  const seed = o.seed ?? 20260101
  const lastDay = localDate(o.until)
  const firstDay = addDays(lastDay, -o.days)
  const ordersFrom = o.until - (o.orderDays ?? o.days) * DAY_MS
  const untilHour = Math.floor(o.until / HOUR_MS) * HOUR_MS
  const telemetry = new TelemetryModel(o.city, seed, o.calendar)
  const hotline = new HotlineModel(o.city, seed, o.calendar, o.sla ?? DEFAULT_SLA_POLICY, o.callsPerDay ?? 6000)
  const rows = new BulkRows(db)
  const totals: SeedCounts = { hours: 0, incidents: 0, orders: 0, events: 0 }
  for (let day = firstDay; day <= lastDay; day = addDays(day, 1)) {
    const start = localMidnight(day)
    const end = Math.min(start + DAY_MS, o.until)
    for (let t = start; t < Math.min(start + DAY_MS, untilHour); t += HOUR_MS)
      totals.hours += telemetry.hour(t, rows)
    if (end > ordersFrom) {
      const work = hotline.calls(Math.max(start, ordersFrom), end, o.until, rows)
      totals.incidents += work.incidents
      totals.orders += work.incidents
      totals.events += work.events
    }
    await db.transaction().execute(trx => rows.flush(trx))
    o.onDay?.(day, totals)
  }
  return totals
}
