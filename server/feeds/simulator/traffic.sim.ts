import type { RoadClass } from '@shared/schemas/traffic'
import { deriveSeed, Random } from '../random'
import type { DayKind, WorkCalendar } from './china-time'
import { bump, DayKinds, HOUR_MS, isoSecond, localTime, MINUTE_MS } from './china-time'
import type { CityIndex } from './city-index'
import { distanceKm } from './city-index'
import type { FaultShape } from './faults'
import { corrupt } from './faults'
import type { ScenarioBook, ScenarioRuntime } from './scenarios'
import { scenarioLevel } from './scenarios'
import type { NetSegment, RoadNetwork } from './traffic-network'

/** Dynamics advance in steps of at most this; a longer gap is walked in several. */
const STEP_MS = 5 * MINUTE_MS
/** A gap longer than a day is not replayed minute by minute: the city's state forgets that fast. */
const MAX_STEPS = 288
/** A jam builds over minutes and clears more slowly. */
const RISE_TAU_MIN = 5
const FALL_TAU_MIN = 12
/** How much of a neighbour's excess congestion a segment takes on. */
const SPREAD_SHARE = 0.8
/** Congestion is capped so that traffic crawls but never stands still or goes backwards. */
const MAX_CONGESTION = 0.95
const SEGMENT_NOISE = { sigma: 0.05, tauMin: 15 }
const TOWN_NOISE = { sigma: 0.04, tauMin: 40 }
/** Accidents per hour per 1,000 km of network at full demand. */
const ACCIDENTS_PER_1000KM_H = 0.5
const ACCIDENT_MIN = { min: 20, max: 60 }
const ACCIDENT_SEVERITY = { min: 0.45, max: 0.8 }
/** Heavy rain: congestion × (1 + gain × level) + floor × level; accidents × (1 + gain × level). */
const RAIN = { congestionGain: 0.6, floor: 0.15, accidentGain: 4 }
const WATER_MAIN_CONGESTION = 0.5
/** An injected accident at full intensity, at its head; it reaches one more hop this often. */
const SCENARIO_ACCIDENT_SEVERITY = 1.2
const SCENARIO_ACCIDENT_HOP_MIN = 4
/** Detectors report counts over intervals of at most 5 min (GB/T 33171 §7.2.1.3). */
const MAX_INTERVAL_MS = 5 * MINUTE_MS
const JAM_DENSITY_PER_LANE_KM = 110
/** Effective vehicle length plus detector, km: occupancy = density × this. */
const OCCUPANCY_KM_PER_VEHICLE = 0.0065

const CLASS_SENSITIVITY: Readonly<Record<RoadClass, number>> = { expressway: 0.64, arterial: 0.72, secondary: 0.58, branch: 0.42 }
const CLASS_LANES: Readonly<Record<RoadClass, number>> = { expressway: 3, arterial: 3, secondary: 2, branch: 1 }
const CLASS_ACCIDENT_WEIGHT: Readonly<Record<RoadClass, number>> = { expressway: 1.5, arterial: 1.3, secondary: 1, branch: 0.5 }

/** 0 → 1 between a and b, smoothly. */
function rise(h: number, a: number, b: number): number {
  const x = Math.min(1, Math.max(0, (h - a) / (b - a)))
  return x * x * (3 - 2 * x)
}

/** Travel demand 0–1 by local hour: weekday rush hours at 08:30 and 18:30; weekends milder and later. */
export function trafficDemand(kind: DayKind, h: number): number {
  if (kind === 'workday')
    return 0.05 + 0.38 * rise(h, 6.3, 7.5) * (1 - rise(h, 21, 23.5)) + 0.58 * bump(h, 8.5, 0.7) + 0.57 * bump(h, 18.5, 0.8)
  const weekend = 0.05 + 0.36 * rise(h, 8, 10) * (1 - rise(h, 21.5, 24)) + 0.22 * bump(h, 11, 1.5) + 0.3 * bump(h, 17.5, 1.5)
  return kind === 'holiday' ? weekend * 0.9 : weekend
}

