import { offsetKm, round5 } from './geometry'
import type { Position } from './geometry'
import { hashInt, hashSigned, hashUnit } from './hash'
import type { RoadProfile } from './profile'
import { insidePath, splitPath } from './road-shape'
import { FREE_FLOW_KMH, MAX_SEGMENT_KM } from './road-types'
import type { Hub, PlannedRoad, RoadContext } from './road-types'

/** Common street-name words; a town's streets take distinct ones. 40 words, so a stride of 7 visits all. */
const STREET_WORDS = [
  '人民', '建设', '振兴', '新城', '环城', '工业', '文化', '创业', '富民', '育才',
  '兴业', '迎宾', '金龙', '银湖', '沿河', '健康', '和平', '学院', '科技', '长青',
  '花园', '体育', '商业', '站前', '新华', '解放', '中山', '东风', '友谊', '民生',
  '聚福', '锦绣', '华阳', '明珠', '阳光', '翠园', '榕树', '荔枝', '凤凰', '福民',
]
const WORD_STRIDE = 7
const STREET_AMPLITUDE = 0.04
const STREET_SPACING_KM = 0.4

/**
 * The streets around each hub: a slightly irregular, rotated lattice whose
 * middle node is the hub itself, so the lattice meets the arterials there.
 * Nodes outside the city or in another town are left out, and so are streets
 * cut off from the middle. The middle row and column (and in big lattices two
 * more) are secondary roads (次干路), the rest branch roads (支路); each
 * lattice edge is one segment, intersection to intersection.
 */
export function latticeRoads(profile: RoadProfile, ctx: RoadContext, hubs: readonly Hub[]): PlannedRoad[] {
  const namers = new Map<number, StreetNamer>()
  return hubs.flatMap((hub) => {
    if (!namers.has(hub.town))
      namers.set(hub.town, streetNamer(ctx.towns[hub.town]!.short, ctx.towns[hub.town]!.key))
    return hubLattice(hub, profile.latticeSpacingKm, ctx, namers.get(hub.town)!)
  })
}

type StreetNamer = (secondary: boolean) => string
const ORDINALS = ['', '二', '三', '四', '五', '六', '七', '八', '九']

/**
 * Distinct street names within a town: 虎门振兴路, 虎门人民大道 …; once the
 * words run out (a district with many satellites), 台山振兴二路 and so on.
 */
function streetNamer(short: string, seed: string): StreetNamer {
  const first = hashInt(seed, 0, STREET_WORDS.length - 1)
  let count = 0
  return (secondary) => {
    const word = STREET_WORDS[(first + WORD_STRIDE * count) % STREET_WORDS.length]!
    const ordinal = ORDINALS[Math.floor(count / STREET_WORDS.length)]
    count++
    if (ordinal === undefined)
      throw new Error(`${short} has more streets than names`)
    return ordinal === '' ? `${short}${word}${secondary ? '大道' : '路'}` : `${short}${word}${ordinal}路`
  }
}

function hubLattice(hub: Hub, baseSpacingKm: number, ctx: RoadContext, nameStreet: StreetNamer): PlannedRoad[] {
  const { rings, town: index } = hub
  const spacing = baseSpacingKm * (0.9 + 0.2 * hashUnit(`${hub.key}:spacing`))
  const rotation = hashUnit(`${hub.key}:rotation`) * (Math.PI / 2)
  const nodes = new Map<string, Position | null>()
  const node = (i: number, j: number): Position | null => {
    const key = `${i},${j}`
    if (!nodes.has(key))
      nodes.set(key, latticeNode(i, j))
    return nodes.get(key)!
  }
  const latticeNode = (i: number, j: number): Position | null => {
    if (i === 0 && j === 0)
      return hub.centre
    if (i * i + j * j > (rings + 0.5) ** 2)
      return null
    const u = i * spacing + 0.12 * spacing * hashSigned(`${hub.key}:${i},${j}:u`)
    const v = j * spacing + 0.12 * spacing * hashSigned(`${hub.key}:${i},${j}:v`)
    const p = round5(offsetKm(hub.centre, u * Math.cos(rotation) - v * Math.sin(rotation), u * Math.sin(rotation) + v * Math.cos(rotation)))
    return ctx.inside(p) && ctx.townAt(p) === index ? p : null
  }
  const edges = reachableEdges(rings, node, (a, b, seed) => insidePath(a, b, `${ctx.prefix}:${hub.key}:${seed}`, STREET_AMPLITUDE, STREET_SPACING_KM, ctx.inside))
  return latticeStreets(hub, edges, nameStreet)
}

/** The lattice's rows (R) and columns (C) as streets, each edge one segment. */
function latticeStreets(hub: Hub, edges: ReadonlyMap<string, Position[]>, nameStreet: StreetNamer): PlannedRoad[] {
  const { rings } = hub
  const roads: PlannedRoad[] = []
  for (const axis of ['R', 'C'] as const) {
    for (let line = -rings; line <= rings; line++) {
      const pieces: Position[][] = []
      for (let step = -rings; step < rings; step++) {
        const path = edges.get(axis === 'R' ? edgeKey(step, line, step + 1, line) : edgeKey(line, step, line, step + 1))
        if (path)
          pieces.push(...splitPath(path, MAX_SEGMENT_KM.branch))
      }
      if (pieces.length === 0)
        continue
      const secondary = line === 0 || (rings >= 3 && Math.abs(line) === 2)
      roads.push({
        code: `${hub.key}-${axis}${line + rings}`,
        name: nameStreet(secondary),
        roadClass: secondary ? 'secondary' : 'branch',
        freeFlowKmh: secondary ? FREE_FLOW_KMH.secondary : FREE_FLOW_KMH.branch,
        pieces,
      })
    }
  }
  return roads
}

function edgeKey(i1: number, j1: number, i2: number, j2: number): string {
  return `${i1},${j1}>${i2},${j2}`
}

/** The lattice edges that can be drawn and are connected to the centre node (breadth-first from it). */
function reachableEdges(
  rings: number,
  node: (i: number, j: number) => Position | null,
  draw: (a: Position, b: Position, seed: string) => Position[] | null,
): Map<string, Position[]> {
  const edges = new Map<string, Position[]>()
  const seen = new Set(['0,0'])
  const queue: [number, number][] = [[0, 0]]
  while (queue.length > 0) {
    const [i, j] = queue.shift()!
    for (const [di, dj] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
      const [ni, nj] = [i + di, j + dj]
      if (Math.abs(ni) > rings || Math.abs(nj) > rings)
        continue
      const [lo, hi] = di + dj > 0 ? [[i, j], [ni, nj]] : [[ni, nj], [i, j]]
      const key = edgeKey(lo[0]!, lo[1]!, hi[0]!, hi[1]!)
      if (edges.has(key))
        continue
      const a = node(lo[0]!, lo[1]!)
      const b = node(hi[0]!, hi[1]!)
      const path = a && b ? draw(a, b, key) : null
      if (!path)
        continue
      edges.set(key, path)
      if (!seen.has(`${ni},${nj}`)) {
        seen.add(`${ni},${nj}`)
        queue.push([ni, nj])
      }
    }
  }
  return edges
}
