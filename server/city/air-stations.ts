import type { AirStation } from '@shared/schemas/air'
import type { Town } from '@shared/schemas/city'
import { shortTownName } from './towns'

/** The urban core and Songshan Lake host the national (国控) stations. */
const NATIONAL = new Set(['441900006', '441900004', '441900003', '441900005', '441900401'])
/** The largest towns host provincial (省控) stations. */
const PROVINCIAL = new Set(['441900121', '441900119', '441900110', '441900116'])

/**
 * One monitoring station per town, set a little off the town centre (about
 * 1 km, in a direction fixed by the town code) so that station and town
 * markers do not sit on top of each other.
 */
export function airStationsForTowns(towns: readonly Town[], idPrefix: string): AirStation[] {
  return towns.map((town) => {
    const angle = (Number(town.code.slice(-3)) * 137.5 * Math.PI) / 180
    const kind = NATIONAL.has(town.code) ? 'national' : PROVINCIAL.has(town.code) ? 'provincial' : 'town'
    return {
      id: `${idPrefix}-${town.pinyin.replace(/\W/g, '').toUpperCase()}`,
      name: `${shortTownName(town.name)}站`,
      townCode: town.code,
      kind,
      lng: Math.round((town.lng + 0.01 * Math.cos(angle)) * 1e5) / 1e5,
      lat: Math.round((town.lat + 0.008 * Math.sin(angle)) * 1e5) / 1e5,
    }
  })
}
