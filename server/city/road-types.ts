import type { RoadClass } from '@shared/schemas/traffic'
import type { Position } from './geometry'
import type { Inside } from './road-shape'

/** Default free-flow speeds by class until measured (domain.md §2.5); corridors may say 100 for a 高速公路. */
export const FREE_FLOW_KMH: Record<RoadClass, number> = { expressway: 80, arterial: 50, secondary: 40, branch: 30 }

/** GB/T 33171 §5.5: expressway segments are split again at ≥ 3 km, the other classes at ≥ 1.5 km. */
export const MAX_SEGMENT_KM: Record<RoadClass, number> = { expressway: 3, arterial: 1.5, secondary: 1.5, branch: 1.5 }

/** A town as the road generators see it. */
export interface RoadTown {
  code: string
  /** 虎门 for 虎门镇: road names are built from it. */
  short: string
  /** HUMEN: the readable part of the town's road ids. */
  key: string
  centre: Position
  major: boolean
}

export interface RoadContext {
  /** DG: every segment id starts with it. */
  prefix: string
  towns: readonly RoadTown[]
  /** Inside the city outline. */
  inside: Inside
  /** Index of the town a point belongs to. */
  townAt: (p: Position) => number
}

/**
 * A place roads meet: a town centre, or (in cities of large districts) a
 * satellite standing for a township seat inside a town's area.
 */
export interface Hub {
  /** HUMEN, or TAISHAN-S3 for a satellite. */
  key: string
  short: string
  centre: Position
  /** Index of the town it belongs to. */
  town: number
  satellite: boolean
  /** Rings of its street lattice. */
  rings: number
}

/** One road before numbering: its pieces are its segments, in order. */
export interface PlannedRoad {
  /** Unique within the city, upper-case: GUANSHEN, A07, HUMEN-R3. */
  code: string
  name: string
  roadClass: RoadClass
  freeFlowKmh: number
  pieces: Position[][]
}

/** Drops repeated vertices (pulling points ashore can land two on the same spot). */
export function dedupe(path: readonly Position[]): Position[] {
  return path.filter((p, i) => i === 0 || p[0] !== path[i - 1]![0] || p[1] !== path[i - 1]![1])
}
