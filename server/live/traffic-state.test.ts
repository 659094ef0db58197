import { describe, expect, it } from 'vitest'
import type { RoadSegment } from '@shared/schemas/city'
import { TrafficEventData } from '@shared/realtime/streams'
import { CityTraffic, TownTraffic } from '@shared/schemas/traffic'
import { SEGMENT_SILENT_AFTER_MS, TrafficState } from './traffic-state'

const road = (id: string, townCode: string, lengthKm: number, freeFlowKmh: number): RoadSegment =>
  ({ id, name: id, roadClass: 'arterial', townCode, lengthKm, freeFlowKmh, path: [[113.7, 23], [113.71, 23]] })
const ROADS = [road('A', '441900003', 1, 50), road('B', '441900003', 1, 50), road('C', '441900121', 2, 80)]
const at = (minute: number): string => new Date(Date.parse('2026-11-23T00:00:00Z') + minute * 60_000).toISOString()

describe(TrafficState.name, () => {
  it('rates segments by V/Vf and aggregates towns and the city by travel time', () => {
    const state = new TrafficState(ROADS)
    const applied = state.apply([
      { segmentId: 'A', observedAt: at(0), speedKmh: 50 },
      { segmentId: 'B', observedAt: at(0), speedKmh: 12.5 },
      { segmentId: 'C', observedAt: at(0), speedKmh: 64 },
    ])
    expect(applied.segments.map(s => [s.segmentId, s.ratio, s.grade])).toEqual([['A', 1, 'free'], ['B', 0.25, 'severe'], ['C', 0.8, 'free']])
    const dongcheng = TownTraffic.parse(applied.towns.find(t => t.townCode === '441900003'))
    // Travel time 1/50 + 1/12.5 = 0.1 h against 0.04 h free: DTP 0.6, TPI 6 (GB/T 33171 Appendix C).
    expect(dongcheng.dtp).toBeCloseTo(0.6, 9)
    expect(dongcheng.tpi).toBeCloseTo(6, 9)
    expect(dongcheng.grade).toBe('moderate')
    expect(dongcheng.mileage).toEqual({ free: 1, basic: 0, light: 0, moderate: 0, severe: 1 })
    const city = CityTraffic.parse(applied.city)
    expect(city.segmentsReporting).toBe(3)
    expect(city.mileage.free).toBe(3)
  })

  it('never lets an older reading replace a newer one, and drops unknown segments', () => {
    const state = new TrafficState(ROADS)
    state.apply([{ segmentId: 'A', observedAt: at(10), speedKmh: 20 }])
    const applied = state.apply([{ segmentId: 'A', observedAt: at(5), speedKmh: 50 }, { segmentId: 'Z', observedAt: at(11), speedKmh: 50 }])
    expect(applied).toEqual({ segments: [], towns: [], city: null, event: { segments: [], towns: [], city: null } })
    expect(state.snapshot().segments).toEqual([['A', 20, 'moderate']])
    expect(state.heldTime('A')).toBe(Date.parse(at(10)))
  })

  it('leaves silent segments out of the network', () => {
    const state = new TrafficState(ROADS)
    state.apply([{ segmentId: 'B', observedAt: at(0), speedKmh: 10 }])
    const later = SEGMENT_SILENT_AFTER_MS / 60_000 + 1
    const applied = state.apply([{ segmentId: 'A', observedAt: at(later), speedKmh: 50 }])
    expect(applied.towns[0]).toMatchObject({ townCode: '441900003', segmentsReporting: 1, segmentsTotal: 2, grade: 'free' })
  })

  it('gives the wall ids and shown values only: whole km/h, the grade of the exact speed, networks to display precision', () => {
    const state = new TrafficState(ROADS)
    const { event } = state.apply([
      // 35.2 / 50 = 0.704 is free flow; the shown 35 km/h would be 0.7, basic: the grade is not re-derived from the rounded speed.
      { segmentId: 'A', observedAt: at(0), speedKmh: 35.2 },
      { segmentId: 'B', observedAt: at(0), speedKmh: 12.46 },
      { segmentId: 'C', observedAt: at(0), speedKmh: 64.5 },
    ])
    expect(TrafficEventData.parse(event).segments).toEqual([['A', 35, 'free'], ['B', 12, 'severe'], ['C', 65, 'free']])
    for (const network of [...event.towns, event.city]) {
      const n = CityTraffic.omit({ observedAt: true }).parse(network)
      expect(n.dtp).toBe(Math.round(n.dtp * 1000) / 1000)
      expect(n.tpi).toBe(Math.round(n.tpi * 100) / 100)
      expect(n.meanSpeedKmh).toBe(Math.round(n.meanSpeedKmh * 10) / 10)
    }
    // The state keeps the exact figures (the KPIs and the store read them).
    expect(state.city()?.meanSpeedKmh).not.toBe(event.city?.meanSpeedKmh)
  })

  it('leaves out of the event a segment whose shown speed and grade did not change, but keeps its reading for the store', () => {
    const state = new TrafficState(ROADS)
    state.apply([{ segmentId: 'A', observedAt: at(0), speedKmh: 40.2 }, { segmentId: 'B', observedAt: at(0), speedKmh: 40.2 }])
    const applied = state.apply([
      { segmentId: 'A', observedAt: at(1), speedKmh: 39.6 },
      { segmentId: 'B', observedAt: at(1), speedKmh: 41.4 },
    ])
    expect(applied.segments.map(r => [r.segmentId, r.speedKmh])).toEqual([['A', 39.6], ['B', 41.4]])
    expect(applied.event.segments).toEqual([['B', 41, 'free']])
    expect(applied.event.towns.map(t => t.townCode)).toEqual(['441900003'])
    expect(state.snapshot().segments).toEqual([['A', 40, 'free'], ['B', 41, 'free']])
  })

  it('sends a segment again when its grade changes, even at the same shown speed', () => {
    const state = new TrafficState(ROADS)
    state.apply([{ segmentId: 'A', observedAt: at(0), speedKmh: 35.4 }])
    // 35.4 / 50 is free flow, 34.6 / 50 basic; both show as 35 km/h.
    expect(state.apply([{ segmentId: 'A', observedAt: at(1), speedKmh: 34.6 }]).event.segments).toEqual([['A', 35, 'basic']])
  })
})
