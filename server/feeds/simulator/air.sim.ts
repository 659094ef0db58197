import type { AirStation } from '@shared/schemas/air'
import type { FeedAdapter, FeedContext } from '../types'
import { deriveSeed, Random } from '../random'
import type { SimClock } from '../sim-clock'
import { bump, HOUR_MS, isoSecond, localHour, MINUTE_MS } from './china-time'
import { distanceKm } from './city-index'
import type { FaultShape } from './faults'
import { corrupt } from './faults'
import type { ScenarioBook } from './scenarios'
import { scenarioLevel } from './scenarios'

/** Late-autumn Pearl River Delta levels (µg/m³; CO mg/m³): PM moderate, O3 the usual primary pollutant. */
const BASE = { pm25: 30, no2: 30, so2: 7, co: 0.6, o3: 110 }
/** How long random fluctuations last (an AR(1) process with this time constant). */
const NOISE_MINUTES = 30
/** Pollution episodes start this often on average. */
const EPISODES_PER_HOUR = 0.05
/** A chemical release at full intensity, at its source (µg/m³; CO mg/m³), falling off over this distance. */
const PLUME_PEAK = { so2: 420, no2: 140, pm25: 55, co: 1.2 }
const PLUME_DECAY_KM = 4
/** Rain washes particles out and cuts the sunshine ozone needs. */
const RAIN_PM_WASHOUT = 0.5
const RAIN_O3_CUT = 0.3
/** An injected air episode at full intensity multiplies PM this much at its centre. */
const EPISODE_SCENARIO_PEAK = 3
const EPISODE_SCENARIO_MARGIN_KM = 8

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

/** What the scenarios under way do to one station's air. */
interface ScenarioAir {
  add: { so2: number, no2: number, pm25: number, co: number }
  pmFactor: number
  o3Factor: number
  episode: number
}

export interface AirSimulatorOptions {
  stations: readonly AirStation[]
  clock: SimClock
  seed: number
  intervalMs: number
  faultRate: number
  /** Drills under way; without it the air runs undisturbed. */
  scenarios?: ScenarioBook
}

