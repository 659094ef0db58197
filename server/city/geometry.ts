import type { CityBoundary } from '@shared/schemas/city'

/** [lng, lat] in WGS-84 degrees, the GeoJSON order. */
export type Position = [number, number]
export type AreaGeometry = CityBoundary['geometry']

const EARTH_RADIUS_KM = 6371.0088
const KM_PER_DEG_LAT = (Math.PI * EARTH_RADIUS_KM) / 180
const RAD = Math.PI / 180

/** Great-circle distance (haversine). */
export function distanceKm(a: Position, b: Position): number {
  const dLat = (b[1] - a[1]) * RAD
  const dLng = (b[0] - a[0]) * RAD
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLng / 2) ** 2
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)))
}

export function pathLengthKm(path: readonly Position[]): number {
  let km = 0
  for (let i = 1; i < path.length; i++)
    km += distanceKm(path[i - 1]!, path[i]!)
  return km
}

/** Five decimals, about a metre: enough for a wall map, and it keeps the payload small. */
export function round5(p: Position): Position {
  return [Math.round(p[0] * 1e5) / 1e5, Math.round(p[1] * 1e5) / 1e5]
}

/** Moves a point by east/north kilometres (equirectangular: exact enough at city scale). */
export function offsetKm(p: Position, eastKm: number, northKm: number): Position {
  return [p[0] + eastKm / (KM_PER_DEG_LAT * Math.cos(p[1] * RAD)), p[1] + northKm / KM_PER_DEG_LAT]
}

/** East/north kilometres of `p` from `origin`: a local plane for angles and crossings. */
export function toLocalKm(origin: Position, p: Position): Position {
  return [(p[0] - origin[0]) * KM_PER_DEG_LAT * Math.cos(origin[1] * RAD), (p[1] - origin[1]) * KM_PER_DEG_LAT]
}

export function lerp(a: Position, b: Position, t: number): Position {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]
}

/** The point `fraction` of the way along a path, by length. */
export function pointAlong(path: readonly Position[], fraction: number): Position {
  const target = pathLengthKm(path) * fraction
  let walked = 0
  for (let i = 1; i < path.length; i++) {
    const step = distanceKm(path[i - 1]!, path[i]!)
    if (walked + step >= target && step > 0)
      return lerp(path[i - 1]!, path[i]!, (target - walked) / step)
    walked += step
  }
  return path[path.length - 1]!
}

function cross(o: Position, a: Position, b: Position): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
}

/** True when segments ab and cd cross in their interiors (touching at an endpoint does not count). */
export function segmentsCross(a: Position, b: Position, c: Position, d: Position): boolean {
  const d1 = cross(c, d, a)
  const d2 = cross(c, d, b)
  const d3 = cross(a, b, c)
  const d4 = cross(a, b, d)
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))
}

/** Distance from p to the segment ab, in km (on the local plane around a). */
export function distanceToSegmentKm(p: Position, a: Position, b: Position): number {
  const [bx, by] = toLocalKm(a, b)
  const [px, py] = toLocalKm(a, p)
  const len2 = bx * bx + by * by
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, (px * bx + py * by) / len2))
  return Math.sqrt((px - t * bx) ** 2 + (py - t * by) ** 2)
}

export function polygonsOf(geometry: AreaGeometry): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
}

type Edge = [number, number, number, number]
const SLABS = 512

/**
 * Point-in-area by even-odd ray casting over every ring, so holes and islands
 * count right. Edges are bucketed into horizontal slabs: a lookup tests only
 * the few edges at the point's latitude, which keeps thousands of tests on a
 * 5,000-vertex outline cheap.
 */
