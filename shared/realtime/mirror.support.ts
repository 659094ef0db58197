/**
 * Test support for the mirror suite: entities of every stream, and fast-check
 * generators of the snapshots and events a stream carries.
 */
import fc from 'fast-check'
import { computeAqi } from '../air/aqi'
import type { CityAir, CityAqiPoint, StationReading } from '../schemas/air'
import type { Alert, AlertStatus } from '../schemas/alerts'
import { alertFixture } from '../schemas/alerts.fixture'
import type { FeedHealth, FeedStatus } from '../schemas/feeds'
import type { HallReading, HallsSummary } from '../schemas/halls'
import type { Incident, IncidentsSummary } from '../schemas/incidents'
import type { Kpi, KpiSet } from '../schemas/kpis'
import { AQI_LEVEL_KEYS } from '../schemas/kpis'
import type { CityTraffic, CongestionGrade, SegmentUpdate, TownTraffic } from '../schemas/traffic'
import { CONGESTION_GRADES } from '../schemas/traffic'
import type { StreamEventData, StreamName, StreamSnapshot } from './streams'

export const T0 = Date.parse('2026-11-23T00:00:00.000Z')
const MINUTE_MS = 60_000
export const at = (minute: number): string => new Date(T0 + minute * MINUTE_MS).toISOString()

// ---- entities ----

export const STATIONS = ['S1', 'S2', 'S3', 'S4'] as const
const SEGMENTS = ['R1', 'R2', 'R3', 'R4', 'R5', 'R6'] as const
const HALLS = ['H1', 'H2', 'H3'] as const
export const TOWNS = ['441900001', '441900002', '441900003'] as const
const INCIDENT_IDS = ['sim:1', 'sim:2', 'sim:3', 'sim:4', 'sim:5', 'sim:6'] as const
const ALERT_IDS = ['a1', 'a2', 'a3', 'a4'] as const

export function reading(stationId: string, minute: number, pm25: number): StationReading {
  const indicators = { pm25 }
  return { stationId, observedAt: at(minute), indicators, aqi: computeAqi(indicators) }
}

export function cityAir(minute: number, pm25: number, reporting: number): CityAir {
  const indicators = { pm25 }
  return { observedAt: at(minute), indicators, aqi: computeAqi(indicators), stationsReporting: reporting, stationsTotal: STATIONS.length }
}

function network(speed: number): Omit<CityTraffic, 'observedAt'> {
  const grade = CONGESTION_GRADES[Math.min(4, Math.floor(speed / 25))] ?? 'free'
  return {
    dtp: speed / 200,
    tpi: speed / 20,
    grade,
    meanSpeedKmh: speed,
    mileage: { free: speed, basic: 1, light: 0, moderate: 0, severe: 0 },
    segmentsReporting: 3,
    segmentsTotal: 6,
  }
}

export const townTraffic = (townCode: string, speed: number): TownTraffic => ({ ...network(speed), townCode })
export const cityTraffic = (minute: number, speed: number): CityTraffic => ({ ...network(speed), observedAt: at(minute) })

const ratings = (n: number) => ({ verySatisfied: n, satisfied: 1, basic: 0, dissatisfied: 0, veryDissatisfied: 0 })

export function hall(hallId: string, minute: number, waiting: number): HallReading {
  return {
    hallId,
    observedAt: at(minute),
    waiting,
    windowsOpen: 4,
    windowsBusy: 3,
    ticketsToday: 100 + waiting,
    servedToday: 90,
    avgWaitMin: 12.5,
    maxWaitMin: 40,
    ratingsToday: ratings(waiting),
    metrics: { waitingPerWindow: waiting / 4, utilization: 0.75, ratingsTotal: waiting + 1, goodRate: 1, badRatings: 0, pressure: waiting > 50 ? 'warn' : null },
  }
}

export function hallsSummary(minute: number, waiting: number): HallsSummary {
  return {
    observedAt: at(minute),
    waiting,
    windowsOpen: 12,
    windowsBusy: 9,
    waitingPerWindow: waiting / 12,
    avgWaitMin: 10,
    maxWaitMin: 30,
    ticketsToday: 300,
    servedToday: 250,
    ratingsToday: ratings(3),
    goodRate: null,
    hallsOpen: 3,
    hallsReporting: 3,
    hallsTotal: 3,
  }
}