/** Diurnal shape by local hour (China Standard Time): rush hours, the night inversion, afternoon ozone. */
function diurnal(species: Species, hour: number): number {
  const b = (peak: number, width: number): number => Math.max(bump(hour, peak, width), bump(hour, peak - 24, width), bump(hour, peak + 24, width))
  switch (species) {
    case 'pm25': return 0.8 + 0.25 * b(8.5, 2) + 0.4 * b(21, 3)
    case 'no2': return 0.65 + 0.6 * b(8, 1.5) + 0.75 * b(18.5, 2)
    case 'co': return 0.8 + 0.2 * b(8, 1.5) + 0.3 * b(19, 2.5)
    case 'o3': return 0.3 + 1.3 * b(15, 3)
    case 'so2': return 0.9 + 0.2 * b(11, 4)
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
  private readonly faultRng: Random
  private readonly states: StationState[]
  private readonly faultShape: FaultShape
  private episodes: Episode[] = []
  private lastT: number

  constructor(private readonly options: AirSimulatorOptions) {
    this.rng = new Random(deriveSeed(options.seed, 'air'))
    this.faultRng = new Random(deriveSeed(options.seed, 'air:faults'))
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
    this.faultShape = {
      idKey: 'stationId',
      unknownId: rng => `AQ-UNKNOWN-${rng.int(100, 999)}`,
      timeKey: 'observedAt',
      numbers: ['indicators.pm25', 'indicators.no2', 'indicators.o3', 'indicators.so2'],
      required: ['stationId', 'observedAt', 'indicators'],
    }
    // Half of all runs start with an episode under way, so a fresh start is not all green.
    if (this.states.length > 0 && this.rng.chance(0.5))
      this.spawnEpisode(this.lastT - HOUR_MS * this.rng.between(1, 3))
  }

  start(ctx: FeedContext): void {
    const emit = (): void => {
      void ctx.sink.push({ source: this.id, kind: 'air', records: this.tick() })
        .catch((err: unknown) => ctx.log(`[simulator] air batch failed: ${String(err)}`))
    }
    ctx.setConnection('connected')
    emit()
    const timer = setInterval(emit, this.options.intervalMs)
    ctx.signal.addEventListener('abort', () => clearInterval(timer), { once: true })
  }

  /** One round of observations at `t` (the clock's current time by default). */
  tick(t: number = this.options.clock.now()): unknown[] {
    const dtHours = Math.max(0, (t - this.lastT) / HOUR_MS)
    this.lastT = Math.max(this.lastT, t)
    this.episodes = this.episodes.filter(e => e.end > t)
    if (this.states.length > 0 && this.rng.chance(1 - Math.exp(-dtHours * EPISODES_PER_HOUR)))
      this.spawnEpisode(t)
    const observedAt = isoSecond(t)
    return this.states.map((s) => {
      const record = { stationId: s.station.id, observedAt, indicators: this.observe(s, t, dtHours) }
      return this.faultRng.chance(this.options.faultRate) ? corrupt(record, this.faultShape, this.faultRng).record : record
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

  /** Plumes, washout and injected episodes at one station. Draws no random numbers: a drill leaves the base air alone. */
  private scenarioAir(station: AirStation, t: number): ScenarioAir {
    const out: ScenarioAir = { add: { so2: 0, no2: 0, pm25: 0, co: 0 }, pmFactor: 1, o3Factor: 1, episode: 0 }
    for (const s of this.options.scenarios?.at(t) ?? []) {
      const level = scenarioLevel(s, t)
      const d = distanceKm(station, s.location)
      switch (s.kind) {
        case 'chemical-smell': {
          // The plume swings with the wind: a slow, seeded meander rather than random draws.
          const meander = 0.8 + 0.2 * Math.sin(t / (17 * MINUTE_MS) + (s.seed % 100))
          const reach = level * Math.exp(-d / PLUME_DECAY_KM) * meander
          out.add.so2 += PLUME_PEAK.so2 * reach
          out.add.no2 += PLUME_PEAK.no2 * reach
          out.add.pm25 += PLUME_PEAK.pm25 * reach
          out.add.co += PLUME_PEAK.co * reach
          break
        }
        case 'heavy-rain':
          if (s.towns.has(station.townCode)) {
            out.pmFactor *= 1 - RAIN_PM_WASHOUT * level
            out.o3Factor *= 1 - RAIN_O3_CUT * level
          }
          break
        case 'air-episode': {
          const radiusKm = EPISODE_SCENARIO_MARGIN_KM + Math.max(0, ...this.states
            .filter(x => s.towns.has(x.station.townCode))
            .map(x => distanceKm(x.station, s.location)))
          const r = d / radiusKm
          out.episode += (EPISODE_SCENARIO_PEAK - 1) * level * Math.exp(-r * r)
          break
        }
        case 'water-main-break':
        case 'traffic-accident':
        case 'hall-outage':
        case 'feed-outage':
          break
      }
    }
    return out
  }

  private observe(s: StationState, t: number, dtHours: number): Record<string, number> {
    const hour = localHour(t)
    const phi = Math.exp(-(dtHours * 60) / NOISE_MINUTES)
    const value = (species: Species): number => {
      s.noise[species] = phi * s.noise[species] + Math.sqrt(1 - phi * phi) * this.rng.normal()
      return BASE[species] * s.factor[species] * diurnal(species, hour) * Math.exp(0.12 * s.noise[species])
    }
    const sc = this.scenarioAir(s.station, t)
    const episode = this.episodeFactor(s.station, t) + sc.episode
    const pm25 = value('pm25') * episode * sc.pmFactor + sc.add.pm25
    const pm10 = pm25 * this.rng.between(1.45, 1.7)
    const o3 = value('o3') * (1 + (episode - 1) * 0.3) * sc.o3Factor
    // Sliding averages move towards the hourly value at the rate their window implies.
    s.pm25_24h += (pm25 - s.pm25_24h) * (1 - Math.exp(-dtHours / 24))
    s.pm10_24h += (pm10 - s.pm10_24h) * (1 - Math.exp(-dtHours / 24))
    s.o3_8h += (o3 - s.o3_8h) * (1 - Math.exp(-dtHours / 8))
    return {
      so2: Math.round(value('so2') + sc.add.so2),
      no2: Math.round(value('no2') * (1 + (episode - 1) * 0.5) + sc.add.no2),
      co: Math.round((value('co') * (1 + (episode - 1) * 0.3) + sc.add.co) * 10) / 10,
      o3: Math.round(o3),
      o3_8h: Math.round(s.o3_8h),
      pm25: Math.round(pm25),
      pm10: Math.round(pm10),
      pm25_24h: Math.round(s.pm25_24h),
      pm10_24h: Math.round(s.pm10_24h),
    }
  }
}
