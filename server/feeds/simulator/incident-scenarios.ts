import type { IncidentNature } from '@shared/schemas/incidents'
import type { ScenarioKind } from '@shared/schemas/scenarios'
import type { Random } from '../random'
import { HOUR_MS, MINUTE_MS } from './china-time'
import type { CityIndex, Point, TownInfo } from './city-index'
import { distanceKm, offsetKm } from './city-index'
import type { IncidentTemplate } from './incident-templates'
import { template } from './incident-templates'
import type { ScenarioRuntime } from './scenarios'
import { scenarioLevel } from './scenarios'

/** A call a scenario causes; without a nature, the template's mix decides. */
export interface ScenarioCall {
  template: IncidentTemplate
  nature?: IncidentNature
  town: TownInfo
  location: Point
  at: number
  /** The drill the scenario is run as. */
  drillId?: string
}

/** Calls per hour at full intensity, for a city filing 6,000 a day (they scale with the city's rate). */
const RAIN_PER_TOWN_H = 8
const SMELL_PER_H = 60
const SMELL_REACH_KM = 12
const SMELL_DECAY_KM = 5
const WATER_MAIN = { base: 20, perIntensity: 40, tauMin: 40, tricklePerH: 3 }
const ACCIDENT = { base: 3, perIntensity: 5, windowMin: 30 }
const OUTAGE_PER_HALL_H = 6
const EPISODE_PER_TOWN_H = 2.5

type Mix = readonly (readonly [string, number])[]
const RAIN_MIX: Mix = [['waterlogging', 35], ['manhole', 20], ['fallen-tree', 15], ['leaking-roof', 10], ['power-cut', 10], ['traffic-light', 10]]
const SMELL_MIX: Mix = [['odour', 65], ['exhaust-gas', 35]]
const WATER_MIX: Mix = [['water-outage', 80], ['road-damage', 20]]

function near(rng: Random, p: Point, km: number): Point {
  return offsetKm(p, rng.normal() * km, rng.normal() * km)
}

function pickTemplate(rng: Random, mix: Mix): IncidentTemplate {
  return template(mix[rng.weightedIndex(mix.map(([, w]) => w))]?.[0] ?? 'waterlogging')
}

/** `count` calls spread uniformly over [a, b). */
function spread(rng: Random, count: number, a: number, b: number, make: (at: number) => ScenarioCall | undefined): ScenarioCall[] {
  const out: ScenarioCall[] = []
  for (let k = 0; k < count; k++) {
    const call = make(a + rng.next() * (b - a))
    if (call)
      out.push(call)
  }
  return out
}

interface Context {
  s: ScenarioRuntime
  level: number
  a: number
  b: number
  /** Calls scale with the city's rate: a city filing 6,000 a day gets the rates above. */
  scale: number
  index: CityIndex
  rng: Random
}

type Play = (c: Context) => ScenarioCall[]

function areaTowns(c: Context): TownInfo[] {
  return [...c.s.towns].map(code => c.index.town(code)).filter((t): t is TownInfo => t !== undefined)
}

const hoursOf = (c: Context): number => (c.b - c.a) / HOUR_MS

