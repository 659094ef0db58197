import { distanceKm, offsetKm, round5 } from './geometry'
import type { Position } from './geometry'
import { hashSigned } from './hash'
import type { RoadProfile } from './profile'
import type { Hub, RoadContext } from './road-types'

const SATELLITE_RINGS = 1
/** Satellites keep this share of the spacing away from every town centre. */
const SATELLITE_CLEARANCE = 0.7

/**
 * The places roads link: every town centre, then the satellites. Satellites
 * sit on a jittered hexagonal grid over the city, each inside the city and
 * inside the area of the town it belongs to, so a district the size of a
 * county (台山, 恩平) gets roads across it and not only around its seat.
 */
export function roadHubs(profile: RoadProfile, ctx: RoadContext): Hub[] {
  const hubs: Hub[] = ctx.towns.map((t, i) => ({
    key: t.key,
    short: t.short,
    centre: t.centre,
    town: i,
    satellite: false,
    rings: t.major ? profile.majorLatticeRings : profile.latticeRings,
  }))
  const spacing = profile.satelliteSpacingKm
  if (spacing === undefined)
    return hubs
  const counts = new Map<number, number>()
  for (const p of hexGrid(ctx, spacing)) {
    if (!ctx.inside(p) || hubs.some(h => distanceKm(h.centre, p) < SATELLITE_CLEARANCE * spacing))
      continue
    const town = ctx.townAt(p)
    const n = (counts.get(town) ?? 0) + 1
    counts.set(town, n)
    hubs.push({ key: `${ctx.towns[town]!.key}-S${n}`, short: ctx.towns[town]!.short, centre: p, town, satellite: true, rings: SATELLITE_RINGS })
  }
  return hubs
}

/** Grid points over the box of the town centres widened by one spacing, jittered by a third of the spacing. */
function hexGrid(ctx: RoadContext, spacingKm: number): Position[] {
  const lngs = ctx.towns.map(t => t.centre[0])
  const lats = ctx.towns.map(t => t.centre[1])
  const [west, south] = offsetKm([Math.min(...lngs), Math.min(...lats)], -3 * spacingKm, -3 * spacingKm)
  const [east, north] = offsetKm([Math.max(...lngs), Math.max(...lats)], 3 * spacingKm, 3 * spacingKm)
  const points: Position[] = []
  const rowKm = spacingKm * Math.sqrt(3) / 2
  for (let row = 0; ; row++) {
    const rowStart = offsetKm([west, south], 0, row * rowKm)
    if (rowStart[1] > north)
      break
    for (let col = 0; ; col++) {
      const base = offsetKm(rowStart, (col + (row % 2) / 2) * spacingKm, 0)
      if (base[0] > east)
        break
      const key = `hub:${row},${col}`
      points.push(round5(offsetKm(base, 0.33 * spacingKm * hashSigned(`${key}:x`), 0.33 * spacingKm * hashSigned(`${key}:y`))))
    }
  }
  return points
}
