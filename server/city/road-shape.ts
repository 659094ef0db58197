import { distanceKm, lerp, offsetKm, pathLengthKm, round5, toLocalKm } from './geometry'
import type { Position } from './geometry'
import { hashSigned } from './hash'

export type Inside = (p: Position) => boolean

/**
 * A gently curving line from a to b: a sideways bow plus a smaller S-bend,
 * both keyed by `seed`, so no road is ruler-straight yet every run draws
 * the same road. `amplitude` is the largest offset as a share of the length.
 * Vertices come about every `spacingKm`; the ends are exactly a and b, so
 * roads that meet share a vertex.
 */
export function curvedPath(a: Position, b: Position, seed: string, amplitude: number, spacingKm: number): Position[] {
  const lengthKm = distanceKm(a, b)
  const steps = Math.max(2, Math.ceil(lengthKm / spacingKm))
  const [dx, dy] = toLocalKm(a, b)
  const norm = Math.hypot(dx, dy) || 1
  const [nx, ny] = [-dy / norm, dx / norm]
  const bow = hashSigned(`${seed}:bow`) * amplitude * lengthKm
  const wiggle = hashSigned(`${seed}:s`) * 0.35 * amplitude * lengthKm
  const path: Position[] = [round5(a)]
  for (let i = 1; i < steps; i++) {
    const t = i / steps
    const side = bow * Math.sin(Math.PI * t) + wiggle * Math.sin(2 * Math.PI * t)
    path.push(round5(offsetKm(lerp(a, b, t), nx * side, ny * side)))
  }
  path.push(round5(b))
  return path
}

/**
 * Splits a path into consecutive pieces of at most `maxKm` (GB/T 33171 §5.5)
 * that share their end vertices, of about equal length, cutting at vertices.
 */
export function splitPath(path: readonly Position[], maxKm: number): Position[][] {
  const cumulative = [0]
  for (let i = 1; i < path.length; i++)
    cumulative.push(cumulative[i - 1]! + distanceKm(path[i - 1]!, path[i]!))
  const total = cumulative[cumulative.length - 1]!
  for (let pieces = Math.max(1, Math.ceil(total / (maxKm * 0.95))); pieces < path.length; pieces++) {
    const cuts = [0]
    for (let k = 1; k < pieces; k++)
      cuts.push(nearestIndex(cumulative, (total * k) / pieces, cuts[k - 1]! + 1, path.length - 1 - (pieces - k)))
    cuts.push(path.length - 1)
    const split = cuts.slice(1).map((end, k) => path.slice(cuts[k], end + 1))
    if (split.every(piece => piece.length >= 2 && pathLengthKm(piece) <= maxKm))
      return split
  }
  throw new Error(`cannot split a ${total.toFixed(2)} km path into pieces of ≤ ${maxKm} km at its vertices`)
}

function nearestIndex(cumulative: readonly number[], target: number, from: number, to: number): number {
  let best = from
  for (let i = from; i <= to; i++) {
    if (Math.abs(cumulative[i]! - target) < Math.abs(cumulative[best]! - target))
      best = i
  }
  return best
}

/**
 * The point nearest `p` on the line from `anchor` (inside) towards `p` that
 * is still inside: how a road that would run into the sea is kept ashore.
 */
export function pullInside(p: Position, anchor: Position, inside: Inside): Position {
  const rounded = round5(p)
  if (inside(rounded))
    return rounded
  let lo = 0
  let hi = 1
  for (let i = 0; i < 24; i++) {
    const mid = (lo + hi) / 2
    if (inside(round5(lerp(anchor, p, mid))))
      lo = mid
    else
      hi = mid
  }
  return round5(lerp(anchor, p, lo))
}

/** A curved path if it stays inside, else the straight one, else nothing. */
export function insidePath(a: Position, b: Position, seed: string, amplitude: number, spacingKm: number, inside: Inside): Position[] | null {
  for (const amp of [amplitude, 0]) {
    const path = curvedPath(a, b, seed, amp, spacingKm)
    if (path.every(inside))
      return path
  }
  return null
}