export interface TrafficIncidentInput {
  segmentId: string
  /** Epoch ms. */
  startsAt: number
  durationMin: number
  /** Added congestion at the segment, 0–1. */
  severity: number
}

interface Accident { index: number, start: number, end: number, severity: number }

export interface TrafficSimulatorOptions {
  network: RoadNetwork
  index: CityIndex
  calendar: WorkCalendar
  seed: number
  faultRate: number
  scenarios?: ScenarioBook
}

/**
 * Every road segment's speed, simulated: free-flow speed times a congestion
 * factor that follows the day's demand (stronger on big roads near the urban
 * core and big towns), spreads to neighbouring segments with a lag, carries
 * correlated noise and occasional accidents.
 */
export class TrafficSimulator {
  private readonly rng: Random
  private readonly scenarioRng: Random
  private readonly faultRng: Random
  private readonly segments: readonly NetSegment[]
  private readonly sensitivity: Float64Array
  private readonly accidentWeights: number[]
  private readonly townOf: Int32Array
  private readonly totalKm: number
  private readonly days: DayKinds
  private readonly faultShape: FaultShape
  private congestion: Float64Array
  private readonly noise: Float64Array
  private readonly townNoise: Float64Array
  private accidents: Accident[] = []
  private lastT: number | undefined

  constructor(private readonly options: TrafficSimulatorOptions) {
    this.rng = new Random(deriveSeed(options.seed, 'traffic'))
    this.scenarioRng = new Random(deriveSeed(options.seed, 'traffic:scenarios'))
    this.faultRng = new Random(deriveSeed(options.seed, 'traffic:faults'))
    this.segments = options.network.segments
    this.days = new DayKinds(options.calendar)
    const n = this.segments.length
    const core = this.coreWeights()
    this.sensitivity = Float64Array.from(this.segments, (s, i) =>
      CLASS_SENSITIVITY[s.roadClass] * (0.5 + 0.7 * (core[i] ?? 0)) * this.rng.lognormal(1, 0.15))
    this.accidentWeights = this.segments.map(s => s.lengthKm * CLASS_ACCIDENT_WEIGHT[s.roadClass])
    this.totalKm = this.segments.reduce((sum, s) => sum + s.lengthKm, 0)
    const towns = options.index.towns.map(t => t.code)
    this.townOf = Int32Array.from(this.segments, s => Math.max(0, towns.indexOf(s.townCode)))
    this.congestion = new Float64Array(n)
    this.noise = new Float64Array(n)
    this.townNoise = new Float64Array(Math.max(1, towns.length))
    this.faultShape = {
      idKey: 'segmentId',
      unknownId: rng => `SEG-UNKNOWN-${rng.int(1000, 9999)}`,
      timeKey: 'observedAt',
      numbers: ['speedKmh', 'volume', 'occupancy'],
      required: ['segmentId', 'observedAt', 'speedKmh'],
    }
  }

  /** Forces an accident (tests, drills): heavy congestion at one segment that backs up along its neighbours. */
  addIncident(input: TrafficIncidentInput): void {
    const index = this.options.network.indexOf(input.segmentId)
    if (index === undefined)
      throw new RangeError(`unknown segment ${input.segmentId}`)
    this.accidents.push({ index, start: input.startsAt, end: input.startsAt + input.durationMin * MINUTE_MS, severity: input.severity })
  }

  /** One observation per segment at time t. */
  tick(t: number): unknown[] {
    if (this.lastT === undefined) {
      this.congestion = this.ownCongestion(t, 0)
    }
    else if (t > this.lastT) {
      const from = Math.max(this.lastT, t - MAX_STEPS * STEP_MS)
      const steps = Math.ceil((t - from) / STEP_MS)
      const dt = (t - from) / steps
      for (let k = 1; k <= steps; k++)
        this.step(from + k * dt, dt)
    }
    const intervalMs = this.lastT === undefined ? MAX_INTERVAL_MS : Math.min(MAX_INTERVAL_MS, Math.max(1000, t - this.lastT))
    this.lastT = Math.max(this.lastT ?? t, t)
    const demand = trafficDemand(this.days.of(localTime(t)), localTime(t).minute / 60)
    const observedAt = isoSecond(t)
    return this.segments.map((s, i) => {
      const record = this.observe(s, this.congestion[i] ?? 0, demand, intervalMs, observedAt)
      return this.faultRng.chance(this.options.faultRate) ? corrupt(record, this.faultShape, this.faultRng).record : record
    })
  }

