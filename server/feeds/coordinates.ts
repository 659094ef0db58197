import gcoord from 'gcoord'
import type { CRSTypes } from 'gcoord'
import type { LngLat } from '@shared/schemas/common'
import type { Crs } from './config'

/** About 1 cm: finer digits are the conversion's own noise. */
const DECIMALS = 1e7

const FROM: Record<Exclude<Crs, 'WGS84'>, CRSTypes> = {
  GCJ02: gcoord.GCJ02,
  BD09: gcoord.BD09,
}

/**
 * A position in the feed's coordinate system as WGS-84, the only system inside
 * the server. GCJ-02 and BD-09 are converted with gcoord (an iterative
 * inverse, good to about a metre); WGS-84 passes through untouched.
 */
export function toWgs84(lng: number, lat: number, crs: Crs): LngLat {
  if (crs === 'WGS84')
    return { lng, lat }
  const [x, y] = gcoord.transform<[number, number]>([lng, lat], FROM[crs], gcoord.WGS84)
  return { lng: Math.round(x * DECIMALS) / DECIMALS, lat: Math.round(y * DECIMALS) / DECIMALS }
}

function isCoordinate(value: unknown, limit: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit
}

/**
 * A GeoJSON Point ({ type: 'Point', coordinates: [lng, lat] }) as WGS-84;
 * undefined for any other geometry (a road's LineString has no single position)
 * or for coordinates that are not numbers in range.
 */
export function pointToWgs84(geometry: unknown, crs: Crs): LngLat | undefined {
  if (typeof geometry !== 'object' || geometry === null)
    return undefined
  const { type, coordinates } = geometry as { type?: unknown, coordinates?: unknown }
  if (type !== 'Point' || !Array.isArray(coordinates))
    return undefined
  const [lng, lat] = coordinates as unknown[]
  if (!isCoordinate(lng, 180) || !isCoordinate(lat, 90))
    return undefined
  return toWgs84(lng, lat, crs)
}
