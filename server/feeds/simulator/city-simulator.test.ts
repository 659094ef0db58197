import { afterEach, describe, expect, it, vi } from 'vitest'
import type { z } from 'zod'
import { AirObservation } from '@shared/schemas/air'
import type { RecordKind } from '@shared/schemas/feeds'
import { HallObservation } from '@shared/schemas/halls'
import { IncidentReport } from '@shared/schemas/incidents'
import { TrafficObservation } from '@shared/schemas/traffic'
import { loadCity } from '@server/city'
import type { RawBatch } from '../types'
import { createManualClock } from '../sim-clock'
import { localTime, WEEKDAY_CALENDAR } from './china-time'
import { fixtureCity, MONDAY_MIDNIGHT } from './city.fixture'
import type { CitySimulatorOptions } from './city-simulator'
import { CitySimulator } from './city-simulator'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const KINDS = ['air', 'traffic', 'hall', 'incident'] as const
const SCHEMAS: Record<RecordKind, z.ZodType> = { air: AirObservation, traffic: TrafficObservation, hall: HallObservation, incident: IncidentReport }

function options(overrides: Partial<CitySimulatorOptions> = {}): CitySimulatorOptions {
  return {
    city: fixtureCity(),
    clock: createManualClock(MONDAY_MIDNIGHT),
    seed: 42,
    airIntervalMs: 5000,
    trafficIntervalMs: 5000,
    hallIntervalMs: 5000,
    incidentsPerDay: 3000,
    faultRate: 0,
    isWorkingDay: WEEKDAY_CALENDAR.isWorkingDay,
    ...overrides,
  }
}

/** Every batch of a run stepped `stepMs` at a time, with a scenario injected at 10:00 on the first day. */
function replay(seed: number, stepMs: number, until: number): RawBatch[] {
  const clock = createManualClock(MONDAY_MIDNIGHT)
  const sim = new CitySimulator(options({ seed, clock, runId: 'R' }))
  const batches: RawBatch[] = []
  for (let t = MONDAY_MIDNIGHT; t <= until; t += stepMs) {
    clock.set(t)
    if (t === MONDAY_MIDNIGHT + 10 * HOUR)
      sim.injectScenario({ kind: 'heavy-rain', area: { region: 'south' } })
    for (const kind of KINDS)
      batches.push(sim.tick(kind))
  }
  return batches
}

const fixture = fixtureCity()
const KNOWN: Record<RecordKind, { key: string, ids: Set<unknown> }> = {
  air: { key: 'stationId', ids: new Set(fixture.airStations.map(s => s.id)) },
  traffic: { key: 'segmentId', ids: new Set(fixture.roads.map(r => r.id)) },
  hall: { key: 'hallId', ids: new Set(fixture.halls.map(h => h.id)) },
  incident: { key: 'townCode', ids: new Set(fixture.towns.map(t => t.code)) },
}

/** Whether a record names an entity the city has (a malformed record may be well-formed but unknown). */
function knownEntity(kind: RecordKind, record: Record<string, unknown>): boolean {
  return KNOWN[kind].ids.has(record[KNOWN[kind].key])
}