const PLAYS: Readonly<Record<ScenarioKind, Play>> = {
  /** Rain: 积水, 井盖, fallen trees from every town under it, bigger towns more. */
  'heavy-rain': c => areaTowns(c).flatMap((town) => {
    const n = c.rng.poisson(RAIN_PER_TOWN_H * (0.5 + town.weight) * c.level * c.scale * hoursOf(c))
    return spread(c.rng, n, c.a, c.b, at => ({ template: pickTemplate(c.rng, RAIN_MIX), town, location: near(c.rng, town, 1.2), at }))
  }),
  /** A smell: complaints from the towns around the source, fewer further off. */
  'chemical-smell': (c) => {
    const reached = c.index.towns
      .map(town => ({ town, d: distanceKm(town, c.s.location) }))
      .filter(x => x.d <= SMELL_REACH_KM || c.s.towns.has(x.town.code))
    const weights = reached.map(x => Math.exp(-x.d / SMELL_DECAY_KM))
    const n = reached.length > 0 ? c.rng.poisson(SMELL_PER_H * c.level * c.scale * hoursOf(c)) : 0
    return spread(c.rng, n, c.a, c.b, (at) => {
      const x = reached[c.rng.weightedIndex(weights)]
      if (!x)
        return undefined
      const from = c.s.towns.has(x.town.code) ? c.s.location : x.town
      return { template: pickTemplate(c.rng, SMELL_MIX), town: x.town, location: near(c.rng, from, 1), at }
    })
  },
  /** A broken main: calls pour in when the taps run dry, then tail off. */
  'water-main-break': (c) => {
    const home = c.index.nearestTown(c.s.location)
    const total = (WATER_MAIN.base + WATER_MAIN.perIntensity * c.s.intensity) * c.scale
    const tau = WATER_MAIN.tauMin * MINUTE_MS
    const burst = total * (Math.exp(-(c.a - c.s.start) / tau) - Math.exp(-(c.b - c.s.start) / tau))
    const n = c.rng.poisson(burst + WATER_MAIN.tricklePerH * c.level * c.scale * hoursOf(c))
    return home ? spread(c.rng, n, c.a, c.b, at => ({ template: pickTemplate(c.rng, WATER_MIX), town: home, location: near(c.rng, c.s.location, 0.35), at })) : []
  },
  /** An accident: a few calls in its first half hour. */
  'traffic-accident': (c) => {
    const home = c.index.nearestTown(c.s.location)
    const windowMs = ACCIDENT.windowMin * MINUTE_MS
    const overlap = Math.max(0, Math.min(c.b, c.s.start + windowMs) - c.a)
    const n = c.rng.poisson((ACCIDENT.base + ACCIDENT.perIntensity * c.s.intensity) * Math.min(1, c.scale) * (overlap / windowMs))
    return home ? spread(c.rng, n, c.a, c.a + overlap, at => ({ template: template('accident'), town: home, location: near(c.rng, c.s.location, 0.2), at })) : []
  },
  /** A hall down: its waiting visitors complain. */
  'hall-outage': c => c.s.hallSites.flatMap((site) => {
    const town = c.index.town(site.townCode)
    const n = c.rng.poisson(OUTAGE_PER_HALL_H * c.level * Math.min(1, c.scale) * hoursOf(c))
    return town ? spread(c.rng, n, c.a, c.b, at => ({ template: template('hall-queue'), nature: 'complaint' as const, town, location: near(c.rng, site, 0.1), at })) : []
  }),
  /** A feed going silent is the data platform's trouble, not the citizens'. */
  'feed-outage': () => [],
  /** Haze: questions and complaints about the air. */
  'air-episode': c => areaTowns(c).flatMap((town) => {
    const n = c.rng.poisson(EPISODE_PER_TOWN_H * c.level * c.scale * hoursOf(c))
    return spread(c.rng, n, c.a, c.b, at => ({ template: template('air-quality'), town, location: near(c.rng, town, 1.2), at }))
  }),
}

/**
 * The 12345 calls the scenarios under way cause over [a, b): rain brings
 * 积水 and 井盖 calls from its towns, a smell brings complaints from around
 * its source, a broken main a front-loaded burst of 停水 calls, and so on.
 */
export function scenarioCalls(active: readonly ScenarioRuntime[], a: number, b: number, perDay: number, index: CityIndex, rng: Random): ScenarioCall[] {
  return active.flatMap((s) => {
    const level = scenarioLevel(s, a)
    if (level <= 0)
      return []
    const calls = PLAYS[s.kind]({ s, level, a, b, scale: perDay / 6000, index, rng })
    const drillId = s.info.drillId
    return drillId === undefined ? calls : calls.map(call => ({ ...call, drillId }))
  })
}
