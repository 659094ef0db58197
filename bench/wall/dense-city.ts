/**
 * The benchmark's city: Dongguan as the server builds it, with each road
 * segment cut into shorter ones until the network has the reference count
 * (5,000 by default; Dongguan has about 1,850). Same roads, same places, same
 * halls; only finer segments, as a city with denser detectors would report.
 */
import type { CityModel, RoadSegment } from '@shared/schemas/city'
import { loadCity } from '@server/city'
import { distanceKm, lerp, pathLengthKm } from '@server/city/geometry'
import type { Position } from '@server/city/geometry'

/**
 * Cuts a path into `pieces` parts of equal length. Every cut point is a
 * vertex of both neighbours, so the pieces still meet at junctions (the
 * simulator's road graph joins segments by shared endpoints).
 */
export function splitPath(path: readonly Position[], pieces: number): Position[][] {
  if (pieces <= 1)
    return [path.map(p => [p[0], p[1]])]
  const total = pathLengthKm(path)
  const out: Position[][] = []
  let current: Position[] = [path[0] as Position]
  let walked = 0
  let cut = 1
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1] as Position
    const b = path[i] as Position
    const step = distanceKm(a, b)
    // Cut points inside this edge, in order.
    while (cut < pieces && step > 0 && walked + step >= (total * cut) / pieces) {
      const point = lerp(a, b, ((total * cut) / pieces - walked) / step)
      current.push(point)
      out.push(current)
      current = [point]
      cut++
    }
    current.push(b)
    walked += step
  }
  out.push(current)
  return out.filter(p => p.length >= 2 && pathLengthKm(p) > 0)
}

/**
 * How many pieces each segment becomes so that the network has `target`
 * segments: every segment at least one, the extra cuts going to the longest
 * pieces first (largest remainder of length × scale).
 */
export function piecesFor(lengths: readonly number[], target: number): number[] {
  const total = lengths.reduce((a, b) => a + b, 0)
  if (target <= lengths.length || total <= 0)
    return lengths.map(() => 1)
  const exact = lengths.map(l => Math.max(1, (l / total) * target))
  const pieces = exact.map(Math.floor)
  let missing = target - pieces.reduce((a, b) => a + b, 0)
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r)
  for (let k = 0; missing > 0; k = (k + 1) % byRemainder.length, missing--)
    pieces[byRemainder[k]!.i]! += 1
  // Floors of values below 1 were raised to 1, which can overshoot: take the excess back from the most cut.
  let excess = pieces.reduce((a, b) => a + b, 0) - target
  while (excess > 0) {
    const most = pieces.indexOf(Math.max(...pieces))
    pieces[most]! -= 1
    excess--
  }
  return pieces
}

function splitSegment(road: RoadSegment, pieces: number): RoadSegment[] {
  const paths = splitPath(road.path, pieces)
  if (paths.length === 1)
    return [road]
  return paths.map((path, k) => ({
    ...road,
    id: `${road.id}-${String.fromCharCode(97 + Math.floor(k / 26))}${String.fromCharCode(97 + (k % 26))}`,
    lengthKm: Math.max(0.001, Math.round(pathLengthKm(path) * 1000) / 1000),
    path,
  }))
}

export interface DenseCityOptions {
  segments: number
  /** Keep this many air stations (the reference load has 30; Dongguan has 33). */
  stations?: number
}

export function denseCity(options: DenseCityOptions): CityModel {
  const city = loadCity('dongguan')
  const pieces = piecesFor(city.roads.map(r => r.lengthKm), options.segments)
  const roads = city.roads.flatMap((road, i) => splitSegment(road, pieces[i] ?? 1))
  return {
    ...city,
    roads,
    airStations: options.stations === undefined ? city.airStations : city.airStations.slice(0, options.stations),
  }
}
