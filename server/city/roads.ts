import type { RoadSegment } from '@shared/schemas/city'
import { pathLengthKm, pointAlong } from './geometry'
import type { Position } from './geometry'
import type { RoadProfile } from './profile'
import { arterialRoads } from './road-arterials'
import { expresswayRoads } from './road-expressways'
import { roadHubs } from './road-hubs'
import { latticeRoads } from './road-lattice'
import type { PlannedRoad, RoadContext } from './road-types'

export { FREE_FLOW_KMH, MAX_SEGMENT_KM } from './road-types'
export type { RoadContext, RoadTown } from './road-types'

/*
 * The road network is SCHEMATIC. There is no real road data offline, so the
 * network is generated from the town centres (and, in cities of large
 * districts, satellites standing for township seats): arterials along a
 * neighbour graph of them, expressway corridors named in the city's data,
 * and a street lattice (secondary and branch roads) around each of them. It is
 * plausible enough to drive the traffic views; it is not a map of real roads.
 */

/** The city's road segments, deterministic for the same profile and towns. */
export function generateRoads(profile: RoadProfile, ctx: RoadContext): RoadSegment[] {
  const arterials = arterialRoads(profile, ctx, roadHubs(profile, ctx))
  const planned = [
    ...expresswayRoads(profile, ctx),
    ...arterials.roads,
    ...latticeRoads(profile, ctx, arterials.linked),
  ]
  const codes = new Set<string>()
  const segments: RoadSegment[] = []
  for (const road of planned) {
    if (codes.has(road.code))
      throw new Error(`two roads share the code ${road.code}`)
    codes.add(road.code)
    segments.push(...road.pieces.map((piece, k) => toSegment(road, piece, k, ctx)))
  }
  return segments
}

function toSegment(road: PlannedRoad, path: Position[], index: number, ctx: RoadContext): RoadSegment {
  const lengthKm = pathLengthKm(path)
  if (!(lengthKm > 0))
    throw new Error(`segment ${index + 1} of ${road.code} has no length`)
  return {
    id: `${ctx.prefix}-${road.code}-${String(index + 1).padStart(2, '0')}`,
    name: road.name,
    roadClass: road.roadClass,
    townCode: ctx.towns[ctx.townAt(pointAlong(path, 0.5))]!.code,
    lengthKm: Math.round(lengthKm * 1000) / 1000,
    freeFlowKmh: road.freeFlowKmh,
    path,
  }
}
