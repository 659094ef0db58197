import type { CityBoundary } from '@shared/schemas/city'

/**
 * The order's place in the city, drawn small beside its detail: the city
 * outline, the towns, the order and the similar ones near it, in one SVG
 * (no map engine, no tiles). Equirectangular, with longitude shrunk by the
 * cosine of the city's latitude so the city keeps its shape.
 */
export interface LocatorFrame {
  width: number
  height: number
  /** SVG path of the outline. */
  outline: string
  project: (p: { lng: number, lat: number }) => { x: number, y: number }
}

export function locatorFrame(boundary: CityBoundary, width: number, pad = 6): LocatorFrame {
  const polygons = boundary.geometry.type === 'Polygon' ? [boundary.geometry.coordinates] : boundary.geometry.coordinates
  const points = polygons.flat(2)
  const lngs = points.map(p => p[0])
  const lats = points.map(p => p[1])
  const [minLng, maxLng, minLat, maxLat] = [Math.min(...lngs), Math.max(...lngs), Math.min(...lats), Math.max(...lats)]
  const shrink = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180)
  const scale = (width - 2 * pad) / ((maxLng - minLng) * shrink)
  const height = Math.round((maxLat - minLat) * scale + 2 * pad)
  const project = (p: { lng: number, lat: number }) => ({ x: pad + (p.lng - minLng) * shrink * scale, y: pad + (maxLat - p.lat) * scale })
  const outline = polygons.map(rings => rings.map(ring => `M${ring.map(([lng, lat]) => {
    const { x, y } = project({ lng: lng, lat: lat })
    return `${x.toFixed(1)},${y.toFixed(1)}`
  }).join('L')}Z`).join('')).join('')
  return { width, height, outline, project }
}
