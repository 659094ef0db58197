import { describe, expect, it } from 'vitest'
import type { RoadSegment } from '@shared/schemas/city'
import type { HallObservation, RatingCounts } from '@shared/schemas/halls'
import type { Incident } from '@shared/schemas/incidents'
import type { Kpi, KpiKey } from '@shared/schemas/kpis'
import { KPI_KEYS, kpiAt, KpiSet } from '@shared/schemas/kpis'
import { AirState } from './air-state'
import { HallState } from './hall-state'
import { IncidentState } from './incident-state'
import { computeKpis } from './kpis'
import type { KpiStates } from './kpis.publisher'
import { readKpiInputs } from './kpis.publisher'
import { TrafficState } from './traffic-state'

/** Monday 2026-11-23 08:30 in Dongguan (UTC+8); local midnight was 2026-11-22T16:00Z. */
const NOW = Date.parse('2026-11-23T00:30:00Z')
const DONGCHENG = '441900003'
const NANCHENG = '441900004'
const HUMEN = '441900121'

const road = (id: string, townCode: string, lengthKm: number, freeFlowKmh: number): RoadSegment =>
  ({ id, name: id, roadClass: 'arterial', townCode, lengthKm, freeFlowKmh, path: [[113.7, 23], [113.71, 23]] })

function incident(ticketNo: string, o: Partial<Incident> & Pick<Incident, 'reportedAt' | 'dueAt'>): Incident {
  return {
    ticketNo,
    id: `sim:${ticketNo}`,
    source: 'sim',
    version: o.reportedAt,
    nature: 'complaint',
    topic: 'environment',
    urgency: 'normal',
    status: 'open',
    title: 'noise',
    description: '',
    townCode: DONGCHENG,
    departmentId: 'dg-eco',
    receivedAt: o.reportedAt,
    updatedAt: o.reportedAt,
    ...o,
  }
}

const ratings = (verySatisfied: number, satisfied: number, dissatisfied: number, veryDissatisfied: number): RatingCounts =>
  ({ verySatisfied, satisfied, basic: 0, dissatisfied, veryDissatisfied })

function hall(hallId: string, o: Partial<HallObservation>): HallObservation {
  return {
    hallId,
    observedAt: '2026-11-23T00:29:00Z',
    waiting: 0,
    windowsOpen: 0,
    windowsBusy: 0,
    ticketsToday: 0,
    servedToday: 0,
    avgWaitMin: 0,
    maxWaitMin: 0,
    ratingsToday: ratings(0, 0, 0, 0),
    ...o,
  }
}

function emptyStates(): KpiStates {
  return { air: new AirState(4), traffic: new TrafficState([]), halls: new HallState(2), incidents: new IncidentState(() => NOW) }
}

/** Every Kpi-shaped object in a set, by its path. */
function kpiPaths(value: unknown, path: string[] = []): string[] {
  if (typeof value !== 'object' || value === null)
    return []
  if ('value' in value && 'dayAgo' in value && 'weekAgo' in value)
    return [path.join('.')]
  return Object.entries(value).flatMap(([k, v]) => kpiPaths(v, [...path, k]))
}

