import type { RoadSegment } from '@shared/schemas/city'
import type { RoadClass } from '@shared/schemas/traffic'
import type { Point } from './city-index'
import { distanceKm } from './city-index'

/** Endpoints closer than about 10 m are the same junction. */
const JUNCTION_DECIMALS = 4
/** A jam moves along its own road more readily than across a junction into another. */
const COUPLING_SAME_ROAD = 0.75
const COUPLING_SAME_CLASS = 0.55
const COUPLING_OTHER = 0.4
/** A jam backs up against the flow (upstream) and thins out with it (downstream). */
const UPSTREAM_GAIN = 1.15
const DOWNSTREAM_GAIN = 0.7
/** A small road's jam barely reaches a bigger one. */
const INTO_BIGGER_ROAD = 0.6
const MAX_COUPLING = 0.85

const CLASS_RANK: Readonly<Record<RoadClass, number>> = { expressway: 3, arterial: 2, secondary: 1, branch: 0 }

export interface NetSegment {
  index: number
  id: string
  name: string
  roadClass: RoadClass
  townCode: string
  lengthKm: number
  freeFlowKmh: number
  start: Point
  end: Point
  mid: Point
}

/** Another segment whose congestion reaches this one, and how strongly (0–1). */
export interface Influence { from: number, coupling: number }

function junctionKey(p: readonly [number, number]): string {
  return `${p[0].toFixed(JUNCTION_DECIMALS)},${p[1].toFixed(JUNCTION_DECIMALS)}`
}

function toPoint(p: readonly [number, number]): Point {
  return { lng: p[0], lat: p[1] }
}

function firstLast(path: readonly (readonly [number, number])[]): [readonly [number, number], readonly [number, number]] {
  const first = path[0]
  const last = path[path.length - 1]
  if (!first || !last)
    throw new RangeError('a road segment needs a path of at least two points')
  return [first, last]
}

/**
 * The road network as a graph: segments that share an endpoint are
 * neighbours, so congestion can travel along corridors and back up through
 * junctions.
 */
export class RoadNetwork {
  readonly segments: readonly NetSegment[]
  /** influences[i]: the neighbours whose congestion reaches segment i. */
  readonly influences: readonly Influence[][]
  private readonly byId: ReadonlyMap<string, number>

  constructor(roads: readonly RoadSegment[]) {
    this.segments = roads.map((r, index) => {
      const [a, b] = firstLast(r.path)
      const mid = r.path[Math.floor(r.path.length / 2)] ?? a
      return {
        index,
        id: r.id,
        name: r.name,
        roadClass: r.roadClass,
        townCode: r.townCode,
        lengthKm: r.lengthKm,
        freeFlowKmh: r.freeFlowKmh,
        start: toPoint(a),
        end: toPoint(b),
        mid: toPoint(mid),
      }
    })
    this.byId = new Map(this.segments.map(s => [s.id, s.index]))
    this.influences = this.buildInfluences(roads)
  }

  indexOf(id: string): number | undefined {
    return this.byId.get(id)
  }

  /** Segments whose midpoint lies within `km` of a point, nearest first. */
  near(p: Point, km: number): number[] {
    return this.segments
      .map(s => ({ i: s.index, d: distanceKm(p, s.mid) }))
      .filter(x => x.d <= km)
      .sort((a, b) => a.d - b.d)
      .map(x => x.i)
  }

  /**
   * The corridor behind a segment, nearest first: neighbours on the same road
   * first, else the most strongly coupled one, up to `depth` hops. A jam at
   * the head backs up along it.
   */
  corridor(head: number, depth: number): { index: number, hop: number }[] {
    const out = [{ index: head, hop: 0 }]
    const seen = new Set([head])
    let frontier = [head]
    for (let hop = 1; hop <= depth && frontier.length > 0; hop++) {
      const next: number[] = []
      for (const i of frontier) {
        const seg = this.segments[i]
        const options = (this.influences[i] ?? []).filter(n => !seen.has(n.from))
        const sameRoad = options.filter(n => this.segments[n.from]?.name === seg?.name)
        const chosen = sameRoad.length > 0 ? sameRoad : options.sort((a, b) => b.coupling - a.coupling).slice(0, 1)
        for (const n of chosen) {
          seen.add(n.from)
          next.push(n.from)
          out.push({ index: n.from, hop })
        }
      }
      frontier = next
    }
    return out
  }

  private buildInfluences(roads: readonly RoadSegment[]): Influence[][] {
    const atJunction = new Map<string, { index: number, isStart: boolean }[]>()
    roads.forEach((r, index) => {
      const [a, b] = firstLast(r.path)
      for (const [p, isStart] of [[a, true], [b, false]] as const) {
        const key = junctionKey(p)
        const list = atJunction.get(key) ?? []
        list.push({ index, isStart })
        atJunction.set(key, list)
      }
    })
    const influences = this.segments.map(() => new Map<number, number>())
    for (const ends of atJunction.values()) {
      for (const to of ends) {
        for (const from of ends) {
          if (from.index === to.index)
            continue
          const c = this.coupling(from, to)
          const held = influences[to.index]
          if (held && c > (held.get(from.index) ?? 0))
            held.set(from.index, c)
        }
      }
    }
    return influences.map(m => [...m].map(([from, coupling]) => ({ from, coupling })))
  }

  /** How strongly congestion on `from` reaches `to`, which meet at one junction. */
  private coupling(from: { index: number, isStart: boolean }, to: { index: number, isStart: boolean }): number {
    const a = this.segments[from.index]
    const b = this.segments[to.index]
    if (!a || !b)
      return 0
    let c = a.name === b.name ? COUPLING_SAME_ROAD : a.roadClass === b.roadClass ? COUPLING_SAME_CLASS : COUPLING_OTHER
    // `to` ends where the jammed `from` starts: `to` feeds the jam and backs up.
    if (!to.isStart && from.isStart)
      c *= UPSTREAM_GAIN
    else if (to.isStart && !from.isStart)
      c *= DOWNSTREAM_GAIN
    if (CLASS_RANK[b.roadClass] > CLASS_RANK[a.roadClass])
      c *= INTO_BIGGER_ROAD
    return Math.min(MAX_COUPLING, c)
  }
}
