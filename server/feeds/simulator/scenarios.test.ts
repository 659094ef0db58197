import { describe, expect, it } from 'vitest'
import { ZodError } from 'zod'
import type { AirObservation } from '@shared/schemas/air'
import type { HallObservation } from '@shared/schemas/halls'
import type { IncidentReport } from '@shared/schemas/incidents'
import { ActiveScenario } from '@shared/schemas/scenarios'
import type { TrafficObservation } from '@shared/schemas/traffic'
import type { RecordKind } from '@shared/schemas/feeds'
import { createManualClock } from '../sim-clock'
import type { ManualClock } from '../sim-clock'
import { WEEKDAY_CALENDAR } from './china-time'
import { distanceKm } from './city-index'
import { fixtureCity, MONDAY_MIDNIGHT } from './city.fixture'
import { CitySimulator } from './city-simulator'
import { ScenarioError } from './scenarios'

const MIN = 60_000
const HOUR = 60 * MIN
const city = fixtureCity()
const SHATIAN = '441900123'
const HUMEN = '441900121'
const CHANGAN = '441900119'
const DONGCHENG = '441900003'
const segmentsById = new Map(city.roads.map(r => [r.id, r]))

interface Run { sim: CitySimulator, clock: ManualClock, records: Record<RecordKind, { t: number, records: unknown[] }[]> }

function run(seed = 21): Run {
  const clock = createManualClock(MONDAY_MIDNIGHT)
  const sim = new CitySimulator({
    city, clock, seed, airIntervalMs: 1, trafficIntervalMs: 1, hallIntervalMs: 1, incidentsPerDay: 6000, faultRate: 0,
    isWorkingDay: WEEKDAY_CALENDAR.isWorkingDay, runId: 'T',
  })
  return { sim, clock, records: { air: [], traffic: [], hall: [], incident: [] } }
}

/** Steps both runs together, 5 simulated minutes at a time, until `to`. */
function advance(runs: Run[], to: number): void {
  for (const r of runs) {
    for (let t = r.clock.now(); t <= to; t += 5 * MIN) {
      r.clock.set(t)
      for (const kind of ['air', 'traffic', 'hall', 'incident'] as const)
        r.records[kind].push({ t, records: r.sim.tick(kind).records })
    }
    r.clock.set(to + 5 * MIN)
  }
}

/** A control and a drill run, both stepped to `at`, where the drill gets the scenario. */
function drill(request: unknown, at: number, until: number, seed = 21): { control: Run, drill: Run, scenario: ActiveScenario } {
  const control = run(seed)
  const withScenario = run(seed)
  advance([control, withScenario], at - 5 * MIN)
  withScenario.clock.set(at)
  control.clock.set(at)
  const scenario = withScenario.sim.injectScenario(request)
  advance([control, withScenario], until)
  return { control, drill: withScenario, scenario }
}

function between<T>(r: Run, kind: RecordKind, from: number, to: number): T[] {
  return r.records[kind].filter(x => x.t >= from && x.t <= to).flatMap(x => x.records as T[])
}

function meanRatio(records: readonly TrafficObservation[], keep: (segmentId: string) => boolean): number {
  const kept = records.filter(r => keep(r.segmentId))
  return kept.reduce((s, r) => s + r.speedKmh / (segmentsById.get(r.segmentId)?.freeFlowKmh ?? 1), 0) / kept.length
}

const newTickets = (records: IncidentReport[]): IncidentReport[] => records.filter(r => r.status === 'open')