  private observe(s: NetSegment, c: number, demand: number, intervalMs: number, observedAt: string): Record<string, unknown> {
    const ratio = 1 - c
    const speedKmh = Math.max(0, s.freeFlowKmh * ratio * (1 + 0.03 * this.rng.normal()))
    const capacityPerLaneH = (JAM_DENSITY_PER_LANE_KM * s.freeFlowKmh) / 4
    // Greenshields on the congested side; on the free side the flow is what demand sends.
    const flowPerLaneH = capacityPerLaneH * Math.min(4 * ratio * (1 - ratio), 0.08 + 0.92 * demand)
    const lanes = CLASS_LANES[s.roadClass]
    const volume = Math.round(flowPerLaneH * lanes * (intervalMs / HOUR_MS))
    const density = flowPerLaneH / Math.max(1, speedKmh)
    return {
      segmentId: s.id,
      observedAt,
      speedKmh: Math.round(speedKmh * 10) / 10,
      volume,
      occupancy: Math.round(Math.min(0.98, density * OCCUPANCY_KM_PER_VEHICLE) * 1000) / 1000,
    }
  }

  /** Advances the congestion state to time t over dt: own demand, noise, accidents, then spreading. */
  private step(t: number, dt: number): void {
    this.advanceNoise(dt)
    this.spawnAccidents(t, dt)
    const own = this.ownCongestion(t, 1)
    const prev = this.congestion
    const next = new Float64Array(prev.length)
    const up = 1 - Math.exp(-dt / (RISE_TAU_MIN * MINUTE_MS))
    const down = 1 - Math.exp(-dt / (FALL_TAU_MIN * MINUTE_MS))
    for (let i = 0; i < prev.length; i++) {
      let inflow = 0
      for (const n of this.options.network.influences[i] ?? [])
        inflow = Math.max(inflow, n.coupling * (prev[n.from] ?? 0))
      const o = own[i] ?? 0
      const target = Math.min(MAX_CONGESTION, o + Math.max(0, inflow - o) * SPREAD_SHARE)
      const c = prev[i] ?? 0
      next[i] = c + (target - c) * (target > c ? up : down)
    }
    this.congestion = next
    this.accidents = this.accidents.filter(a => a.end > t)
  }

  private advanceNoise(dt: number): void {
    const phiS = Math.exp(-dt / (SEGMENT_NOISE.tauMin * MINUTE_MS))
    const phiT = Math.exp(-dt / (TOWN_NOISE.tauMin * MINUTE_MS))
    for (let i = 0; i < this.noise.length; i++)
      this.noise[i] = phiS * (this.noise[i] ?? 0) + Math.sqrt(1 - phiS * phiS) * SEGMENT_NOISE.sigma * this.rng.normal()
    for (let i = 0; i < this.townNoise.length; i++)
      this.townNoise[i] = phiT * (this.townNoise[i] ?? 0) + Math.sqrt(1 - phiT * phiT) * TOWN_NOISE.sigma * this.rng.normal()
  }

