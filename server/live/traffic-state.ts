import { gradeForRatio, networkTraffic, speedRatio } from '@shared/traffic/congestion'
import type { SegmentSample } from '@shared/traffic/congestion'
import type { TrafficEventData } from '@shared/realtime/streams'
import type { RoadSegment } from '@shared/schemas/city'
import type { CityTraffic, MileageByGrade, NetworkTraffic, SegmentReading, SegmentUpdate, TownTraffic, TrafficObservation } from '@shared/schemas/traffic'

/** A segment whose latest reading is this much older than the newest one no longer counts for its network. */
export const SEGMENT_SILENT_AFTER_MS = 30 * 60_000

export interface TrafficApplied {
  /** Full readings of the segments that changed: what the store keeps for a restart. */
  segments: SegmentReading[]
  /** The towns whose segments changed, recomputed. */
  towns: TownTraffic[]
  city: CityTraffic | null
  /** The change as the wall receives it: only the segments whose shown speed or grade changed, values rounded. */
  event: TrafficEventData
}

/** Whole km/h: what a wall shows, and what decides whether a segment is in an event. */
const shownSpeed = (speedKmh: number): number => Math.round(speedKmh)

const round = (x: number, digits: number): number => {
  const scale = 10 ** digits
  return Math.round(x * scale) / scale
}

/** A network's figures to display precision (DTP 0.1 %, TPI 0.01, speed 0.1 km/h, mileage 10 m): the floats' last digits are noise on the wire. */
function rounded<T extends NetworkTraffic>(n: T): T {
  const mileage = Object.fromEntries(Object.entries(n.mileage).map(([grade, km]) => [grade, round(km, 2)])) as MileageByGrade
  return { ...n, dtp: round(n.dtp, 3), tpi: round(n.tpi, 2), meanSpeedKmh: round(n.meanSpeedKmh, 1), mileage }
}

const toUpdate = (r: SegmentReading): SegmentUpdate => [r.segmentId, shownSpeed(r.speedKmh), r.grade]

/**
 * The live traffic of the city: each segment's latest reading rated against
 * its free-flow speed (GB/T 33171 §8.1), and each town's and the city's
 * network DTP, TPI and mileage per grade (§7.2). Older readings never
 * replace newer ones.
 */
export class TrafficState {
  private readonly segments: ReadonlyMap<string, RoadSegment>
  private readonly townSegments = new Map<string, RoadSegment[]>()
  private readonly latest = new Map<string, SegmentReading>()
  /** Each segment's observation time as a number: compared for every record, so parsed once. */
  private readonly heldAt = new Map<string, number>()
  private readonly towns = new Map<string, TownTraffic>()
  private cityTraffic: CityTraffic | null = null
  private newest = 0

  constructor(roads: readonly RoadSegment[]) {
    this.segments = new Map(roads.map(r => [r.id, r]))
    for (const road of roads) {
      const list = this.townSegments.get(road.townCode) ?? []
      list.push(road)
      this.townSegments.set(road.townCode, list)
    }
  }

  restore(readings: readonly SegmentReading[]): void {
    this.apply(readings)
  }

  apply(observations: readonly Pick<TrafficObservation, 'segmentId' | 'observedAt' | 'speedKmh'>[]): TrafficApplied {
    const changed: SegmentReading[] = []
    const shown: SegmentUpdate[] = []
    const touchedTowns = new Set<string>()
    for (const o of observations) {
      const segment = this.segments.get(o.segmentId)
      if (!segment)
        continue
      const t = Date.parse(o.observedAt)
      const held = this.heldAt.get(o.segmentId)
      if (held !== undefined && held >= t)
        continue
      const ratio = speedRatio(o.speedKmh, segment.freeFlowKmh)
      const reading: SegmentReading = { segmentId: o.segmentId, observedAt: o.observedAt, speedKmh: o.speedKmh, ratio, grade: gradeForRatio(ratio) }
      const before = this.latest.get(o.segmentId)
      // A wall already shows this speed and grade: sending them again would only cost bytes on every socket.
      if (!before || shownSpeed(before.speedKmh) !== shownSpeed(reading.speedKmh) || before.grade !== reading.grade)
        shown.push(toUpdate(reading))
      this.latest.set(o.segmentId, reading)
      this.heldAt.set(o.segmentId, t)
      changed.push(reading)
      touchedTowns.add(segment.townCode)
      this.newest = Math.max(this.newest, t)
    }
    if (changed.length === 0)
      return { segments: [], towns: [], city: null, event: { segments: [], towns: [], city: null } }
    const towns = [...touchedTowns].map(code => this.computeTown(code))
    this.cityTraffic = { ...this.network([...this.segments.values()]), observedAt: new Date(this.newest).toISOString() }
    return { segments: changed, towns, city: this.cityTraffic, event: { segments: shown, towns: towns.map(rounded), city: rounded(this.cityTraffic) } }
  }

  city(): CityTraffic | null {
    return this.cityTraffic
  }

  /** The observation time held for an entity, epoch ms. */
  heldTime(id: string): number | undefined {
    return this.heldAt.get(id)
  }

  /** Every segment, town and the city as the stream's events carry them. */
  snapshot(): TrafficEventData {
    return {
      segments: Array.from(this.latest.values(), toUpdate),
      towns: Array.from(this.towns.values(), rounded),
      city: this.cityTraffic && rounded(this.cityTraffic),
    }
  }

  private computeTown(code: string): TownTraffic {
    const town: TownTraffic = { ...this.network(this.townSegments.get(code) ?? []), townCode: code }
    this.towns.set(code, town)
    return town
  }

  private network(roads: readonly RoadSegment[]): ReturnType<typeof networkTraffic> {
    const horizon = this.newest - SEGMENT_SILENT_AFTER_MS
    const samples: SegmentSample[] = []
    for (const road of roads) {
      const at = this.heldAt.get(road.id)
      if (at !== undefined && at >= horizon)
        samples.push({ lengthKm: road.lengthKm, freeFlowKmh: road.freeFlowKmh, speedKmh: (this.latest.get(road.id) as SegmentReading).speedKmh })
    }
    return networkTraffic(samples, roads.length)
  }
}