/** Each case runs a control and a drill city for hours of simulated time. */
describe('scenarios', { timeout: 30_000 }, () => {
  const T0 = MONDAY_MIDNIGHT + 10 * HOUR

  it('chemical smell in 沙田: an SO2 plume at the nearby stations, fading with distance, and complaints from around it', () => {
    const { control, drill: d, scenario } = drill({ kind: 'chemical-smell', area: { townCodes: [SHATIAN] }, intensity: 0.8 }, T0, T0 + 2 * HOUR)
    expect(scenario.label).toBe('沙田异味')
    const so2 = (r: Run, station: string): number => {
      const xs = between<AirObservation>(r, 'air', T0 + 30 * MIN, T0 + 90 * MIN).filter(o => o.stationId === station)
      return xs.reduce((s, o) => s + (o.indicators.so2 ?? 0), 0) / xs.length
    }
    const rise = (station: string): number => so2(d, station) - so2(control, station)
    expect(rise('T-AQ-SHATIAN')).toBeGreaterThan(100)
    expect(rise('T-AQ-HUMEN')).toBeGreaterThan(5)
    expect(rise('T-AQ-HUMEN')).toBeLessThan(rise('T-AQ-SHATIAN') / 2)
    expect(rise('T-AQ-CHANGAN')).toBeLessThan(rise('T-AQ-HUMEN'))
    const smell = (r: Run): IncidentReport[] => newTickets(between<IncidentReport>(r, 'incident', T0, T0 + 2 * HOUR))
      .filter(x => /异味|废气/.test(x.title) && (x.nature === 'complaint' || x.nature === 'report'))
    const extra = smell(d).length - smell(control).length
    expect(extra).toBeGreaterThan(40)
    expect(smell(d).filter(x => x.townCode === SHATIAN).length).toBeGreaterThan(smell(d).filter(x => x.townCode === CHANGAN).length)
  })

  it('heavy rain in the south: slower roads there, 积水 calls from its towns, fewer hall visitors', () => {
    const { control, drill: d, scenario } = drill({ kind: 'heavy-rain', area: { region: 'south' } }, T0, T0 + 3 * HOUR)
    expect(scenario.label).toBe('南部暴雨')
    expect(scenario.intensity).toBe(0.7)
    expect(new Set(scenario.area.townCodes)).toEqual(new Set([HUMEN, CHANGAN]))
    const south = new Set(scenario.area.townCodes)
    const inSouth = (id: string): boolean => south.has(segmentsById.get(id)?.townCode ?? '')
    const window = (r: Run): TrafficObservation[] => between<TrafficObservation>(r, 'traffic', T0 + 30 * MIN, T0 + 150 * MIN)
    expect(meanRatio(window(control), inSouth) - meanRatio(window(d), inSouth)).toBeGreaterThan(0.1)
    // Outside the area the roads run as before.
    expect(Math.abs(meanRatio(window(control), id => !inSouth(id)) - meanRatio(window(d), id => !inSouth(id)))).toBeLessThan(0.02)
    const calls = (r: Run): IncidentReport[] => newTickets(between<IncidentReport>(r, 'incident', T0, T0 + 3 * HOUR)).filter(x => south.has(x.townCode ?? ''))
    expect(calls(d).length).toBeGreaterThan(calls(control).length + 20)
    expect(calls(d).filter(x => /积水|井盖/.test(x.title)).length).toBeGreaterThan(10)
    const tickets = (r: Run, hall: string): number => {
      const last = r.records.hall.filter(x => x.t <= T0 + 3 * HOUR).at(-1)?.records as HallObservation[]
      return last.find(h => h.hallId === hall)?.ticketsToday ?? 0
    }
    const before = (r: Run, hall: string): number => (r.records.hall.find(x => x.t === T0)?.records as HallObservation[]).find(h => h.hallId === hall)?.ticketsToday ?? 0
    for (const hall of ['H-HUMEN', 'H-CHANGAN'])
      expect(tickets(d, hall) - before(d, hall)).toBeLessThan(0.8 * (tickets(control, hall) - before(control, hall)))
  })

  it('water main break in 虎门: a burst of 停水 calls around one point and slower roads next to it', () => {
    const { control, drill: d, scenario } = drill({ kind: 'water-main-break', area: { townCodes: [HUMEN] }, intensity: 1 }, T0, T0 + 2 * HOUR)
    const outage = (r: Run): IncidentReport[] => newTickets(between<IncidentReport>(r, 'incident', T0, T0 + HOUR))
      .filter(x => x.townCode === HUMEN && /停水|冒水/.test(x.title))
    expect(outage(d).length - outage(control).length).toBeGreaterThan(25)
    const near = outage(d).filter(x => distanceKm(x.location ?? { lng: 0, lat: 0 }, scenario.location) < 1.2)
    expect(near.length).toBeGreaterThan(25)
    const close = new Set(city.roads.filter(r => distanceKm({ lng: r.path[0]![0], lat: r.path[0]![1] }, scenario.location) < 1).map(r => r.id))
    const window = (r: Run): TrafficObservation[] => between<TrafficObservation>(r, 'traffic', T0 + 20 * MIN, T0 + 90 * MIN)
    expect(close.size).toBeGreaterThan(0)
    expect(meanRatio(window(control), id => close.has(id)) - meanRatio(window(d), id => close.has(id))).toBeGreaterThan(0.1)
  })

  it('traffic accident in 长安: a severe jam at the head that backs up along the corridor, and a few calls', () => {
    const { control, drill: d, scenario } = drill({ kind: 'traffic-accident', area: { townCodes: [CHANGAN] }, durationMin: 60 }, T0, T0 + 2 * HOUR)
    const corridor = scenario.segmentIds ?? []
    expect(corridor.length).toBeGreaterThan(2)
    expect(scenario.label).toMatch(/^长安.+交通事故$/)
    const ratio = (r: Run, id: string, t: number): number => {
      const o = (r.records.traffic.find(x => x.t === t)?.records as TrafficObservation[]).find(x => x.segmentId === id)
      return (o?.speedKmh ?? 0) / (segmentsById.get(id)?.freeFlowKmh ?? 1)
    }
    const head = corridor[0] ?? ''
    expect(ratio(d, head, T0 + 15 * MIN)).toBeLessThan(0.35)
    expect(ratio(control, head, T0 + 15 * MIN)).toBeGreaterThan(0.5)
    const next = corridor[1] ?? ''
    expect(ratio(control, next, T0 + 30 * MIN) - ratio(d, next, T0 + 30 * MIN)).toBeGreaterThan(0.2)
    // Over an hour after it ended, the corridor runs freely again.
    expect(Math.abs(ratio(control, head, T0 + 2 * HOUR) - ratio(d, head, T0 + 2 * HOUR))).toBeLessThan(0.1)
    const calls = newTickets(between<IncidentReport>(d, 'incident', T0, T0 + HOUR)).filter(x => x.title.includes('交通事故'))
    const base = newTickets(between<IncidentReport>(control, 'incident', T0, T0 + HOUR)).filter(x => x.title.includes('交通事故'))
    expect(calls.length - base.length).toBeGreaterThanOrEqual(2)
  })

  it('hall outage in 东城: the hall stops calling, its queue grows, 差评 rise', () => {
    const { control, drill: d, scenario } = drill({ kind: 'hall-outage', area: { townCodes: [DONGCHENG] }, durationMin: 60 }, T0, T0 + 8 * HOUR)
    expect(scenario.hallIds).toEqual(['H-DONGCHENG'])
    const hall = (r: Run, t: number): HallObservation | undefined =>
      (r.records.hall.find(x => x.t === t)?.records as HallObservation[]).find(h => h.hallId === 'H-DONGCHENG')
    const at = T0 + 50 * MIN
    expect(hall(d, at)?.waiting).toBeGreaterThan((hall(control, at)?.waiting ?? 0) + 30)
    expect(hall(d, at)?.windowsBusy).toBe(0)
    expect(hall(d, at)?.servedToday).toBeLessThan(hall(control, at)?.servedToday ?? 0)
    const bad = (o?: HallObservation): number => (o?.ratingsToday.dissatisfied ?? 0) + (o?.ratingsToday.veryDissatisfied ?? 0)
    const evening = T0 + 8 * HOUR
    expect(bad(hall(d, evening))).toBeGreaterThan(bad(hall(control, evening)) + 5)
    // Other halls are untouched.
    const other = (r: Run): HallObservation | undefined => (r.records.hall.find(x => x.t === at)?.records as HallObservation[]).find(h => h.hallId === 'H-HUMEN')
    expect(other(d)).toEqual(other(control))
  })

  it('air episode: PM2.5 rises over the area', () => {
    const { control, drill: d } = drill({ kind: 'air-episode', area: { townCodes: [HUMEN, CHANGAN] } }, T0, T0 + 4 * HOUR)
    const pm = (r: Run): number => {
      const xs = between<AirObservation>(r, 'air', T0 + 90 * MIN, T0 + 3 * HOUR).filter(o => o.stationId === 'T-AQ-HUMEN')
      return xs.reduce((s, o) => s + (o.indicators.pm25 ?? 0), 0) / xs.length
    }
    expect(pm(d)).toBeGreaterThan(1.5 * pm(control))
  })

  it('ends on its own, can be cancelled, and lists only the scenarios under way', () => {
    const r = run()
    r.clock.set(T0)
    const a = r.sim.injectScenario({ kind: 'traffic-accident', area: { townCodes: [HUMEN] }, durationMin: 30 })
    const b = r.sim.injectScenario({ kind: 'heavy-rain', area: { region: 'north' } })
    expect(ActiveScenario.parse(a)).toEqual(a)
    expect(Date.parse(b.endsAt) - Date.parse(b.startsAt)).toBe(180 * MIN)
    expect(r.sim.scenarios().map(s => s.id)).toEqual([a.id, b.id])
    r.clock.set(T0 + 31 * MIN)
    expect(r.sim.scenarios().map(s => s.id)).toEqual([b.id])
    expect(r.sim.cancelScenario(a.id)).toBe(false)
    expect(r.sim.cancelScenario(b.id)).toBe(true)
    expect(r.sim.scenarios()).toEqual([])
  })

  it('resolves regions against the city and refuses what it cannot place', () => {
    const r = run()
    const north = r.sim.injectScenario({ kind: 'air-episode', area: { region: 'north' } })
    expect(new Set(north.area.townCodes)).toEqual(new Set(['441900004', DONGCHENG]))
    expect(north.area.region).toBe('north')
    expect(north.label).toBe('北部空气污染过程')
    const west = r.sim.injectScenario({ kind: 'heavy-rain', area: { region: 'west' } })
    expect(west.area.townCodes).toContain(SHATIAN)
    expect(west.area.townCodes).not.toContain(CHANGAN)
    expect(() => r.sim.injectScenario({ kind: 'heavy-rain', area: { townCodes: ['441900999'] } })).toThrow(ScenarioError)
    expect(() => r.sim.injectScenario({ kind: 'earthquake' })).toThrow(ZodError)
    expect(() => r.sim.injectScenario({ kind: 'heavy-rain', intensity: 2 })).toThrow(ZodError)
  })
})
