import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson'
import type { CityBoundary, CityModel, Town } from '@shared/schemas/city'

/** A ring as [x, y] points, not closed (the last point is not the first again). */
type Ring = [number, number][]
/** a·x + b·y ≤ c */
interface HalfPlane { a: number, b: number, c: number }

/**
 * Distances are compared in a local equirectangular frame: a degree of
 * longitude is cos(latitude) of a degree of latitude, so that the bisector
 * between two towns is where they are equally far on the ground (at Dongguan's
 * 23° N, unscaled degrees would tilt every border by several percent).
 */
function lngScale(lat: number): number {
  return Math.cos((lat * Math.PI) / 180)
}

/** Points nearer (on the ground) to `own` than to `other`. */
function nearerHalfPlane(own: Town, other: Town, k: number): HalfPlane {
  const k2 = k * k
  return {
    a: 2 * k2 * (other.lng - own.lng),
    b: 2 * (other.lat - own.lat),
    c: k2 * (other.lng ** 2 - own.lng ** 2) + (other.lat ** 2 - own.lat ** 2),
  }
}

const side = (h: HalfPlane, [x, y]: [number, number]): number => h.a * x + h.b * y - h.c

/**
 * One Sutherland–Hodgman step: the part of a ring inside a half-plane. The
 * ring may be concave; where it leaves and re-enters, the result runs along
 * the clipping line, which draws as that line (it is the border there anyway).
 */
export function clipRing(ring: Ring, h: HalfPlane): Ring {
  const out: Ring = []
  const n = ring.length
  for (let i = 0; i < n; i++) {
    const p = ring[i] as [number, number]
    const q = ring[(i + 1) % n] as [number, number]
    const sp = side(h, p)
    const sq = side(h, q)
    if (sp <= 0)
      out.push(p)
    if ((sp < 0 && sq > 0) || (sp > 0 && sq < 0)) {
      const t = sp / (sp - sq)
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])])
    }
  }
  return out
}

/** Twice the signed area in the scaled frame (positive: counter-clockwise). */
function signedArea2(ring: Ring, k: number): number {
  let sum = 0
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i] as [number, number]
    const [x2, y2] = ring[(i + 1) % ring.length] as [number, number]
    sum += k * (x1 * y2 - x2 * y1)
  }
  return sum
}

/** The convex Voronoi cell of `towns[index]` within `box` ([minX, minY, maxX, maxY]), counter-clockwise. */
export function voronoiCell(towns: readonly Town[], index: number, box: readonly [number, number, number, number], k: number): Ring {
  const own = towns[index] as Town
  const [x0, y0, x1, y1] = box
  let cell: Ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
  for (let j = 0; j < towns.length && cell.length > 0; j++) {
    const other = towns[j] as Town
    if (j !== index && (other.lng !== own.lng || other.lat !== own.lat))
      cell = clipRing(cell, nearerHalfPlane(own, other, k))
  }
  return cell
}

/** The half-planes whose intersection is a convex, counter-clockwise polygon: left of each edge. */
function edgesOf(convex: Ring): HalfPlane[] {
  const planes: HalfPlane[] = []
  for (let i = 0; i < convex.length; i++) {
    const [px, py] = convex[i] as [number, number]
    const [qx, qy] = convex[(i + 1) % convex.length] as [number, number]
    // Left of p→q: (q − p) × (x − p) ≥ 0, i.e. (py − qy)·x + (qx − px)·y ≤ …, negated to the ≤ form.
    const a = py - qy
    const b = qx - px
    planes.push({ a: -a, b: -b, c: -(a * px + b * py) })
  }
  return planes
}

/** Rings with their closing point dropped, and the outline's polygons as lists of rings (outer first). */
function polygonsOf(boundary: CityBoundary): Ring[][] {
  const polygons = boundary.geometry.type === 'Polygon' ? [boundary.geometry.coordinates] : boundary.geometry.coordinates
  return polygons.map(rings => rings.map(ring => ring.slice(0, -1).map(([x, y]) => [x, y] as [number, number])))
}

