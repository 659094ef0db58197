import gcoord from 'gcoord'
import type { Geometry, Position } from 'geojson'
import type { BasemapCrs } from '@shared/geo/basemap'

/** Where a WGS-84 position is drawn on the map. */
export type Project = (lng: number, lat: number) => [number, number]

const identity: Project = (lng, lat) => [lng, lat]

/** About 1 cm; finer digits only make the GeoJSON larger (MapLibre's large-data guide: ~6 decimals). */
const DECIMALS = 1e7

const toGcj02: Project = (lng, lat) => {
  const [x, y] = gcoord.transform<[number, number]>([lng, lat], gcoord.WGS84, gcoord.GCJ02)
  return [Math.round(x * DECIMALS) / DECIMALS, Math.round(y * DECIMALS) / DECIMALS]
}

/**
 * Our data is WGS-84, the only system inside the system. Over a GCJ-02
 * basemap it is shifted (≈ 300–500 m in Guangdong) so that roads lie on the
 * tiles' roads; without a basemap, or over a WGS-84 one, it is drawn as is.
 */
export function projector(crs: BasemapCrs | null): Project {
  return crs === 'gcj02' ? toGcj02 : identity
}

function projectPositions(positions: Position[], project: Project): Position[] {
  return positions.map(([lng, lat]) => project(lng as number, lat as number))
}

/** A geometry with every position projected; the input is left alone. */
export function projectGeometry<G extends Geometry>(geometry: G, project: Project): G {
  if (project === identity)
    return geometry
  switch (geometry.type) {
    case 'Point': return { ...geometry, coordinates: project(geometry.coordinates[0] as number, geometry.coordinates[1] as number) }
    case 'MultiPoint':
    case 'LineString': return { ...geometry, coordinates: projectPositions(geometry.coordinates, project) }
    case 'MultiLineString':
    case 'Polygon': return { ...geometry, coordinates: geometry.coordinates.map(p => projectPositions(p, project)) }
    case 'MultiPolygon': return { ...geometry, coordinates: geometry.coordinates.map(poly => poly.map(p => projectPositions(p, project))) }
    case 'GeometryCollection': return { ...geometry, geometries: geometry.geometries.map(g => projectGeometry(g, project)) }
  }
  return geometry
}

/** The bounding box [minLng, minLat, maxLng, maxLat] with its corners projected. */
export function projectBbox(bbox: readonly [number, number, number, number], project: Project): [number, number, number, number] {
  const [x0, y0] = project(bbox[0], bbox[1])
  const [x1, y1] = project(bbox[2], bbox[3])
  return [x0, y0, x1, y1]
}