export function createInsideTest(geometry: AreaGeometry): (p: Position) => boolean {
  const edges: Edge[] = []
  let minLat = Infinity
  let maxLat = -Infinity
  for (const polygon of polygonsOf(geometry)) {
    for (const ring of polygon) {
      for (let i = 0; i < ring.length; i++) {
        const a = ring[i]!
        const b = ring[(i + 1) % ring.length]!
        if (a[1] === b[1])
          continue // horizontal edges never cross a horizontal ray
        edges.push([a[0], a[1], b[0], b[1]])
        minLat = Math.min(minLat, a[1], b[1])
        maxLat = Math.max(maxLat, a[1], b[1])
      }
    }
  }
  const slabHeight = (maxLat - minLat) / SLABS || 1
  const slabs: Edge[][] = Array.from({ length: SLABS }, () => [])
  const slabOf = (lat: number): number => Math.min(SLABS - 1, Math.max(0, Math.floor((lat - minLat) / slabHeight)))
  for (const e of edges) {
    for (let s = slabOf(Math.min(e[1], e[3])); s <= slabOf(Math.max(e[1], e[3])); s++)
      slabs[s]!.push(e)
  }
  return ([x, y]) => {
    if (y < minLat || y > maxLat)
      return false
    let inside = false
    for (const [x1, y1, x2, y2] of slabs[slabOf(y)]!) {
      if ((y1 > y) !== (y2 > y) && x < ((x2 - x1) * (y - y1)) / (y2 - y1) + x1)
        inside = !inside
    }
    return inside
  }
}

/**
 * Douglas–Peucker on one ring, in degrees. The source outlines are quantised
 * to 1/1024° with runs of repeated points; simplifying at a few tens of metres
 * cuts them to a fraction without a visible change.
 */
export function simplifyRing(ring: readonly Position[], toleranceDeg: number): Position[] {
  const points = ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1]![0] || p[1] !== ring[i - 1]![1])
  if (points.length < 3)
    return points
  const keep = new Uint8Array(points.length)
  keep[0] = 1
  keep[points.length - 1] = 1
  const stack: [number, number][] = [[0, points.length - 1]]
  while (stack.length > 0) {
    const [first, last] = stack.pop()!
    let maxDist2 = 0
    let index = -1
    for (let i = first + 1; i < last; i++) {
      const d2 = perpendicular2(points[i]!, points[first]!, points[last]!)
      if (d2 > maxDist2) {
        maxDist2 = d2
        index = i
      }
    }
    if (index > 0 && maxDist2 > toleranceDeg * toleranceDeg) {
      keep[index] = 1
      stack.push([first, index], [index, last])
    }
  }
  return points.filter((_, i) => keep[i] === 1)
}

/** A new geometry with every position mapped. */
export function mapGeometry(geometry: AreaGeometry, f: (p: Position) => Position): AreaGeometry {
  const polygons = polygonsOf(geometry).map(polygon => polygon.map(ring => ring.map(f)))
  return geometry.type === 'Polygon' ? { type: 'Polygon', coordinates: polygons[0]! } : { type: 'MultiPolygon', coordinates: polygons }
}

/** Every ring simplified; rings (islets) that collapse below four points are dropped. */
export function simplifyGeometry(geometry: AreaGeometry, toleranceDeg: number): AreaGeometry {
  const polygons = polygonsOf(geometry)
    .map(polygon => polygon.map(ring => simplifyRing(ring, toleranceDeg)).filter(ring => ring.length >= 4))
    .filter(polygon => polygon.length > 0)
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0]! } : { type: 'MultiPolygon', coordinates: polygons }
}

/** Squared distance from p to the segment ab, in degrees² (Math.hypot is slow in V8, and only order matters here). */
function perpendicular2(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const len2 = dx * dx + dy * dy
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2))
  const ex = p[0] - a[0] - t * dx
  const ey = p[1] - a[1] - t * dy
  return ex * ex + ey * ey
}

/** The area-weighted centroid of a polygon's outer ring (planar, in degrees). */
export function ringCentroid(ring: readonly Position[]): Position {
  let area = 0
  let cx = 0
  let cy = 0
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!
    const b = ring[(i + 1) % ring.length]!
    const f = a[0] * b[1] - b[0] * a[1]
    area += f
    cx += (a[0] + b[0]) * f
    cy += (a[1] + b[1]) * f
  }
  return area === 0 ? ring[0]! : [cx / (3 * area), cy / (3 * area)]
}

export function ringAreaDeg2(ring: readonly Position[]): number {
  let area = 0
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!
    const b = ring[(i + 1) % ring.length]!
    area += a[0] * b[1] - b[0] * a[1]
  }
  return Math.abs(area / 2)
}