function bboxOf(polygons: readonly Ring[][]): [number, number, number, number] {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const polygon of polygons) {
    for (const [x, y] of polygon[0] ?? []) {
      x0 = Math.min(x0, x)
      y0 = Math.min(y0, y)
      x1 = Math.max(x1, x)
      y1 = Math.max(y1, y)
    }
  }
  return [x0, y0, x1, y1]
}

/** Rings too small to draw once clipped (fewer than 3 corners, or no area) are dropped. */
const MIN_AREA2 = 1e-12

/**
 * Each town's schematic area: its Voronoi cell (every point nearer to its
 * centre than to any other town's) cut out of the city outline. Towns without
 * published borders (Dongguan's) get these for the choropleth; the legend
 * says they are schematic. Polygons are in the outline's order; `null` for a
 * town whose cell misses the outline.
 */
export function voronoiTownAreas(towns: readonly Town[], boundary: CityBoundary): (Polygon | MultiPolygon | null)[] {
  const polygons = polygonsOf(boundary)
  const box = bboxOf(polygons)
  // A margin so that no cell edge runs along the outline's own extremes.
  const pad = Math.max(box[2] - box[0], box[3] - box[1])
  const padded = [box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad] as const
  const k = lngScale((box[1] + box[3]) / 2)
  return towns.map((_, i) => {
    const planes = edgesOf(voronoiCell(towns, i, padded, k))
    const parts: Position[][][] = []
    for (const rings of polygons) {
      const clipped = rings.map(ring => planes.reduce((r, h) => (r.length > 0 ? clipRing(r, h) : r), ring))
      const [outer, ...holes] = clipped
      if (!outer || outer.length < 3 || Math.abs(signedArea2(outer, k)) < MIN_AREA2)
        continue
      const kept = holes.filter(h => h.length >= 3 && Math.abs(signedArea2(h, k)) >= MIN_AREA2)
      parts.push([outer, ...kept].map(r => [...r, r[0] as [number, number]]))
    }
    if (parts.length === 0)
      return null
    return parts.length === 1
      ? { type: 'Polygon', coordinates: parts[0] as Position[][] }
      : { type: 'MultiPolygon', coordinates: parts }
  })
}

export interface TownAreaProperties {
  code: string
  name: string
}

/**
 * The towns as areas for the choropleth, feature id = the town's index in
 * `city.towns` (feature-state needs integer ids). The city's own outlines
 * where it has them (Jiangmen's districts), schematic cells otherwise.
 */
export function townAreaFeatures(city: CityModel): { areas: FeatureCollection<Polygon | MultiPolygon, TownAreaProperties>, schematic: boolean } {
  const published = new Map(city.townAreas.map(a => [a.code, a.geometry]))
  const schematic = city.towns.some(t => !published.has(t.code))
  const cells = schematic ? voronoiTownAreas(city.towns, city.boundary) : []
  const features: Feature<Polygon | MultiPolygon, TownAreaProperties>[] = []
  city.towns.forEach((town, i) => {
    const geometry = published.get(town.code) ?? cells[i]
    if (geometry)
      features.push({ type: 'Feature', id: i, geometry, properties: { code: town.code, name: town.name } })
  })
  return { areas: { type: 'FeatureCollection', features }, schematic }
}

/** A polygon's area in square degrees of latitude (longitude scaled at `lat`), holes subtracted. */
export function polygonArea(geometry: Polygon | MultiPolygon, lat: number): number {
  const k = lngScale(lat)
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  let total = 0
  for (const rings of polygons) {
    rings.forEach((ring, i) => {
      const open = ring.slice(0, -1).map(([x, y]) => [x, y] as [number, number])
      const a = Math.abs(signedArea2(open, k)) / 2
      total += i === 0 ? a : -a
    })
  }
  return total
}
