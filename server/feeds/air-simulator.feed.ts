import type { AirStation } from '@shared/schemas/air'
import type { FeedAdapter, FeedContext } from './types'
import { Random } from './random'
import type { SimClock } from './sim-clock'

/** Late-autumn Pearl River Delta levels (µg/m³; CO mg/m³): PM moderate, O3 the usual primary pollutant. */
const BASE = { pm25: 30, no2: 30, so2: 7, co: 0.6, o3: 110 }
const HOUR_MS = 3_600_000
/** How long random fluctuations last (an AR(1) process with this time constant). */
const NOISE_MINUTES = 30
/** Pollution episodes start this often on average. */
const EPISODES_PER_HOUR = 0.05

type Species = keyof typeof BASE

interface Episode { lng: number, lat: number, radiusKm: number, peak: number, start: number, end: number }

interface StationState {
  station: AirStation
  factor: Record<Species, number>
  noise: Record<Species, number>
  pm25_24h: number
  pm10_24h: number
  o3_8h: number
}

export interface AirSimulatorOptions {
  stations: readonly AirStation[]
  clock: SimClock
  seed: number
  intervalMs: number
  faultRate: number
}

/** Distance in km, flat-earth: fine at city scale. */
function distanceKm(a: { lng: number, lat: number }, b: { lng: number, lat: number }): number {
  return Math.hypot((a.lng - b.lng) * 102.5, (a.lat - b.lat) * 111.2)
}

function bump(hour: number, peak: number, width: number): number {
  const d = Math.min(Math.abs(hour - peak), 24 - Math.abs(hour - peak))
  return Math.exp(-(d * d) / (2 * width * width))
}

/** Diurnal shape by local hour (China Standard Time): rush hours, the night inversion, afternoon ozone. */
function diurnal(species: Species, hour: number): number {
  switch (species) {
    case 'pm25': return 0.8 + 0.25 * bump(hour, 8.5, 2) + 0.4 * bump(hour, 21, 3)
    case 'no2': return 0.65 + 0.6 * bump(hour, 8, 1.5) + 0.75 * bump(hour, 18.5, 2)
    case 'co': return 0.8 + 0.2 * bump(hour, 8, 1.5) + 0.3 * bump(hour, 19, 2.5)
    case 'o3': return 0.3 + 1.3 * bump(hour, 15, 3)
    case 'so2': return 0.9 + 0.2 * bump(hour, 11, 4)
  }
}

/** Where a station sits shapes its air: the western river towns are industrial, the eastern hills are downwind. */
function stationFactor(station: AirStation, rng: Random): Record<Species, number> {
  const west = station.lng < 113.7 ? 1 : 0
  const east = station.lng > 114.05 ? 1 : 0
  const own = (): number => rng.between(0.9, 1.1)
  return {
    pm25: (1 + 0.1 * west - 0.15 * east) * own(),
    no2: (1 + 0.3 * west - 0.2 * east) * own(),
    so2: (1 + 0.5 * west) * own(),
    co: own(),
    o3: (1 - 0.05 * west + 0.1 * east) * own(),
  }
}

const FAULTS: ((record: Record<string, unknown>) => unknown)[] = [
  r => ({ ...r, indicators: { ...(r.indicators as object), pm25: -1 } }),
  r => ({ ...r, indicators: { ...(r.indicators as object), no2: Number.NaN } }),
  r => ({ ...r, indicators: { ...(r.indicators as object), o3: 'ERR' } }),
  r => ({ ...r, observedAt: 'not a time' }),
  r => ({ ...r, stationId: undefined }),
]

/**
 * A city's air-quality network, simulated: every station reports the
 * real-time report's indicators each interval, with daily rhythms, local
 * character, correlated noise and occasional pollution episodes. A small
 * share of records is malformed, as real sensor networks send them.
 */
export class AirSimulator implements FeedAdapter {
  readonly id = 'simulator'
  readonly adapter = 'simulator'
  private readonly rng: Random
  private readonly states: StationState[]
  private episodes: Episode[] = []
  private lastT: number

