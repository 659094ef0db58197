import type { ServiceHall } from '@shared/schemas/city'
import type { RecordKind } from '@shared/schemas/feeds'
import type { ActiveScenario, ScenarioKind, ScenarioRegion } from '@shared/schemas/scenarios'
import { SCENARIO_KIND_INFO, SCENARIO_REGION_ZH, ScenarioRequest } from '@shared/schemas/scenarios'
import { deriveSeed, Random } from '../random'
import { DAY_MS, isoSecond, MINUTE_MS } from './china-time'
import type { CityIndex, Point, TownInfo } from './city-index'
import { distanceKm, offsetKm } from './city-index'
import type { RoadNetwork } from './traffic-network'

/** A request that names something the city does not have; the HTTP layer answers 400. */
export class ScenarioError extends Error {}

/** A road segment a scenario acts on, `hop` junctions from its head, with its share of the effect. */
export interface ScenarioSegment { index: number, hop: number, weight: number }

/** A scenario with what the domain simulators need to play it out. */
export interface ScenarioRuntime {
  readonly info: ActiveScenario
  readonly kind: ScenarioKind
  readonly start: number
  readonly end: number
  readonly intensity: number
  readonly towns: ReadonlySet<string>
  readonly location: Point
  readonly segments: readonly ScenarioSegment[]
  readonly hallIds: ReadonlySet<string>
  /** Where those halls are: their visitors call 12345 from there. */
  readonly hallSites: readonly (Point & { townCode: string })[]
  /** Seed of the scenario's own random stream: playing it out leaves the base city's draws alone. */
  readonly seed: number
}

/** Sudden events hit at once; weather and pollution build up. */
const RAMP_IN_MIN: Readonly<Record<ScenarioKind, number>> = {
  'heavy-rain': 20, 'chemical-smell': 10, 'water-main-break': 2, 'traffic-accident': 2, 'hall-outage': 1, 'air-episode': 60, 'feed-outage': 0,
}
const RAMP_OUT_MAX_MIN = 20
/** A feed-outage's label names the feed: 交通数据中断. */
const FEED_ZH: Readonly<Record<RecordKind, string>> = { air: '空气质量', traffic: '交通', hall: '政务大厅', incident: '12345' }
/** Regions: towns beyond this share of the half-extent from the centre line; the centre is a disc. */
const REGION_EDGE = 0.1
const CENTRE_RADIUS = 0.4
/** Where a region lies, in half-extents from the centre: a region with no town takes the towns nearest it. */
const REGION_ANCHOR: Readonly<Record<ScenarioRegion, readonly [number, number]>> = {
  north: [0, 1], south: [0, -1], east: [1, 0], west: [-1, 0], centre: [0, 0],
}
const ACCIDENT_CORRIDOR_HOPS = 6
const ACCIDENT_DECAY_PER_HOP = 0.85
const WATER_MAIN_ROADS_KM = 1.5
const WATER_MAIN_DECAY_KM = 0.8
/** Ended scenarios stay readable this long: a domain that ticks late still plays their end. */
const KEEP_ENDED_MS = DAY_MS

/** Effect strength at time t: 0 outside the scenario, up to `intensity` once ramped in. */
export function scenarioLevel(s: ScenarioRuntime, t: number): number {
  if (t < s.start || t >= s.end)
    return 0
  const rampIn = Math.min(RAMP_IN_MIN[s.kind] * MINUTE_MS, (s.end - s.start) / 3)
  const rampOut = Math.min(RAMP_OUT_MAX_MIN * MINUTE_MS, (s.end - s.start) / 3)
  return s.intensity * Math.min(1, (t - s.start) / rampIn, (s.end - t) / rampOut)
}

export interface ScenarioBookOptions {
  index: CityIndex
  network: RoadNetwork
  halls: readonly ServiceHall[]
  seed: number
}

/** The drills under way: injected, resolved against the city, ended by time or by cancel. */
export class ScenarioBook {
  private runtimes: ScenarioRuntime[] = []
  private seq = 0

  constructor(private readonly options: ScenarioBookOptions) {}

