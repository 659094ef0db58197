import { describe, expect, it } from 'vitest'
import { TrafficObservation } from '@shared/schemas/traffic'
import { WEEKDAY_CALENDAR } from './china-time'
import { CityIndex } from './city-index'
import { fixtureCity, MONDAY_MIDNIGHT } from './city.fixture'
import { TrafficSimulator } from './traffic.sim'
import { RoadNetwork } from './traffic-network'

const MIN = 60_000
const HOUR = 60 * MIN
const city = fixtureCity()
const network = new RoadNetwork(city.roads)
const freeFlow = new Map(city.roads.map(r => [r.id, r.freeFlowKmh]))

function simulator(seed = 11): TrafficSimulator {
  return new TrafficSimulator({ network, index: new CityIndex(city), calendar: WEEKDAY_CALENDAR, seed, faultRate: 0 })
}

type Obs = { segmentId: string, speedKmh: number, volume: number, occupancy: number }

/** Ticks every 5 simulated minutes from `from` to `to` (inclusive); returns the last round. */
function runTo(sim: TrafficSimulator, from: number, to: number, visit?: (t: number, records: Obs[]) => void): Obs[] {
  let last: Obs[] = []
  for (let t = from; t <= to; t += 5 * MIN) {
    last = sim.tick(t) as Obs[]
    visit?.(t, last)
  }
  return last
}

function ratioOf(records: readonly Obs[], id: string): number {
  const r = records.find(x => x.segmentId === id)
  if (!r)
    throw new Error(`no record for ${id}`)
  return r.speedKmh / (freeFlow.get(id) ?? 1)
}

function meanRatio(records: readonly Obs[]): number {
  return records.reduce((sum, r) => sum + r.speedKmh / (freeFlow.get(r.segmentId) ?? 1), 0) / records.length
}

describe('TrafficSimulator', () => {
  it('is measurably more congested at a weekday 08:30 than at 03:00, and milder on the weekend', { timeout: 30_000 }, () => {
    const sim = simulator()
    const at: Record<string, number[]> = { night: [], rush: [], weekendRush: [] }
    // Monday to Sunday: sample 03:00 and 08:30 every day.
    runTo(sim, MONDAY_MIDNIGHT, MONDAY_MIDNIGHT + 7 * 24 * HOUR, (t, records) => {
      const day = Math.floor((t - MONDAY_MIDNIGHT) / (24 * HOUR))
      const minute = ((t - MONDAY_MIDNIGHT) % (24 * HOUR)) / MIN
      if (minute === 3 * 60)
        at.night?.push(meanRatio(records))
      if (minute === 8 * 60 + 30)
        (day < 5 ? at.rush : at.weekendRush)?.push(meanRatio(records))
    })
    const mean = (xs: number[] = []): number => xs.reduce((a, b) => a + b, 0) / xs.length
    expect(at.rush).toHaveLength(5)
    expect(mean(at.night)).toBeGreaterThan(0.9)
    expect(mean(at.rush)).toBeLessThan(0.75)
    expect(mean(at.night) - mean(at.rush)).toBeGreaterThan(0.2)
    expect(mean(at.weekendRush)).toBeGreaterThan(mean(at.rush) + 0.1)
  })

  it('spreads a jam to the neighbouring segments with a lag, and lets it dissolve', () => {
    // 南城's middle arterial: its east half shares a junction with its west half (same road) and two cross streets.
    const jammed = 'T004-EW11'
    const neighbour = 'T004-EW10'
    const twoHops = 'T004-NS00'
    const start = MONDAY_MIDNIGHT + 3 * HOUR
    const control = simulator()
    const drill = simulator()
    drill.addIncident({ segmentId: jammed, startsAt: start + 1, durationMin: 40, severity: 0.8 })
    runTo(control, MONDAY_MIDNIGHT, start)
    runTo(drill, MONDAY_MIDNIGHT, start)
    const diff: Record<number, { jammed: number, neighbour: number, twoHops: number }> = {}
    for (let t = start + 5 * MIN; t <= start + 150 * MIN; t += 5 * MIN) {
      const c = control.tick(t) as Obs[]
      const d = drill.tick(t) as Obs[]
      diff[(t - start) / MIN] = {
        jammed: ratioOf(c, jammed) - ratioOf(d, jammed),
        neighbour: ratioOf(c, neighbour) - ratioOf(d, neighbour),
        twoHops: ratioOf(c, twoHops) - ratioOf(d, twoHops),
      }
    }
    // The jammed segment slows at once; its neighbour only once the jam has built up.
    expect(diff[5]?.jammed).toBeGreaterThan(0.3)
    expect(Math.abs(diff[5]?.neighbour ?? 1)).toBeLessThan(0.08)
    expect(diff[20]?.neighbour).toBeGreaterThan(0.2)
    expect(diff[30]?.twoHops).toBeGreaterThan(0.05)
    expect(diff[30]?.twoHops).toBeLessThan(diff[30]?.neighbour ?? 0)
    // Forty minutes on it is over; an hour after that the road runs as in the control.
    expect(Math.abs(diff[150]?.jammed ?? 1)).toBeLessThan(0.08)
    expect(Math.abs(diff[150]?.neighbour ?? 1)).toBeLessThan(0.08)
  })

  it('reports plausible, valid observations: speeds never negative, busier counts at rush hour', { timeout: 30_000 }, () => {
    const sim = simulator(5)
    let nightVolume = 0
    let rushVolume = 0
    runTo(sim, MONDAY_MIDNIGHT, MONDAY_MIDNIGHT + 24 * HOUR, (t, records) => {
      for (const r of records) {
        expect(TrafficObservation.safeParse(r).success).toBe(true)
        expect(r.speedKmh).toBeGreaterThanOrEqual(0)
        expect(r.speedKmh).toBeLessThanOrEqual((freeFlow.get(r.segmentId) ?? 0) * 1.2)
      }
      const minute = (t - MONDAY_MIDNIGHT) / MIN
      const sum = records.reduce((s, r) => s + r.volume, 0)
      if (minute === 3 * 60)
        nightVolume = sum
      if (minute === 8 * 60 + 30)
        rushVolume = sum
      expect(records).toHaveLength(city.roads.length)
    })
    expect(rushVolume).toBeGreaterThan(3 * nightVolume)
  })

  it('refuses an incident on a segment the network does not have', () => {
    expect(() => simulator().addIncident({ segmentId: 'NOPE', startsAt: 0, durationMin: 10, severity: 0.5 })).toThrow(/unknown segment/)
  })
})

describe('RoadNetwork', () => {
  it('links segments that share a junction, more strongly along the same road', () => {
    const i = network.indexOf('T004-EW11') ?? -1
    const influences = network.influences[i] ?? []
    const from = (id: string): number | undefined => influences.find(n => n.from === network.indexOf(id))?.coupling
    expect(from('T004-EW10')).toBeGreaterThan(from('T004-NS10') ?? 1)
    expect(from('T004-EW00')).toBeUndefined()
    const corridor = network.corridor(i, 3).map(c => network.segments[c.index]?.id)
    expect(corridor[0]).toBe('T004-EW11')
    expect(corridor).toContain('T004-EW10')
  })
})