describe(computeKpis.name, () => {
  it('counts 12345 intake from local midnight, overdue orders, and today\'s on-time closures', () => {
    const states = emptyStates()
    states.incidents.apply([
      // 23:59 local yesterday: open, not today's intake.
      incident('A', { reportedAt: '2026-11-22T15:59:00Z', dueAt: '2026-11-24T16:00:00Z', departmentId: 'dg-eco', nature: 'consult', topic: 'housing' }),
      // 00:01 local today, its deadline already passed: intake and overdue.
      incident('B', { reportedAt: '2026-11-22T16:01:00Z', dueAt: '2026-11-23T00:00:00Z', departmentId: 'dg-urban', townCode: HUMEN }),
      // Due exactly now: overdue (shared/incidents/deadline.ts isOverdue, now ≥ dueAt).
      incident('G', { reportedAt: '2026-11-20T01:00:00Z', dueAt: new Date(NOW).toISOString(), departmentId: 'dg-eco', townCode: null }),
      // Today, closed 5 min later, well before its deadline: intake, closed on time.
      incident('C', { reportedAt: '2026-11-23T00:20:00Z', version: '2026-11-23T00:25:00Z', status: 'closed', dueAt: '2026-12-10T16:00:00Z' }),
      // Reported 8 days ago, closed today after its deadline: leaves the live view at once, counts as a late closure.
      incident('D', { reportedAt: '2026-11-15T02:00:00Z', version: '2026-11-23T00:10:00Z', status: 'closed', dueAt: '2026-11-20T16:00:00Z' }),
      // Closed at 23:00 local yesterday: not today's.
      incident('E', { reportedAt: '2026-11-22T02:00:00Z', version: '2026-11-22T15:00:00Z', status: 'closed', dueAt: '2026-12-10T16:00:00Z' }),
      // Closed at 04:00 local today…
      incident('F', { reportedAt: '2026-11-22T10:00:00Z', version: '2026-11-22T20:00:00Z', status: 'closed', dueAt: '2026-12-10T16:00:00Z', departmentId: 'dg-urban' }),
    ])
    // …and reopened at 07:00: open again, no closure today.
    states.incidents.apply([incident('F', { reportedAt: '2026-11-22T10:00:00Z', version: '2026-11-22T23:00:00Z', dueAt: '2026-12-10T16:00:00Z', departmentId: 'dg-urban' })])
    // A stale copy of F's closing version changes nothing.
    states.incidents.apply([incident('F', { reportedAt: '2026-11-22T10:00:00Z', version: '2026-11-22T20:00:00Z', status: 'closed', dueAt: '2026-12-10T16:00:00Z', departmentId: 'dg-urban' })])

    const k = computeKpis(readKpiInputs(states), NOW).incidents
    expect(k.intakeToday.value).toBe(2) // B, C
    expect(k.open.value).toBe(4) // A, B, G, F
    expect(k.overdue.value).toBe(2) // B, G
    expect(k.closedToday.value).toBe(2) // C, D
    expect(k.onTimeRate.value).toBe(0.5) // C of C, D
    expect(k.openByDepartment).toEqual({ 'dg-eco': 2, 'dg-urban': 2 })
    expect(k.openByTown).toEqual({ [DONGCHENG]: 2, [HUMEN]: 1, '': 1 })
    expect(k.openByNature).toEqual({ consult: 1, complaint: 3 })
    expect(k.openByTopic).toEqual({ housing: 1, environment: 3 })
    // The wire summary keeps its shape.
    expect(Object.keys(states.incidents.summary()).sort()).toEqual(['byNature', 'byTopic', 'byTown', 'intakeToday', 'open', 'overdue'])
  })

  it('rates traffic by grade kilometres and network TPI, per town for towns with reporting roads', () => {
    const states = emptyStates()
    states.traffic = new TrafficState([
      road('s1', DONGCHENG, 2, 60),
      road('s2', DONGCHENG, 1, 50),
      road('s3', NANCHENG, 3, 80),
      road('s4', NANCHENG, 1, 50),
      road('s5', HUMEN, 4, 60),
    ])
    states.traffic.apply([
      { segmentId: 's5', observedAt: '2026-11-22T23:40:00Z', speedKmh: 5 },
      { segmentId: 's1', observedAt: '2026-11-23T00:25:00Z', speedKmh: 60 }, // free
      { segmentId: 's2', observedAt: '2026-11-23T00:25:00Z', speedKmh: 12.5 }, // 0.25: severe
      { segmentId: 's3', observedAt: '2026-11-23T00:25:00Z', speedKmh: 36 }, // 0.45: light
    ])
    const t = computeKpis(readKpiInputs(states), NOW).traffic
    // s5 is 45 min older than the newest reading: silent, in no grade; s4 never reported.
    expect(Object.fromEntries(Object.entries(t.kmByGrade).map(([g, v]) => [g, v.value]))).toEqual({ free: 2, basic: 0, light: 3, moderate: 0, severe: 1 })
    // Hours 2/60 + 1/12.5 + 3/36 = 0.19667 against 2/60 + 1/50 + 3/80 = 0.09083 free: DTP 0.53814, TPI 4 + 0.03814 × 20.
    expect(t.tpi.value).toBe(4.76)
    // 东城 0.11333 h vs 0.05333: DTP 0.52941, TPI 4.59; 南城 0.08333 vs 0.0375: DTP 0.55, TPI 5; 虎门 has no reporting road.
    expect(t.tpiByTown).toEqual({ [DONGCHENG]: 4.59, [NANCHENG]: 5 })
  })

  it('sums the halls: waiting per open window, served-weighted wait, today\'s ratings and 好评率', () => {
    const states = emptyStates()
    states.halls.apply([
      hall('h1', { waiting: 12, windowsOpen: 3, windowsBusy: 3, servedToday: 10, ticketsToday: 22, avgWaitMin: 10, maxWaitMin: 25, ratingsToday: ratings(8, 1, 1, 0) }),
      hall('h2', { waiting: 6, windowsOpen: 1, windowsBusy: 1, servedToday: 30, ticketsToday: 36, avgWaitMin: 20, maxWaitMin: 30, ratingsToday: ratings(9, 0, 0, 1) }),
    ])
    const h = computeKpis(readKpiInputs(states), NOW).halls
    expect(h.waiting.value).toBe(18)
    expect(h.windowsOpen.value).toBe(4)
    expect(h.waitingPerWindow.value).toBe(4.5) // 18 / 4
    expect(h.avgWaitMin.value).toBe(17.5) // (10 × 10 + 20 × 30) / 40
    expect(h.ratingsToday.value).toBe(20)
    expect(h.goodRate.value).toBe(0.9) // 2 差评 of 20
  })

  it('counts the stations the city AQI is rated from by their own level', () => {
    const states = emptyStates()
    states.air.apply([
      { stationId: 'a', observedAt: '2026-11-23T00:00:00Z', indicators: { pm25: 20 } }, // IAQI 29: 优
      { stationId: 'b', observedAt: '2026-11-23T00:00:00Z', indicators: { pm25: 50 } }, // 69: 良
      { stationId: 'c', observedAt: '2026-11-23T00:00:00Z', indicators: { pm25: 50 } },
      // Three hours older than the rest: silent, in neither the city nor the counts.
      { stationId: 'd', observedAt: '2026-11-22T21:00:00Z', indicators: { pm25: 200 } },
    ])
    const a = computeKpis(readKpiInputs(states), NOW).air
    // Mean PM2.5 40 µg/m³: IAQI 50 + 5 × 50 / 40 = 56.25, rounded up to 57 (HJ 633).
    expect(a.aqi.value).toBe(57)
    expect(Object.fromEntries(Object.entries(a.stationsByLevel).map(([l, v]) => [l, v.value])))
      .toEqual({ excellent: 1, good: 2, light: 0, moderate: 0, heavy: 0, severe: 0 })
  })

  it('has no value where there is no data, and zero counts where there is nothing to count', () => {
    const set = KpiSet.parse(computeKpis(readKpiInputs(emptyStates()), NOW))
    expect(set.at).toBe('2026-11-23T00:30:00.000Z')
    for (const key of ['air.aqi', 'air.stationsByLevel.good', 'traffic.tpi', 'traffic.kmByGrade.free', 'halls.waiting', 'halls.goodRate', 'incidents.onTimeRate'] as const)
      expect(kpiAt(set, key).value, key).toBeNull()
    for (const key of ['incidents.intakeToday', 'incidents.open', 'incidents.overdue', 'incidents.closedToday'] as const)
      expect(kpiAt(set, key).value, key).toBe(0)
    expect(set.traffic.tpiByTown).toEqual({})
  })

  it('carries the comparisons it is given, rounded like the value, and names every compared KPI by a key', () => {
    const states = emptyStates()
    states.halls.apply([hall('h1', { waiting: 7, windowsOpen: 3, windowsBusy: 2, servedToday: 1, avgWaitMin: 4 })])
    const dayAgo = new Map<KpiKey, number>([['halls.waitingPerWindow', 3.14159], ['incidents.onTimeRate', 0.912345]])
    const weekAgo = new Map<KpiKey, number>([['halls.waitingPerWindow', 1.005]])
    const set = computeKpis({ ...readKpiInputs(states), past: { dayAgo, weekAgo } }, NOW)
    expect(set.halls.waitingPerWindow).toEqual<Kpi>({ value: 2.33, dayAgo: 3.14, weekAgo: 1 })
    expect(set.incidents.onTimeRate).toEqual<Kpi>({ value: null, dayAgo: 0.9123, weekAgo: null })
    expect(set.halls.waiting).toEqual<Kpi>({ value: 7, dayAgo: null, weekAgo: null })
    expect(kpiPaths(set).sort()).toEqual([...KPI_KEYS].sort())
  })
})