  /**
   * Starts a scenario now, as the named drill `drillId` when given (its calls
   * carry the id). Throws a ZodError for a malformed request, a ScenarioError for unknown towns.
   */
  inject(input: unknown, now: number, drillId?: string): ActiveScenario {
    const req = ScenarioRequest.parse(input)
    const towns = this.resolveArea(req.area)
    const seq = ++this.seq
    const seed = deriveSeed(this.options.seed, `scenario:${seq}`)
    const rng = new Random(seed)
    const start = now
    const end = now + (req.durationMin ?? SCENARIO_KIND_INFO[req.kind].defaultDurationMin) * MINUTE_MS
    const location = this.locate(req.kind, towns, rng)
    const segments = this.segmentsFor(req.kind, towns, location, rng)
    const halls = req.kind === 'hall-outage' ? this.hallsFor(towns, 'region' in req.area) : []
    const hallLocation = halls[0] ? { lng: halls[0].lng, lat: halls[0].lat } : location
    const head = segments[0] ? this.options.network.segments[segments[0].index] : undefined
    const info: ActiveScenario = {
      id: `sc${seq}-${req.kind}`,
      kind: req.kind,
      area: { townCodes: towns.map(t => t.code), ...('region' in req.area ? { region: req.area.region } : {}) },
      startsAt: isoSecond(start),
      endsAt: isoSecond(end),
      intensity: req.intensity,
      label: req.feed !== undefined ? `${FEED_ZH[req.feed]}${SCENARIO_KIND_INFO[req.kind].zh}` : this.label(req.kind, towns, 'region' in req.area ? req.area.region : undefined, head?.name),
      location: req.kind === 'traffic-accident' && head ? head.mid : req.kind === 'hall-outage' ? hallLocation : location,
      ...(segments.length > 0 && req.kind === 'traffic-accident' ? { segmentIds: segments.map(s => this.options.network.segments[s.index]?.id ?? '') } : {}),
      ...(halls.length > 0 ? { hallIds: halls.map(h => h.id) } : {}),
      ...(req.feed !== undefined ? { feed: req.feed } : {}),
      ...(drillId !== undefined ? { drillId } : {}),
    }
    this.runtimes.push({
      info,
      kind: req.kind,
      start,
      end,
      intensity: req.intensity,
      towns: new Set(info.area.townCodes),
      location: info.location,
      segments,
      hallIds: new Set(info.hallIds ?? []),
      hallSites: halls.map(h => ({ lng: h.lng, lat: h.lat, townCode: h.townCode })),
      seed,
    })
    return info
  }

  /** The scenarios not yet ended at `now`. */
  list(now: number): ActiveScenario[] {
    this.runtimes = this.runtimes.filter(s => s.end > now - KEEP_ENDED_MS)
    return this.runtimes.filter(s => s.end > now).map(s => s.info)
  }

  cancel(id: string, now: number): boolean {
    const before = this.runtimes.length
    this.runtimes = this.runtimes.filter(s => !(s.info.id === id && s.end > now))
    return this.runtimes.length < before
  }

  /** Whether a feed-outage stops this kind of record at time t. */
  silenced(kind: RecordKind, t: number): boolean {
    return this.at(t).some(s => s.kind === 'feed-outage' && s.info.feed === kind)
  }

  /** The scenarios acting at time t. */
  at(t: number): ScenarioRuntime[] {
    return this.runtimes.filter(s => t >= s.start && t < s.end)
  }

  private resolveArea(area: ScenarioRequest['area']): TownInfo[] {
    const { index } = this.options
    if ('townCodes' in area) {
      const unknown = area.townCodes.filter(c => !index.town(c))
      if (unknown.length > 0)
        throw new ScenarioError(`unknown town code(s): ${unknown.join(', ')}`)
      return [...new Set(area.townCodes)].map(c => index.town(c) as TownInfo)
    }
    return this.regionTowns(area.region)
  }

