import { computeAqi } from '@shared/air/aqi'
import { meanIndicators } from '@shared/air/city'
import type { AirObservation, CityAir, CityAqiPoint, StationReading } from '@shared/schemas/air'
import type { AirSnapshot } from '@shared/realtime/streams'

/** The trend keeps this much observation time. */
export const TREND_WINDOW_MS = 3_600_000
/** …and at most this many points, whatever the rate. */
const TREND_MAX_POINTS = 2000
/** A station whose latest reading is this much older than the newest one no longer counts for the city. */
export const STATION_SILENT_AFTER_MS = 2 * 3_600_000

export interface AirApplied {
  /** Readings that changed the state (new, newer than what was held). */
  readings: StationReading[]
  city: CityAir | null
  /** Records that were duplicates of, or older than, the held reading. */
  stale: number
}

/**
 * The live air of the city: each station's latest reading and the city
 * summary rated from the stations' mean concentrations. An observation older
 * than (or as old as) the one held for its station does not replace it.
 */
export class AirState {
  private readonly latest = new Map<string, StationReading>()
  private cityAir: CityAir | null = null
  private trendPoints: CityAqiPoint[] = []

  constructor(private readonly stationCount: number) {}

  /** Restores state saved by an earlier run. */
  restore(readings: readonly StationReading[], trend: readonly CityAqiPoint[]): void {
    for (const r of readings)
      this.latest.set(r.stationId, r)
    this.trendPoints = [...trend]
    this.cityAir = this.computeCity()
  }

  apply(observations: readonly AirObservation[]): AirApplied {
    const readings: StationReading[] = []
    let stale = 0
    for (const o of observations) {
      const held = this.latest.get(o.stationId)
      if (held && Date.parse(held.observedAt) >= Date.parse(o.observedAt)) {
        stale++
        continue
      }
      const reading: StationReading = { ...o, aqi: computeAqi(o.indicators) }
      this.latest.set(o.stationId, reading)
      readings.push(reading)
    }
    if (readings.length > 0) {
      this.cityAir = this.computeCity()
      if (this.cityAir?.aqi.aqi != null)
        this.addTrendPoint({ t: this.cityAir.observedAt, aqi: this.cityAir.aqi.aqi })
    }
    return { readings, city: readings.length > 0 ? this.cityAir : null, stale }
  }

  city(): CityAir | null {
    return this.cityAir
  }

  readings(): StationReading[] {
    return [...this.latest.values()]
  }

  trend(): CityAqiPoint[] {
    return [...this.trendPoints]
  }

  /** The observation time held for an entity, epoch ms. */
  heldTime(id: string): number | undefined {
    const held = this.latest.get(id)
    return held ? Date.parse(held.observedAt) : undefined
  }

  snapshot(): AirSnapshot {
    return { readings: this.readings(), city: this.cityAir, trend: this.trend() }
  }

  private addTrendPoint(point: CityAqiPoint): void {
    const last = this.trendPoints.at(-1)
    if (last && last.t >= point.t) {
      if (last.t === point.t)
        last.aqi = point.aqi
      return
    }
    this.trendPoints.push(point)
    const horizon = Date.parse(point.t) - TREND_WINDOW_MS
    const firstKept = this.trendPoints.findIndex(p => Date.parse(p.t) >= horizon)
    this.trendPoints = this.trendPoints.slice(Math.max(firstKept, this.trendPoints.length - TREND_MAX_POINTS))
  }

  private computeCity(): CityAir | null {
    const held = [...this.latest.values()]
    if (held.length === 0)
      return null
    const newest = Math.max(...held.map(r => Date.parse(r.observedAt)))
    const all = held.filter(r => Date.parse(r.observedAt) >= newest - STATION_SILENT_AFTER_MS)
    const observedAt = new Date(newest).toISOString()
    const indicators = meanIndicators(all.map(r => r.indicators))
    return {
      observedAt,
      indicators,
      aqi: computeAqi(indicators),
      stationsReporting: all.length,
      stationsTotal: this.stationCount,
    }
  }
}
