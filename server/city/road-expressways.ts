import { distanceKm, lerp, offsetKm, round5, toLocalKm } from './geometry'
import type { Position } from './geometry'
import { hashSigned } from './hash'
import type { RoadProfile } from './profile'
import { curvedPath, insidePath, pullInside, splitPath } from './road-shape'
import { dedupe, FREE_FLOW_KMH, MAX_SEGMENT_KM } from './road-types'
import type { PlannedRoad, RoadContext } from './road-types'

type Corridor = RoadProfile['expressways'][number]

const CORRIDOR_AMPLITUDE = 0.03
const CORRIDOR_SPACING_KM = 0.9
/** Expressways pass a town at an interchange this far from its centre, linked to it by a connector. */
const INTERCHANGE_OFFSET_KM = 1.2

interface Waypoint {
  p: Position
  /** The town whose interchange this is, when the corridor data named a town. */
  town?: number
}

/**
 * Expressway corridors (快速路/高速) from the city's data. Each leg between two
 * waypoints is split on its own, so interchanges are segment ends (GB/T 33171
 * §5.5 splits expressways at ramps), and each interchange gets a short
 * arterial connector to the town centre so the network stays one graph.
 */
export function expresswayRoads(profile: RoadProfile, ctx: RoadContext): PlannedRoad[] {
  return profile.expressways.flatMap((corridor) => {
    const waypoints = corridorWaypoints(corridor, ctx)
    const pieces = waypoints.slice(1).flatMap((w, k) => {
      const from = waypoints[k]!.p
      const leg = curvedPath(from, w.p, `${ctx.prefix}:${corridor.code}:${k}`, CORRIDOR_AMPLITUDE, CORRIDOR_SPACING_KM)
        .map((v, i, all) => keepAshore(v, lerp(from, w.p, i / (all.length - 1)), ctx))
      return splitPath(dedupe(leg), MAX_SEGMENT_KM.expressway)
    })
    const road: PlannedRoad = { code: corridor.code, name: corridor.name, roadClass: 'expressway', freeFlowKmh: corridor.freeFlowKmh, pieces }
    return [road, ...connectors(corridor, waypoints, ctx)]
  })
}

function corridorWaypoints(corridor: Corridor, ctx: RoadContext): Waypoint[] {
  const raw = corridor.via.map((v): Waypoint => {
    if (Array.isArray(v))
      return { p: keepAshore(v, v, ctx) }
    const town = ctx.towns.findIndex(t => t.code === v)
    if (town < 0)
      throw new Error(`${corridor.name} passes an unknown town ${v}`)
    return { p: ctx.towns[town]!.centre, town }
  })
  return raw.map((w, k) => {
    if (w.town === undefined)
      return w
    const before = raw[Math.max(0, k - 1)]!.p
    const after = raw[Math.min(raw.length - 1, k + 1)]!.p
    return { p: interchange(w.p, before, after, corridor.code, ctx), town: w.town }
  })
}

/**
 * A point beside the centre, across the corridor's direction. The side is
 * fixed per corridor (it passes every town on the same hand), so the road
 * does not zigzag from one side of the towns to the other.
 */
function interchange(centre: Position, before: Position, after: Position, seed: string, ctx: RoadContext): Position {
  const [dx, dy] = toLocalKm(before, after)
  const norm = Math.hypot(dx, dy) || 1
  const side = hashSigned(seed) >= 0 ? 1 : -1
  for (const s of [side, -side]) {
    const p = offsetKm(centre, (-dy / norm) * s * INTERCHANGE_OFFSET_KM, (dx / norm) * s * INTERCHANGE_OFFSET_KM)
    const rounded = pullInside(p, centre, ctx.inside)
    if (distanceKm(rounded, centre) > INTERCHANGE_OFFSET_KM / 2)
      return rounded
  }
  return centre
}

/** Pulls a vertex that fell outside back towards its straight-line position, or else the nearest centre. */
function keepAshore(p: Position, straight: Position, ctx: RoadContext): Position {
  if (ctx.inside(p))
    return p
  const anchor = ctx.inside(round5(straight)) ? straight : nearestCentre(p, ctx)
  return pullInside(p, anchor, ctx.inside)
}

function nearestCentre(p: Position, ctx: RoadContext): Position {
  let best = ctx.towns[0]!.centre
  for (const t of ctx.towns) {
    if (distanceKm(p, t.centre) < distanceKm(p, best))
      best = t.centre
  }
  return best
}

function connectors(corridor: Corridor, waypoints: readonly Waypoint[], ctx: RoadContext): PlannedRoad[] {
  return waypoints.flatMap((w, k) => {
    if (w.town === undefined)
      return []
    const town = ctx.towns[w.town]!
    if (w.p[0] === town.centre[0] && w.p[1] === town.centre[1])
      return []
    const path = insidePath(w.p, town.centre, `${ctx.prefix}:${corridor.code}:X${k}`, 0.05, 0.35, ctx.inside)
    if (!path)
      return []
    return [{
      code: `${corridor.code}-X${k + 1}`,
      name: `${corridor.name}${town.short}连接线`,
      roadClass: 'arterial' as const,
      freeFlowKmh: FREE_FLOW_KMH.arterial,
      pieces: splitPath(path, MAX_SEGMENT_KM.arterial),
    }]
  })
}