  /** Towns of a region, relative to the centre and half-extent of the city's bounding box. */
  private regionTowns(region: ScenarioRegion): TownInfo[] {
    const { index } = this.options
    const [minLng, minLat, maxLng, maxLat] = index.city.bbox
    const cx = (minLng + maxLng) / 2
    const cy = (minLat + maxLat) / 2
    const rel = (t: TownInfo): { dx: number, dy: number } => ({ dx: (t.lng - cx) / ((maxLng - minLng) / 2), dy: (t.lat - cy) / ((maxLat - minLat) / 2) })
    const inside: Record<ScenarioRegion, (p: { dx: number, dy: number }) => boolean> = {
      north: p => p.dy > REGION_EDGE,
      south: p => p.dy < -REGION_EDGE,
      east: p => p.dx > REGION_EDGE,
      west: p => p.dx < -REGION_EDGE,
      centre: p => Math.hypot(p.dx, p.dy) < CENTRE_RADIUS,
    }
    const towns = index.towns.filter(t => inside[region](rel(t)))
    if (towns.length > 0)
      return towns
    const [ax, ay] = REGION_ANCHOR[region]
    const away = (t: TownInfo): number => Math.hypot(rel(t).dx - ax, rel(t).dy - ay)
    const byDistance = [...index.towns].sort((a, b) => away(a) - away(b))
    if (byDistance.length === 0)
      throw new ScenarioError('the city has no towns')
    return byDistance.slice(0, 3)
  }

  /** Where the scenario centres: a point source near the first town, or the area's middle. */
  private locate(kind: ScenarioKind, towns: readonly TownInfo[], rng: Random): Point {
    const first = towns[0] as TownInfo
    switch (kind) {
      case 'water-main-break':
      case 'chemical-smell': {
        const angle = rng.between(0, 2 * Math.PI)
        const km = rng.between(0.4, kind === 'chemical-smell' ? 1.5 : 1.2)
        return offsetKm(first, km * Math.cos(angle), km * Math.sin(angle))
      }
      case 'heavy-rain':
      case 'traffic-accident':
      case 'hall-outage':
      case 'air-episode':
      case 'feed-outage':
        return this.options.index.centroid(towns.map(t => t.code))
    }
  }

  private segmentsFor(kind: ScenarioKind, towns: readonly TownInfo[], location: Point, rng: Random): ScenarioSegment[] {
    const { network } = this.options
    if (kind === 'water-main-break') {
      return network.near(location, WATER_MAIN_ROADS_KM).map(index => ({
        index,
        hop: 0,
        weight: Math.exp(-distanceKm(location, network.segments[index]?.mid ?? location) / WATER_MAIN_DECAY_KM),
      }))
    }
    if (kind !== 'traffic-accident' || network.segments.length === 0)
      return []
    const codes = new Set(towns.map(t => t.code))
    const inArea = network.segments.filter(s => codes.has(s.townCode))
    const major = inArea.filter(s => s.roadClass === 'expressway' || s.roadClass === 'arterial')
    const pool = (major.length > 0 ? major : inArea.length > 0 ? inArea : network.segments)
      .map(s => ({ s, d: distanceKm(s.mid, location) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, 5)
    const head = rng.pick(pool).s
    return network.corridor(head.index, ACCIDENT_CORRIDOR_HOPS)
      .map(c => ({ index: c.index, hop: c.hop, weight: ACCIDENT_DECAY_PER_HOP ** c.hop }))
  }

  /** Named towns: all their halls. A region: its busiest hall, not a whole region's. */
  private hallsFor(towns: readonly TownInfo[], isRegion: boolean): ServiceHall[] {
    const { halls, index } = this.options
    const codes = new Set(towns.map(t => t.code))
    const size = (h: ServiceHall): number => (h.level === 'city' ? 10 : 0) + (index.town(h.townCode)?.weight ?? 0)
    const inArea = halls.filter(h => codes.has(h.townCode)).sort((a, b) => size(b) - size(a))
    if (inArea.length > 0)
      return isRegion ? inArea.slice(0, 1) : inArea
    const centre = index.centroid([...codes])
    const nearest = [...halls].sort((a, b) => distanceKm(a, centre) - distanceKm(b, centre))[0]
    return nearest ? [nearest] : []
  }

  private label(kind: ScenarioKind, towns: readonly TownInfo[], region: ScenarioRegion | undefined, road: string | undefined): string {
    const names = towns.map(t => t.short)
    const area = region
      ? SCENARIO_REGION_ZH[region]
      : names.length <= 2 ? names.join('、') : `${names.slice(0, 2).join('、')}等${names.length}镇街`
    const what = SCENARIO_KIND_INFO[kind].zh
    return kind === 'traffic-accident' && road ? `${area}${road}${what}` : `${area}${what}`
  }
}