describe('CitySimulator', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('replays the same records for the same seed and clock steps, scenarios included, and others for another seed', { timeout: 30_000 }, () => {
    const until = MONDAY_MIDNIGHT + 14 * HOUR
    const a = replay(42, 5 * MIN, until)
    const b = replay(42, 5 * MIN, until)
    expect(a.reduce((n, x) => n + x.records.length, 0)).toBeGreaterThan(10_000)
    expect(b).toEqual(a)
    const c = replay(43, 5 * MIN, until)
    expect(c.filter(x => x.kind === 'traffic')).not.toEqual(a.filter(x => x.kind === 'traffic'))
    expect(c.filter(x => x.kind === 'incident')).not.toEqual(a.filter(x => x.kind === 'incident'))
  })

  it('sends valid records of every kind over a simulated week, and malformed ones that fail', { timeout: 30_000 }, () => {
    const clock = createManualClock(MONDAY_MIDNIGHT)
    const sim = new CitySimulator(options({ clock, faultRate: 0.01 }))
    const valid: Record<RecordKind, number> = { air: 0, traffic: 0, hall: 0, incident: 0 }
    const faulty: Record<RecordKind, number> = { air: 0, traffic: 0, hall: 0, incident: 0 }
    for (let t = MONDAY_MIDNIGHT; t <= MONDAY_MIDNIGHT + 7 * DAY; t += 30 * MIN) {
      clock.set(t)
      for (const kind of KINDS) {
        const batch = sim.tick(kind)
        expect(batch.source).toBe('simulator')
        for (const record of batch.records) {
          const ok = SCHEMAS[kind].safeParse(record).success && knownEntity(kind, record as Record<string, unknown>)
          if (ok)
            valid[kind]++
          else
            faulty[kind]++
        }
      }
    }
    for (const kind of KINDS) {
      expect(valid[kind]).toBeGreaterThan(300)
      // 1 % malformed, give or take the luck of the draw.
      expect(faulty[kind]).toBeGreaterThan(0)
      expect(faulty[kind] / (valid[kind] + faulty[kind])).toBeLessThan(0.03)
    }
  })

  it('pushes each kind on its own interval once started, and stops when aborted', async () => {
    vi.useFakeTimers()
    const clock = createManualClock(MONDAY_MIDNIGHT + 10 * HOUR)
    const sim = new CitySimulator(options({ clock, airIntervalMs: 5000, trafficIntervalMs: 2000, hallIntervalMs: 10_000, incidentIntervalMs: 1000 }))
    const pushed: RawBatch[] = []
    const abort = new AbortController()
    const states: string[] = []
    sim.start({
      sink: {
        push: (batch) => {
          pushed.push(batch)
          return Promise.resolve({ accepted: batch.records.length, rejected: 0, duplicates: 0, late: 0 })
        },
        reject: () => Promise.resolve(),
      },
      signal: abort.signal,
      setConnection: state => states.push(state),
      log: () => {},
    })
    expect(states).toEqual(['connected'])
    // The first rounds go out at once (incidents only once simulated time has passed).
    expect(pushed.map(b => b.kind).sort()).toEqual(['air', 'hall', 'traffic'])
    for (let k = 0; k < 10; k++) {
      clock.advance(MIN)
      await vi.advanceTimersByTimeAsync(1000)
    }
    const count = (kind: RecordKind): number => pushed.filter(b => b.kind === kind).length
    expect(count('traffic')).toBe(1 + 5)
    expect(count('air')).toBe(1 + 2)
    expect(count('hall')).toBe(1 + 1)
    expect(count('incident')).toBeGreaterThan(5)
    abort.abort()
    const before = pushed.length
    clock.advance(HOUR)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(pushed.length).toBe(before)
  })

  it('reads China time without the machine\'s time zone', () => {
    const local = localTime(Date.parse('2026-11-22T16:00:00Z'))
    expect(local).toMatchObject({ date: '2026-11-23', weekday: 1, minute: 0 })
    expect(localTime(Date.parse('2026-11-23T15:59:00Z')).date).toBe('2026-11-23')
    expect(localTime(Date.parse('2026-11-23T01:30:00Z')).minute).toBe(9 * 60 + 30)
  })

  it('runs on the real Dongguan model', { timeout: 30_000 }, () => {
    const city = loadCity('dongguan')
    const clock = createManualClock(MONDAY_MIDNIGHT + 9 * HOUR)
    const sim = new CitySimulator(options({ city, clock }))
    for (const kind of KINDS)
      sim.tick(kind)
    clock.advance(2 * HOUR)
    for (const kind of KINDS) {
      const batch = sim.tick(kind)
      expect(batch.records.length).toBeGreaterThan(0)
      for (const record of batch.records)
        expect(SCHEMAS[kind].safeParse(record).success).toBe(true)
    }
    expect(sim.tick('traffic').records).toHaveLength(city.roads.length)
    expect(sim.injectScenario({ kind: 'chemical-smell', area: { townCodes: ['441900123'] } }).label).toBe('沙田异味')
  })
})

describe('a feed-outage drill', () => {
  it('stops one kind of record for its duration and leaves the others flowing', () => {
    const clock = createManualClock(MONDAY_MIDNIGHT + 9 * HOUR)
    const sim = new CitySimulator(options({ clock }))
    for (const kind of KINDS)
      sim.tick(kind)
    const drill = sim.injectScenario({ kind: 'feed-outage', feed: 'traffic', durationMin: 30 })
    expect(drill.label).toBe('交通数据中断')
    clock.set(MONDAY_MIDNIGHT + 9 * HOUR + 10 * MIN)
    expect(sim.tick('traffic').records).toEqual([])
    expect(sim.tick('air').records.length).toBeGreaterThan(0)
    expect(sim.tick('hall').records.length).toBeGreaterThan(0)
    clock.set(MONDAY_MIDNIGHT + 9 * HOUR + 31 * MIN)
    expect(sim.tick('traffic').records.length).toBeGreaterThan(0)
  })

  it('must name its feed, and only a feed-outage may', () => {
    const sim = new CitySimulator(options())
    expect(() => sim.injectScenario({ kind: 'feed-outage' })).toThrow(/names the feed/)
    expect(() => sim.injectScenario({ kind: 'heavy-rain', feed: 'air' })).toThrow(/names the feed/)
  })
})
