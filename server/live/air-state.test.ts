import { describe, expect, it } from 'vitest'
import { computeAqi } from '@shared/air/aqi'
import { meanIndicators } from '@shared/air/city'
import { AirSnapshot } from '@shared/realtime/streams'
import type { AirIndicators, AirObservation } from '@shared/schemas/air'
import { AirState, STATION_SILENT_AFTER_MS, TREND_WINDOW_MS } from './air-state'

const T0 = Date.parse('2026-11-23T00:00:00.000Z')
const MINUTE = 60_000
const at = (ms: number): string => new Date(ms).toISOString()

function obs(stationId: string, t: number, indicators: AirIndicators): AirObservation {
  return { stationId, observedAt: at(t), indicators }
}

describe('AirState', () => {
  it('holds nothing before the first observation', () => {
    const state = new AirState(3)
    expect(state.city()).toBeNull()
    expect(state.readings()).toEqual([])
    expect(state.trend()).toEqual([])
  })

  it('rates each accepted observation with computeAqi', () => {
    const state = new AirState(2)
    const a = obs('A', T0, { pm25: 40, o3: 120, no2: 30 })
    const b = obs('B', T0, { pm25_24h: 80 })
    const applied = state.apply([a, b])
    expect(applied.stale).toBe(0)
    expect(applied.readings).toEqual([
      { ...a, aqi: computeAqi(a.indicators) },
      { ...b, aqi: computeAqi(b.indicators) },
    ])
    expect(state.readings()).toEqual(applied.readings)
    expect(applied.readings[1]?.aqi.aqi).toBe(107)
  })

  describe('a station keeps its newest observation', () => {
    it('an older observation does not replace a newer one and counts as stale', () => {
      const state = new AirState(1)
      state.apply([obs('A', T0 + 10 * MINUTE, { pm25: 10 })])
      const applied = state.apply([obs('A', T0, { pm25: 200 })])
      expect(applied).toEqual({ readings: [], city: null, stale: 1 })
      expect(state.readings().map(r => [r.observedAt, r.indicators.pm25])).toEqual([[at(T0 + 10 * MINUTE), 10]])
      expect(state.city()?.indicators.pm25).toBe(10)
    })

    it('an observation as old as the held one does not replace it and counts as stale', () => {
      const state = new AirState(1)
      state.apply([obs('A', T0, { pm25: 10 })])
      const applied = state.apply([obs('A', T0, { pm25: 200 })])
      expect(applied.stale).toBe(1)
      expect(applied.readings).toEqual([])
      expect(state.readings()[0]?.indicators.pm25).toBe(10)
    })

    it('compares instants, not text: the same instant with another offset is as old', () => {
      const state = new AirState(1)
      state.apply([obs('A', T0, { pm25: 10 })])
      const applied = state.apply([{ stationId: 'A', observedAt: '2026-11-23T08:00:00+08:00', indicators: { pm25: 200 } }])
      expect(applied.stale).toBe(1)
      expect(state.readings()[0]?.indicators.pm25).toBe(10)
    })

    it('a newer observation replaces the held one', () => {
      const state = new AirState(1)
      state.apply([obs('A', T0, { pm25: 10 })])
      const applied = state.apply([obs('A', T0 + MINUTE, { pm25: 20 })])
      expect(applied.stale).toBe(0)
      expect(applied.readings.map(r => r.indicators.pm25)).toEqual([20])
      expect(state.readings().map(r => r.indicators.pm25)).toEqual([20])
    })

    it('in a mixed batch, only the stale records are dropped', () => {
      const state = new AirState(3)
      state.apply([obs('A', T0 + 5 * MINUTE, { pm25: 10 }), obs('B', T0, { pm25: 10 })])
      const applied = state.apply([
        obs('A', T0, { pm25: 99 }), // older than held
        obs('B', T0 + 5 * MINUTE, { pm25: 30 }), // newer
        obs('C', T0, { pm25: 50 }), // first of its station
        obs('A', T0 + 5 * MINUTE, { pm25: 98 }), // as old as held
      ])
      expect(applied.stale).toBe(2)
      expect(applied.readings.map(r => r.stationId)).toEqual(['B', 'C'])
      expect(Object.fromEntries(state.readings().map(r => [r.stationId, r.indicators.pm25]))).toEqual({ A: 10, B: 30, C: 50 })
    })

    it('restored readings count as held: older observations after a restart are stale', () => {
      const state = new AirState(1)
      const reading = { ...obs('A', T0, { pm25: 10 }), aqi: computeAqi({ pm25: 10 }) }
      state.restore([reading], [{ t: at(T0), aqi: reading.aqi.aqi ?? 0 }])
      expect(state.city()?.indicators).toEqual({ pm25: 10 })
      expect(state.apply([obs('A', T0 - MINUTE, { pm25: 300 })]).stale).toBe(1)
      expect(state.readings()).toEqual([reading])
    })
  })

  describe('the city', () => {
    it('is rated from the mean of the station concentrations, not from the mean of station AQIs', () => {
      const state = new AirState(3)
      const stations: AirIndicators[] = [
        { pm25_24h: 35, pm10_24h: 40, o3: 100, no2: 20, co: 0.6 },
        { pm25_24h: 250, pm10_24h: 300, o3: 140, no2: 60, co: 1.2 },
        { pm25_24h: 80, pm10_24h: 90, o3: 60, no2: 45, co: 0.95 },
      ]
      const applied = state.apply(stations.map((indicators, i) => obs(`S${i}`, T0, indicators)))
      const mean = meanIndicators(stations)
      expect(applied.city).toEqual({
        observedAt: at(T0),
        indicators: mean,
        aqi: computeAqi(mean),
        stationsReporting: 3,
        stationsTotal: 3,
      })
      // PM2.5 mean 121.7 µg/m³ rates 160; the mean of the stations' AQIs would be (50 + 300 + 107) / 3 ≈ 152.
      expect(mean.pm25_24h).toBe(121.7)
      expect(applied.city?.aqi.aqi).toBe(160)
      expect(state.city()).toEqual(applied.city)
    })

    it('averages each indicator over the stations that report it', () => {
      const state = new AirState(2)
      state.apply([obs('A', T0, { pm25: 30, o3: 100 }), obs('B', T0, { pm25: 50 })])
      expect(state.city()?.indicators).toEqual({ pm25: 40, o3: 100 })
    })

    it('follows the newest reading of each station', () => {
      const state = new AirState(2)
      state.apply([obs('A', T0, { pm25: 30 }), obs('B', T0, { pm25: 50 })])
      const applied = state.apply([obs('A', T0 + MINUTE, { pm25: 70 })])
      expect(applied.city?.indicators).toEqual({ pm25: 60 })
      expect(applied.city?.observedAt).toBe(at(T0 + MINUTE))
      expect(applied.city?.aqi).toEqual(computeAqi({ pm25: 60 }))
    })

    it('leaves out stations silent for longer than STATION_SILENT_AFTER_MS', () => {
      const state = new AirState(3)
      state.apply([obs('A', T0, { pm25: 300 })])
      state.apply([obs('B', T0 + STATION_SILENT_AFTER_MS, { pm25: 20 })])
      expect(state.city()?.stationsReporting).toBe(2)
      state.apply([obs('C', T0 + STATION_SILENT_AFTER_MS + MINUTE, { pm25: 40 })])
      expect(state.city()).toMatchObject({ stationsReporting: 2, stationsTotal: 3, indicators: { pm25: 30 } })
      expect(state.readings()).toHaveLength(3)
    })
  })

  describe('the trend', () => {
    it('has one point per newer city observation, with the city AQI', () => {
      const state = new AirState(1)
      const aqis: (number | null)[] = []
      for (let i = 0; i < 5; i++) {
        const applied = state.apply([obs('A', T0 + i * MINUTE, { pm25: 20 + 30 * i })])
        aqis.push(applied.city?.aqi.aqi ?? null)
      }
      expect(state.trend()).toEqual(aqis.map((aqi, i) => ({ t: at(T0 + i * MINUTE), aqi })))
    })

    it('keeps only the last hour of observation time', () => {
      const state = new AirState(2)
      const step = 10 * MINUTE
      const end = T0 + 3 * 3_600_000
      for (let t = T0; t <= end; t += step)
        state.apply([obs('A', t, { pm25: 30 }), obs('B', t, { pm25: 40 })])
      const trend = state.trend()
      expect(trend.map(p => p.t)).toEqual(Array.from({ length: 7 }, (_, i) => at(end - TREND_WINDOW_MS + i * step)))
      // The cut follows observation time: a reading two minutes later drops the oldest point.
      state.apply([obs('A', end + 2 * MINUTE, { pm25: 30 })])
      expect(state.trend().map(p => p.t)).toEqual(Array.from({ length: 6 }, (_, i) => at(end - TREND_WINDOW_MS + (i + 1) * step)).concat(at(end + 2 * MINUTE)))
    })

    it('takes no point for a stale batch and none older than the last', () => {
      const state = new AirState(2)
      state.apply([obs('A', T0 + 10 * MINUTE, { pm25: 30 })])
      state.apply([obs('A', T0, { pm25: 300 })]) // stale
      state.apply([obs('B', T0, { pm25: 10 })]) // a late first station: the city is still as of T0 + 10 min
      expect(state.trend()).toEqual([{ t: at(T0 + 10 * MINUTE), aqi: computeAqi({ pm25: 20 }).aqi }])
    })

    it('is returned as a copy', () => {
      const state = new AirState(1)
      state.apply([obs('A', T0, { pm25: 30 })])
      state.trend().splice(0)
      expect(state.trend()).toHaveLength(1)
    })
  })

  it('gives a snapshot that matches the wire schema', () => {
    const state = new AirState(2)
    state.apply([obs('A', T0, { pm25: 30, o3: 80 }), obs('B', T0, { pm25: 50, co: 1.1 })])
    const snapshot = state.snapshot()
    expect(AirSnapshot.parse(snapshot)).toEqual(snapshot)
    expect(snapshot).toEqual({ readings: state.readings(), city: state.city(), trend: state.trend() })
  })
})
