import type { Position } from './geometry'
import type { RoadProfile } from './profile'
import { neighbourGraph } from './road-graph'
import type { Edge } from './road-graph'
import { insidePath, splitPath } from './road-shape'
import { FREE_FLOW_KMH, MAX_SEGMENT_KM } from './road-types'
import type { Hub, PlannedRoad, RoadContext } from './road-types'

const ARTERIAL_AMPLITUDE = 0.06
const ARTERIAL_SPACING_KM = 0.35
const MIN_ANGLE_DEG = 25
const CLEARANCE_KM = 1
const COUNTY_ROAD_FIRST = 501

/**
 * Arterials (主干路) from hub to hub along the neighbour graph. Named roads of
 * the profile (莞太路 …) take their links first; a link between two towns is
 * named after them, the way 莞樟路 joins 莞城 and 樟木头, and a link to a
 * satellite gets a county-road number (县道X501 …).
 */
export function arterialRoads(profile: RoadProfile, ctx: RoadContext, hubs: readonly Hub[]): { roads: PlannedRoad[], linked: Hub[] } {
  // Towns come first among the hubs, so a town's index is its hub index.
  const index = new Map(ctx.towns.map((t, i) => [t.code, i]))
  const at = (code: string): number => {
    const i = index.get(code)
    if (i === undefined)
      throw new Error(`road data names an unknown town ${code}`)
    return i
  }
  const link = linkPaths(ctx, hubs)
  const forced: Edge[] = profile.arterials.flatMap(road => road.via.slice(1).map((code, k): Edge => [at(road.via[k]!), at(code)]))
  const edges = neighbourGraph(hubs.map(h => h.centre), forced, {
    maxEdgeKm: profile.maxArterialKm,
    minAngleDeg: MIN_ANGLE_DEG,
    clearanceKm: CLEARANCE_KM,
    drawable: (i, j) => link(i, j) !== null,
    required: ctx.towns.length,
    // Satellites stand for townships: sparse country roads, not a mesh.
    sparse: (i, j) => hubs[i]!.satellite || hubs[j]!.satellite,
  })

  const roads: PlannedRoad[] = []
  const names = new Set<string>()
  const named = new Set<string>()
  for (const road of profile.arterials) {
    const pieces = road.via.slice(1).flatMap((code, k) => {
      const [i, j] = [at(road.via[k]!), at(code)]
      const path = link(i, j)
      if (!path)
        throw new Error(`${road.name}: no road inside the city from ${road.via[k]} to ${code}`)
      named.add(edgeKey(i, j))
      return splitPath(path, MAX_SEGMENT_KM.arterial)
    })
    names.add(road.name)
    roads.push({ code: road.code, name: road.name, roadClass: 'arterial', freeFlowKmh: FREE_FLOW_KMH.arterial, pieces })
  }
  let serial = 0
  let countyRoad = COUNTY_ROAD_FIRST
  for (const [i, j] of edges) {
    if (named.has(edgeKey(i, j)))
      continue
    serial++
    const [a, b] = [hubs[i]!, hubs[j]!]
    const name = a.satellite || b.satellite ? `县道X${countyRoad++}` : linkName(a.short, b.short, names)
    names.add(name)
    roads.push({
      code: `A${String(serial).padStart(2, '0')}`,
      name,
      roadClass: 'arterial',
      freeFlowKmh: FREE_FLOW_KMH.arterial,
      pieces: splitPath(link(i, j)!, MAX_SEGMENT_KM.arterial),
    })
  }
  const linked = new Set(edges.flat())
  return { roads, linked: hubs.filter((h, i) => !h.satellite || linked.has(i)) }
}

function edgeKey(i: number, j: number): string {
  return i < j ? `${i}-${j}` : `${j}-${i}`
}

/** The drawn path between two hubs (from the first to the second), computed once per pair. */
function linkPaths(ctx: RoadContext, hubs: readonly Hub[]): (i: number, j: number) => Position[] | null {
  const cache = new Map<string, Position[] | null>()
  return (i, j) => {
    const [lo, hi] = i < j ? [i, j] : [j, i]
    const key = `${lo}-${hi}`
    if (!cache.has(key)) {
      const [a, b] = [hubs[lo]!, hubs[hi]!]
      cache.set(key, insidePath(a.centre, b.centre, `${ctx.prefix}:link:${a.key}-${b.key}`, ARTERIAL_AMPLITUDE, ARTERIAL_SPACING_KM, ctx.inside))
    }
    const path = cache.get(key)
    return path && i > j ? [...path].reverse() : (path ?? null)
  }
}

/** 莞城 + 樟木头 → 莞樟路; when that is taken or reads oddly (石碣 + 石龙), the full names. */
function linkName(a: string, b: string, taken: ReadonlySet<string>): string {
  const candidates = [a[0] !== b[0] ? `${a[0]}${b[0]}路` : '', `${a}${b}路`, `${a}${b}公路`, `${b}${a}公路`]
  const name = candidates.find(n => n !== '' && !taken.has(n))
  if (!name)
    throw new Error(`no free name for the road from ${a} to ${b}`)
  return name
}
