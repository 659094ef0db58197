import type { CityModel } from '@shared/schemas/city'

export interface Point { lng: number, lat: number }

const KM_PER_DEG_LAT = 111.2

/** Distance in km, flat-earth: fine at city scale. */
export function distanceKm(a: Point, b: Point): number {
  const kmPerDegLng = KM_PER_DEG_LAT * Math.cos((((a.lat + b.lat) / 2) * Math.PI) / 180)
  return Math.hypot((a.lng - b.lng) * kmPerDegLng, (a.lat - b.lat) * KM_PER_DEG_LAT)
}

/** A point moved by (east, north) km, rounded to about a metre. */
export function offsetKm(p: Point, eastKm: number, northKm: number): Point {
  const kmPerDegLng = KM_PER_DEG_LAT * Math.cos((p.lat * Math.PI) / 180)
  return {
    lng: Math.round((p.lng + eastKm / kmPerDegLng) * 1e5) / 1e5,
    lat: Math.round((p.lat + northKm / KM_PER_DEG_LAT) * 1e5) / 1e5,
  }
}

/**
 * Relative size of Dongguan's towns (resident population, about 10⁴, after
 * the 2020 census as we recall it; approximate [U], used only as weights: big
 * towns file more 12345 calls, have busier halls and denser traffic).
 */
const DONGGUAN_TOWN_SIZE: Readonly<Record<string, number>> = {
  441900006: 16, 441900004: 34, 441900003: 61, 441900005: 28, 441900101: 27, 441900102: 14,
  441900103: 22, 441900104: 19, 441900105: 19, 441900106: 24, 441900107: 24, 441900108: 15,
  441900109: 19, 441900110: 61, 441900111: 55, 441900112: 16, 441900113: 50, 441900114: 38,
  441900115: 42, 441900116: 62, 441900117: 50, 441900118: 35, 441900119: 75, 441900121: 69,
  441900122: 52, 441900123: 18, 441900124: 17, 441900125: 7, 441900126: 14, 441900127: 10,
  441900128: 17, 441900129: 25, 441900401: 29,
}

export interface TownInfo extends Point {
  code: string
  /** 沙田镇 */
  name: string
  /** 沙田: the name operators and callers use. */
  short: string
  pinyin: string
  /** Relative size, the largest town is 1. */
  weight: number
}

/** 莞城街道 → 莞城, 石龙镇 → 石龙. */
export function shortName(name: string): string {
  return name.replace(/(?:街道|镇)$/, '')
}

/**
 * Sizes: the known table when it covers every town, else road kilometres per
 * town (a proxy for how built-up a town is), else equal.
 */
function townSizes(city: CityModel): Map<string, number> {
  const sizes = new Map<string, number>()
  if (city.towns.length > 0 && city.towns.every(t => DONGGUAN_TOWN_SIZE[t.code] !== undefined)) {
    for (const t of city.towns) sizes.set(t.code, DONGGUAN_TOWN_SIZE[t.code] ?? 1)
    return sizes
  }
  for (const t of city.towns) sizes.set(t.code, 1)
  for (const r of city.roads) sizes.set(r.townCode, (sizes.get(r.townCode) ?? 1) + r.lengthKm)
  return sizes
}

/** The city's towns with their sizes and the lookups every domain needs. */
export class CityIndex {
  readonly towns: readonly TownInfo[]
  private readonly byCode: ReadonlyMap<string, TownInfo>
  private readonly roadNames = new Map<string, string[]>()

  constructor(readonly city: CityModel) {
    const sizes = townSizes(city)
    const max = Math.max(1e-9, ...sizes.values())
    this.towns = city.towns.map(t => ({
      code: t.code,
      name: t.name,
      short: shortName(t.name),
      pinyin: t.pinyin,
      lng: t.lng,
      lat: t.lat,
      weight: (sizes.get(t.code) ?? 1) / max,
    }))
    this.byCode = new Map(this.towns.map(t => [t.code, t]))
    for (const r of city.roads) {
      const names = this.roadNames.get(r.townCode) ?? []
      if (!names.includes(r.name))
        names.push(r.name)
      this.roadNames.set(r.townCode, names)
    }
  }

  town(code: string): TownInfo | undefined {
    return this.byCode.get(code)
  }

  /** Named roads of a town, for addresses; empty when the city model has none there. */
  roadsOf(code: string): readonly string[] {
    return this.roadNames.get(code) ?? []
  }

  nearestTown(p: Point): TownInfo | undefined {
    let best: TownInfo | undefined
    let bestKm = Infinity
    for (const t of this.towns) {
      const d = distanceKm(p, t)
      if (d < bestKm) {
        bestKm = d
        best = t
      }
    }
    return best
  }

  /** The mean position of some towns (the epicentre of a scenario over them). */
  centroid(codes: readonly string[]): Point {
    const towns = codes.map(c => this.byCode.get(c)).filter((t): t is TownInfo => t !== undefined)
    if (towns.length === 0)
      return { lng: this.city.center[0], lat: this.city.center[1] }
    return {
      lng: towns.reduce((s, t) => s + t.lng, 0) / towns.length,
      lat: towns.reduce((s, t) => s + t.lat, 0) / towns.length,
    }
  }
}
