import { describe, expect, it } from 'vitest'
import type { IncidentReport } from '@shared/schemas/incidents'
import { createManualClock } from '@server/feeds/sim-clock'
import { WEEKDAY_CALENDAR } from '@server/feeds/simulator/china-time'
import { fixtureCity, MONDAY_MIDNIGHT } from '@server/feeds/simulator/city.fixture'
import { CitySimulator } from '@server/feeds/simulator/city-simulator'

const MIN = 60_000
const SHATIAN = '441900123'

/** The 12345 records of a seeded city over [from, to), 5 simulated minutes a tick, a drill started at `drillAt` when asked. */
function records(drillId: string | undefined, from: number, to: number, drillAt: number): IncidentReport[] {
  const clock = createManualClock(from)
  const sim = new CitySimulator({ city: fixtureCity(), clock, seed: 21, airIntervalMs: 1, trafficIntervalMs: 1, hallIntervalMs: 1, incidentsPerDay: 6000, faultRate: 0, isWorkingDay: WEEKDAY_CALENDAR.isWorkingDay, runId: 'T' })
  const out: IncidentReport[] = []
  for (let t = from; t < to; t += 5 * MIN) {
    clock.set(t)
    if (t === drillAt && drillId !== undefined)
      expect(sim.injectScenario({ kind: 'chemical-smell', area: { townCodes: [SHATIAN] }, durationMin: 120, intensity: 1 }, drillId).drillId).toBe(drillId)
    out.push(...sim.tick('incident').records as IncidentReport[])
  }
  return out
}

describe('a drill\'s scenario calls', () => {
  it('carry the drill\'s id; the city\'s own calls carry none and are the same as without the drill', () => {
    const from = MONDAY_MIDNIGHT + 10 * 60 * MIN
    const to = from + 150 * MIN
    const plain = records(undefined, from, to, from + 30 * MIN)
    const withDrill = records('dr-test', from, to, from + 30 * MIN)
    const marked = withDrill.filter(r => r.drillId === 'dr-test')
    expect(marked.length).toBeGreaterThan(10)
    expect(withDrill.filter(r => r.drillId !== undefined && r.drillId !== 'dr-test')).toEqual([])
    // Smell complaints, none before the drill began (their closures, days later, are copies of the marked report).
    expect(new Set(marked.map(r => r.topic))).toEqual(new Set(['environment']))
    expect(marked.every(r => Date.parse(r.reportedAt) >= from + 30 * MIN)).toBe(true)
    // The scenario draws from its own stream: the base city's calls are the same with or without it.
    const base = new Set(plain.map(r => r.title + r.reportedAt))
    const unmarked = withDrill.filter(r => r.drillId === undefined)
    expect(unmarked.length).toBeGreaterThan(100)
    expect(unmarked.every(r => base.has(r.title + r.reportedAt))).toBe(true)
  })
})