  private spawnAccidents(t: number, dt: number): void {
    if (this.segments.length === 0)
      return
    const demand = trafficDemand(this.days.of(localTime(t)), localTime(t).minute / 60)
    const perKmH = (ACCIDENTS_PER_1000KM_H / 1000) * demand
    const count = this.rng.poisson(perKmH * this.totalKm * (dt / HOUR_MS))
    for (let k = 0; k < count; k++)
      this.accidents.push(this.randomAccident(this.rng, this.rng.weightedIndex(this.accidentWeights), t))
    // Rain's extra accidents come from the scenario stream, so the base city's draws stay as they were.
    for (const s of this.options.scenarios?.at(t) ?? []) {
      if (s.kind !== 'heavy-rain')
        continue
      const weights = this.segments.map((seg, i) => (s.towns.has(seg.townCode) ? this.accidentWeights[i] ?? 0 : 0))
      const areaKm = this.segments.reduce((sum, seg) => sum + (s.towns.has(seg.townCode) ? seg.lengthKm : 0), 0)
      const extra = this.scenarioRng.poisson(perKmH * areaKm * RAIN.accidentGain * scenarioLevel(s, t) * (dt / HOUR_MS))
      for (let k = 0; k < extra && areaKm > 0; k++)
        this.accidents.push(this.randomAccident(this.scenarioRng, this.scenarioRng.weightedIndex(weights), t))
    }
  }

  private randomAccident(rng: Random, index: number, t: number): Accident {
    const start = t - rng.between(0, STEP_MS)
    return {
      index,
      start,
      end: start + rng.between(ACCIDENT_MIN.min, ACCIDENT_MIN.max) * MINUTE_MS,
      severity: rng.between(ACCIDENT_SEVERITY.min, ACCIDENT_SEVERITY.max),
    }
  }

  /** Each segment's congestion from its own causes at time t (noise scaled by `noiseGain`). */
  private ownCongestion(t: number, noiseGain: number): Float64Array {
    const local = localTime(t)
    const demand = trafficDemand(this.days.of(local), local.minute / 60)
    const noiseScale = noiseGain * (0.3 + demand)
    const own = Float64Array.from(this.segments, (_, i) =>
      demand * (this.sensitivity[i] ?? 0) + noiseScale * ((this.noise[i] ?? 0) + (this.townNoise[this.townOf[i] ?? 0] ?? 0)))
    for (const a of this.accidents) {
      if (t >= a.start && t < a.end)
        own[a.index] = (own[a.index] ?? 0) + a.severity
    }
    for (const s of this.options.scenarios?.at(t) ?? [])
      this.applyScenario(own, s, t)
    for (let i = 0; i < own.length; i++)
      own[i] = Math.min(MAX_CONGESTION, Math.max(0, own[i] ?? 0))
    return own
  }

  private applyScenario(own: Float64Array, s: ScenarioRuntime, t: number): void {
    const level = scenarioLevel(s, t)
    switch (s.kind) {
      case 'heavy-rain':
        for (let i = 0; i < own.length; i++) {
          if (s.towns.has(this.segments[i]?.townCode ?? ''))
            own[i] = (own[i] ?? 0) * (1 + RAIN.congestionGain * level) + RAIN.floor * level
        }
        break
      case 'water-main-break':
        for (const seg of s.segments)
          own[seg.index] = (own[seg.index] ?? 0) + WATER_MAIN_CONGESTION * level * seg.weight
        break
      case 'traffic-accident': {
        // The jam reaches one more segment back every few minutes.
        const reach = (t - s.start) / (SCENARIO_ACCIDENT_HOP_MIN * MINUTE_MS)
        for (const seg of s.segments) {
          if (seg.hop <= reach)
            own[seg.index] = (own[seg.index] ?? 0) + SCENARIO_ACCIDENT_SEVERITY * level * seg.weight
        }
        break
      }
      case 'chemical-smell':
      case 'hall-outage':
      case 'air-episode':
      case 'feed-outage':
        break
    }
  }

  /** How close each segment is to where people are: the towns' sizes, by distance. */
  private coreWeights(): number[] {
    const towns = this.options.index.towns
    const raw = this.segments.map(s => towns.reduce((sum, t) => {
      const d = distanceKm(s.mid, t)
      return sum + t.weight * Math.exp(-(d * d) / (2 * 5 * 5))
    }, 0))
    const max = Math.max(1e-9, ...raw)
    return raw.map(w => w / max)
  }
}
