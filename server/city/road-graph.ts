import { segmentsCross, toLocalKm } from './geometry'
import type { Position } from './geometry'

export type Edge = [number, number]

/** Joining links may be this many times the longest greedy link; further apart is out of reach (an island). */
const JOIN_REACH = 2

export interface NeighbourOptions {
  maxEdgeKm: number
  /** Two roads leaving a centre this close in bearing would draw as one. */
  minAngleDeg: number
  /** An edge passing this close to a third centre should go through it instead. */
  clearanceKm: number
  /** Whether a road can be drawn between two centres (it stays inside the city). */
  drawable: (i: number, j: number) => boolean
  /** Greedy links that must also pass the Gabriel test (sparser, like country roads); none when omitted. */
  sparse?: (i: number, j: number) => boolean
  /** The first `required` points must all be linked; the others (satellites on islands) may stay apart. */
  required: number
}

/** Points on a local plane in km: the graph is decided with plain arithmetic, no trigonometry per test. */
type Plane = readonly Position[]

/**
 * Links town centres into a planar, connected neighbour graph: the greedy
 * shortest-first triangulation (close to Delaunay for spread-out points),
 * pruned of long, needle-thin and town-grazing links, with `forced` edges
 * (named roads) taken first. If the pruning leaves the graph in pieces, the
 * shortest drawable links join them to the piece of point 0 (crossing an edge
 * only as a last resort); points that cannot be reached within twice the
 * longest link are left without edges, unless they are required.
 */
export function neighbourGraph(points: readonly Position[], forced: readonly Edge[], opts: NeighbourOptions): Edge[] {
  const origin: Position = points[0] ?? [0, 0]
  const plane: Plane = points.map(p => toLocalKm(origin, p))
  const edges: Edge[] = []
  const taken = new Set<string>()
  const add = ([i, j]: Edge): void => {
    edges.push([i, j])
    taken.add(pairKey(i, j))
  }
  for (const [i, j] of forced) {
    if (i !== j && !taken.has(pairKey(i, j)) && opts.drawable(i, j))
      add([i, j])
  }
  const minAngle = (opts.minAngleDeg * Math.PI) / 180
  const pairs = pairsByLength(plane)
  for (const { edge: [i, j], km } of pairs) {
    if (km > opts.maxEdgeKm)
      break
    if (taken.has(pairKey(i, j)) || grazesPoint(plane, i, j, opts.clearanceKm) || tooNarrow(plane, edges, i, j, minAngle))
      continue
    if (opts.sparse?.(i, j) && !gabriel(plane, i, j))
      continue
    if (!crossesAny(plane, edges, i, j) && opts.drawable(i, j))
      add([i, j])
  }
  joinComponents(plane, edges, pairs.filter(p => p.km <= JOIN_REACH * opts.maxEdgeKm).map(p => p.edge), opts)
  return edges
}

function pairKey(i: number, j: number): string {
  return i < j ? `${i}-${j}` : `${j}-${i}`
}

function dist(a: Position, b: Position): number {
  return Math.sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2)
}

function pairsByLength(plane: Plane): { edge: Edge, km: number }[] {
  const pairs: { edge: Edge, km: number }[] = []
  for (let i = 0; i < plane.length; i++) {
    for (let j = i + 1; j < plane.length; j++)
      pairs.push({ edge: [i, j], km: dist(plane[i]!, plane[j]!) })
  }
  return pairs.sort((x, y) => x.km - y.km || x.edge[0] - y.edge[0] || x.edge[1] - y.edge[1])
}

/** The Gabriel test: no third point lies in the circle whose diameter is the link. */
function gabriel(plane: Plane, i: number, j: number): boolean {
  const d2 = dist(plane[i]!, plane[j]!) ** 2
  return !plane.some((p, k) => k !== i && k !== j && dist(p, plane[i]!) ** 2 + dist(p, plane[j]!) ** 2 < d2)
}

function grazesPoint(plane: Plane, i: number, j: number, clearanceKm: number): boolean {
  const [a, b] = [plane[i]!, plane[j]!]
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]]
  const len2 = dx * dx + dy * dy
  return plane.some((p, k) => {
    if (k === i || k === j)
      return false
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2))
    return dist(p, [a[0] + t * dx, a[1] + t * dy]) < clearanceKm
  })
}

function bearing(from: Position, to: Position): number {
  return Math.atan2(to[1] - from[1], to[0] - from[0])
}

function tooNarrow(plane: Plane, edges: readonly Edge[], i: number, j: number, minAngle: number): boolean {
  for (const [end, other] of [[i, j], [j, i]] as const) {
    const b = bearing(plane[end]!, plane[other]!)
    for (const [a, c] of edges) {
      const neighbour = a === end ? c : c === end ? a : -1
      if (neighbour < 0)
        continue
      let diff = Math.abs(b - bearing(plane[end]!, plane[neighbour]!))
      diff = Math.min(diff, 2 * Math.PI - diff)
      if (diff < minAngle)
        return true
    }
  }
  return false
}

function crossesAny(plane: Plane, edges: readonly Edge[], i: number, j: number): boolean {
  return edges.some(([a, b]) => a !== i && a !== j && b !== i && b !== j
    && segmentsCross(plane[i]!, plane[j]!, plane[a]!, plane[b]!))
}

function joinComponents(plane: Plane, edges: Edge[], pairs: readonly Edge[], opts: NeighbourOptions): void {
  for (;;) {
    const component = components(plane.length, edges)
    const main = component[0]
    const across = pairs.filter(([i, j]) => (component[i] === main) !== (component[j] === main))
    const link = across.find(([i, j]) => !crossesAny(plane, edges, i, j) && opts.drawable(i, j))
      ?? across.find(([i, j]) => opts.drawable(i, j))
    if (link) {
      edges.push(link)
      continue
    }
    const stranded = component.findIndex((c, i) => c !== main && i < opts.required)
    if (stranded >= 0)
      throw new Error(`node ${stranded} cannot be linked by a road inside the city`)
    return
  }
}

/** The component number of each node. */
export function components(count: number, edges: readonly Edge[]): number[] {
  const parent = Array.from({ length: count }, (_, i) => i)
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!
      x = parent[x]!
    }
    return x
  }
  for (const [a, b] of edges)
    parent[find(a)] = find(b)
  return parent.map((_, i) => find(i))
}