export function incident(id: string, reportedMinute: number, versionMinute: number, status: 'open' | 'closed' = 'open', townCode: string | null = TOWNS[0]): Incident {
  return {
    id,
    source: 'sim',
    ticketNo: id.slice(4),
    version: at(versionMinute),
    reportedAt: at(reportedMinute),
    nature: 'complaint',
    topic: 'environment',
    urgency: 'normal',
    status,
    title: `incident ${id}`,
    description: '',
    townCode,
    departmentId: 'dept-env',
    dueAt: at(reportedMinute + 2 * 24 * 60),
    receivedAt: at(reportedMinute),
    updatedAt: at(versionMinute),
  }
}

export const incidentsSummary = (open: number): IncidentsSummary => ({ open, overdue: 0, intakeToday: open, byNature: { complaint: open }, byTopic: { environment: open }, byTown: { [TOWNS[0]]: open } })

export function alert(id: string, minute: number, status: AlertStatus): Alert {
  return alertFixture({
    id,
    ruleId: 'aqi-high',
    severity: 'major',
    status,
    title: `alert ${id}`,
    townCode: TOWNS[1],
    value: 160,
    raisedAt: at(0),
    updatedAt: at(minute),
    acknowledgedBy: status === 'firing' ? null : 'operator',
    acknowledgedAt: status === 'firing' ? null : at(minute),
    resolvedAt: status === 'resolved' ? at(minute) : null,
  })
}

export function feed(id: string, status: FeedStatus, received: number): FeedHealth {
  return {
    id,
    adapter: 'simulator',
    status,
    detail: status === 'up' ? null : 'no records',
    lastRecordAt: received > 0 ? at(received) : null,
    recordsPerSec: received / 60,
    rejectsPerSec: 0,
    lagS: null,
    totals: { received, accepted: received, rejected: 0, duplicates: 0, late: 0, coalesced: 0 },
  }
}

const kpi = (value: number | null): Kpi => ({ value, dayAgo: null, weekAgo: null })

export function kpiSet(minute: number, aqi: number | null): KpiSet {
  return {
    at: at(minute),
    air: { aqi: kpi(aqi), stationsByLevel: Object.fromEntries(AQI_LEVEL_KEYS.map(k => [k, kpi(0)])) as KpiSet['air']['stationsByLevel'] },
    traffic: { tpi: kpi(3.2), kmByGrade: Object.fromEntries(CONGESTION_GRADES.map(g => [g, kpi(1)])) as KpiSet['traffic']['kmByGrade'], tpiByTown: { [TOWNS[0]]: 3.1 } },
    halls: { waiting: kpi(5), waitingPerWindow: kpi(1), avgWaitMin: kpi(9), windowsOpen: kpi(5), ratingsToday: kpi(2), goodRate: kpi(null) },
    incidents: { intakeToday: kpi(1), open: kpi(1), overdue: kpi(0), closedToday: kpi(0), onTimeRate: kpi(null), openByNature: {}, openByTopic: {}, openByDepartment: {}, openByTown: {} },
  }
}

// ---- generated events and snapshots, per stream ----

const minute = fc.integer({ min: 0, max: 240 })
const GRADES: readonly CongestionGrade[] = CONGESTION_GRADES

const arbReading = fc.tuple(fc.constantFrom(...STATIONS), minute, fc.integer({ min: 0, max: 400 })).map(([s, m, v]) => reading(s, m, v))
const arbCityAir = fc.option(fc.tuple(minute, fc.integer({ min: 0, max: 400 }), fc.nat(4)).map(([m, v, n]) => cityAir(m, v, n)), { nil: null })
const arbPoint = fc.tuple(minute, fc.integer({ min: 0, max: 500 })).map(([m, aqi]): CityAqiPoint => ({ t: at(m), aqi }))
/** A trend as a server holds it: strictly rising times within the hour. */
const arbTrend = fc.uniqueArray(fc.tuple(fc.integer({ min: 180, max: 240 }), fc.integer({ min: 0, max: 500 })), { selector: ([m]) => m, maxLength: 8 })
  .map(points => points.sort(([a], [b]) => a - b).map(([m, aqi]): CityAqiPoint => ({ t: at(m), aqi })))

