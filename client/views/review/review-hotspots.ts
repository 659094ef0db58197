import type { HotlineReview } from '@shared/schemas/review'
import type { LocatorFrame } from '@client/views/dispatch/locator'

export type Hotspot = HotlineReview['hotspots'][number]

export interface PlacedHotspot extends Hotspot {
  x: number
  y: number
  /** Radius in the SVG's units: the area grows with the count, so a cell of 40 does not look ten times one of 4. */
  r: number
}

const MIN_R = 4
const MAX_R = 18

/** Hotspots placed on the city's frame, circles sized by area, the largest drawn first so the small stay clickable on top. */
export function placeHotspots(hotspots: readonly Hotspot[], frame: LocatorFrame): PlacedHotspot[] {
  const most = Math.max(1, ...hotspots.map(h => h.count))
  return hotspots
    .map(h => ({ ...h, ...frame.project(h), r: MIN_R + (MAX_R - MIN_R) * Math.sqrt(h.count / most) }))
    .sort((a, b) => b.r - a.r)
}