  constructor(private readonly options: AirSimulatorOptions) {
    this.rng = new Random(options.seed)
    this.lastT = options.clock.now()
    this.states = options.stations.map((station) => {
      const factor = stationFactor(station, this.rng)
      return {
        station,
        factor,
        noise: { pm25: 0, no2: 0, so2: 0, co: 0, o3: 0 },
        pm25_24h: BASE.pm25 * factor.pm25 * 0.95,
        pm10_24h: BASE.pm25 * factor.pm25 * 1.55,
        o3_8h: BASE.o3 * factor.o3 * 0.75,
      }
    })
    // Half of all runs start with an episode under way, so a fresh start is not all green.
    if (this.rng.chance(0.5))
      this.spawnEpisode(this.lastT - HOUR_MS * this.rng.between(1, 3))
  }

  start(ctx: FeedContext): void {
    const emit = (): void => void ctx.sink.push({ source: this.id, kind: 'air', records: this.tick() })
    ctx.setConnection('connected')
    emit()
    const timer = setInterval(emit, this.options.intervalMs)
    ctx.signal.addEventListener('abort', () => clearInterval(timer), { once: true })
  }

  /** One round of observations at the clock's current time. */
  tick(): unknown[] {
    const t = this.options.clock.now()
    const dtHours = Math.max(0, (t - this.lastT) / HOUR_MS)
    this.lastT = t
    this.episodes = this.episodes.filter(e => e.end > t)
    if (this.rng.chance(1 - Math.exp(-dtHours * EPISODES_PER_HOUR)))
      this.spawnEpisode(t)
    const observedAt = new Date(Math.floor(t / 1000) * 1000).toISOString()
    return this.states.map((s) => {
      const record = { stationId: s.station.id, observedAt, indicators: this.observe(s, t, dtHours) }
      return this.rng.chance(this.options.faultRate) ? this.rng.pick(FAULTS)(record) : record
    })
  }

  private spawnEpisode(start: number): void {
    const centre = this.rng.pick(this.states).station
    this.episodes.push({
      lng: centre.lng,
      lat: centre.lat,
      radiusKm: this.rng.between(8, 22),
      peak: this.rng.between(1.8, 3.6),
      start,
      end: start + HOUR_MS * this.rng.between(4, 14),
    })
  }

  private episodeFactor(station: AirStation, t: number): number {
    let factor = 1
    for (const e of this.episodes) {
      if (t < e.start)
        continue
      const envelope = Math.sin((Math.PI * (t - e.start)) / (e.end - e.start))
      const d = distanceKm(station, e) / e.radiusKm
      factor += (e.peak - 1) * envelope * Math.exp(-d * d)
    }
    return factor
  }

  private observe(s: StationState, t: number, dtHours: number): Record<string, number> {
    const hour = ((t / HOUR_MS) + 8) % 24
    const phi = Math.exp(-(dtHours * 60) / NOISE_MINUTES)
    const value = (species: Species): number => {
      s.noise[species] = phi * s.noise[species] + Math.sqrt(1 - phi * phi) * this.rng.normal()
      return BASE[species] * s.factor[species] * diurnal(species, hour) * Math.exp(0.12 * s.noise[species])
    }
    const episode = this.episodeFactor(s.station, t)
    const pm25 = value('pm25') * episode
    const pm10 = pm25 * this.rng.between(1.45, 1.7)
    const o3 = value('o3') * (1 + (episode - 1) * 0.3)
    // Sliding averages move towards the hourly value at the rate their window implies.
    s.pm25_24h += (pm25 - s.pm25_24h) * (1 - Math.exp(-dtHours / 24))
    s.pm10_24h += (pm10 - s.pm10_24h) * (1 - Math.exp(-dtHours / 24))
    s.o3_8h += (o3 - s.o3_8h) * (1 - Math.exp(-dtHours / 8))
    return {
      so2: Math.round(value('so2')),
      no2: Math.round(value('no2') * (1 + (episode - 1) * 0.5)),
      co: Math.round(value('co') * (1 + (episode - 1) * 0.3) * 10) / 10,
      o3: Math.round(o3),
      o3_8h: Math.round(s.o3_8h),
      pm25: Math.round(pm25),
      pm10: Math.round(pm10),
      pm25_24h: Math.round(s.pm25_24h),
      pm10_24h: Math.round(s.pm10_24h),
    }
  }
}