const arbSegment = fc.tuple(fc.constantFrom(...SEGMENTS), fc.integer({ min: 0, max: 120 }), fc.constantFrom(...GRADES)).map((s): SegmentUpdate => s)
const arbTownTraffic = fc.tuple(fc.constantFrom(...TOWNS), fc.integer({ min: 0, max: 120 })).map(([t, v]) => townTraffic(t, v))
const arbCityTraffic = fc.option(fc.tuple(minute, fc.integer({ min: 0, max: 120 })).map(([m, v]) => cityTraffic(m, v)), { nil: null })

const arbHall = fc.tuple(fc.constantFrom(...HALLS), minute, fc.integer({ min: 0, max: 80 })).map(([h, m, w]) => hall(h, m, w))
const arbHallsSummary = fc.option(fc.tuple(minute, fc.integer({ min: 0, max: 200 })).map(([m, w]) => hallsSummary(m, w)), { nil: null })

/** Each id keeps its report time; versions and statuses vary, and may come in any order. */
const arbIncident = fc.tuple(fc.constantFrom(...INCIDENT_IDS), minute, fc.constantFrom('open', 'closed' as const))
  .map(([id, v, status]) => incident(id, INCIDENT_IDS.indexOf(id) * 7, v, status))
const arbIncidentsSummary = fc.nat(50).map(incidentsSummary)

const arbAlert = fc.tuple(fc.constantFrom(...ALERT_IDS), minute, fc.constantFrom<AlertStatus>('firing', 'acknowledged', 'resolved')).map(([id, m, s]) => alert(id, m, s))
const arbAlertsSummary = fc.tuple(fc.nat(5), fc.nat(5)).map(([firing, acknowledged]) => ({ firing, acknowledged }))

const arbFeeds = fc.array(fc.tuple(fc.constantFrom('simulator', 'hook'), fc.constantFrom<FeedStatus>('up', 'degraded', 'down', 'stale'), fc.nat(200)).map(([id, s, n]) => feed(id, s, n)), { maxLength: 2 })
const arbKpis = fc.tuple(minute, fc.option(fc.nat(300), { nil: null })).map(([m, aqi]) => kpiSet(m, aqi))

const unique = <T>(arb: fc.Arbitrary<T>, key: (item: T) => string, maxLength: number) => fc.uniqueArray(arb, { selector: key, maxLength })

export interface StreamArbs<S extends StreamName> { snapshot: fc.Arbitrary<StreamSnapshot<S>>, event: fc.Arbitrary<StreamEventData<S>> }

export const ARBS: { [S in StreamName]: StreamArbs<S> } = {
  'air': {
    snapshot: fc.record({ readings: unique(arbReading, r => r.stationId, 4), city: arbCityAir, trend: arbTrend }),
    event: fc.record({ readings: fc.array(arbReading, { maxLength: 4 }), city: arbCityAir, trend: fc.array(arbPoint, { maxLength: 4 }) }),
  },
  'traffic': {
    snapshot: fc.record({ segments: unique(arbSegment, s => s[0], 6), towns: unique(arbTownTraffic, t => t.townCode, 3), city: arbCityTraffic }),
    event: fc.record({ segments: fc.array(arbSegment, { maxLength: 4 }), towns: fc.array(arbTownTraffic, { maxLength: 2 }), city: arbCityTraffic }),
  },
  'halls': {
    snapshot: fc.record({ halls: unique(arbHall, h => h.hallId, 3), summary: arbHallsSummary }),
    event: fc.record({ halls: fc.array(arbHall, { maxLength: 3 }), summary: arbHallsSummary }),
  },
  'incidents': {
    snapshot: fc.record({ incidents: unique(arbIncident, i => i.id, 6), summary: arbIncidentsSummary }),
    event: fc.record({ incidents: fc.array(arbIncident, { maxLength: 3 }), summary: arbIncidentsSummary }),
  },
  'alerts': {
    snapshot: fc.record({ alerts: unique(arbAlert.filter(a => a.status !== 'resolved'), a => a.id, 4), summary: arbAlertsSummary }),
    event: fc.record({ alerts: fc.array(arbAlert, { maxLength: 3 }), summary: arbAlertsSummary }),
  },
  'feed-health': { snapshot: fc.record({ feeds: arbFeeds }), event: fc.record({ feeds: arbFeeds }) },
  'kpis': { snapshot: arbKpis, event: arbKpis },
}

export const STREAMS = Object.keys(ARBS) as StreamName[]

/** A small seeded generator, so a shuffle fast-check shrinks is the same shuffle again. */
export function mulberry(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
