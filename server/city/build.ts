import type { CityModel, Town, TownArea } from '@shared/schemas/city'
import { airStationsForTowns } from './air-stations'
import { boundaryBbox, loadCityBoundary } from './boundary'
import { cityDepartments, incidentRouting } from './departments'
import { loadDistricts } from './districts'
import { createInsideTest } from './geometry'
import type { Position } from './geometry'
import { serviceHalls } from './halls'
import type { CityProfile } from './profile'
import { generateRoads } from './roads'
import { dongguanTownList, shortTownName } from './towns'

const RAD = Math.PI / 180

/** The whole city model from a profile: outline, towns, stations, roads, halls, departments, routing. */
export function buildCity(profile: CityProfile): CityModel {
  const boundary = loadCityBoundary(profile.boundaryFile, profile.name, profile.boundarySimplifyDeg)
  const bbox = boundaryBbox(boundary)
  const { towns, townAreas } = loadTowns(profile)
  const inside = createInsideTest(boundary.geometry)
  const townAt = townLocator(towns, townAreas)
  const majorTowns = new Set(profile.majorTowns)
  const airStations = airStationsForTowns(towns, `${profile.idPrefix}-AQ`, profile.air)
  const roads = generateRoads(profile.roads, {
    prefix: profile.idPrefix,
    towns: towns.map(t => ({
      code: t.code,
      short: shortTownName(t.name),
      key: t.pinyin.replace(/\W/g, '').toUpperCase(),
      centre: [t.lng, t.lat],
      major: majorTowns.has(t.code),
    })),
    inside,
    townAt,
  })
  const halls = serviceHalls(profile.halls, { idPrefix: profile.idPrefix, towns, majorTowns, airStations, inside, townAt })
  return {
    id: profile.id,
    name: profile.name,
    nameEn: profile.nameEn,
    adcode: profile.adcode,
    bbox,
    center: profile.center ?? [round3((bbox[0] + bbox[2]) / 2), round3((bbox[1] + bbox[3]) / 2)],
    boundary,
    towns,
    townAreas,
    airStations,
    roads,
    halls,
    departments: cityDepartments(profile, towns),
    routing: incidentRouting(profile),
    attribution: profile.attribution,
  }
}

function loadTowns(profile: CityProfile): { towns: Town[], townAreas: TownArea[] } {
  switch (profile.towns.source) {
    case 'table':
      return { towns: dongguanTownList(), townAreas: [] }
    case 'districts':
      return loadDistricts(profile.towns.file, profile.towns.pinyin)
  }
}

/**
 * Which town a point belongs to: the town whose outline holds it where the
 * city has outlines, else (and outside every outline) the nearest centre.
 */
export function townLocator(towns: readonly Town[], areas: readonly TownArea[]): (p: Position) => number {
  const outlines = areas.map(a => ({ index: towns.findIndex(t => t.code === a.code), inside: createInsideTest(a.geometry) }))
  const centres = towns.map(t => ({ lat: t.lat * RAD, lng: t.lng * RAD, cosLat: Math.cos(t.lat * RAD) }))
  return (p) => {
    const holder = outlines.find(o => o.index >= 0 && o.inside(p))
    if (holder)
      return holder.index
    // The haversine term alone orders distances exactly; it is called for every street node and segment.
    const [lng, lat] = [p[0] * RAD, p[1] * RAD]
    const cosLat = Math.cos(lat)
    let best = 0
    let bestH = Infinity
    centres.forEach((c, i) => {
      const h = Math.sin((c.lat - lat) / 2) ** 2 + cosLat * c.cosLat * Math.sin((c.lng - lng) / 2) ** 2
      if (h < bestH) {
        best = i
        bestH = h
      }
    })
    return best
  }
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000
}
