import type { AirStation } from '@shared/schemas/air'
import type { Town } from '@shared/schemas/city'
import { offsetKm, round5 } from './geometry'
import type { AirProfile } from './profile'
import { shortTownName } from './towns'

/**
 * One monitoring station per town, set a little off the town centre (about
 * 1 km, in a direction fixed by the town code) so that station and town
 * markers do not sit on top of each other. The profile says which towns host
 * the national (国控) and provincial (省控) stations, and adds any further
 * stations by their offset from a town centre.
 */
export function airStationsForTowns(towns: readonly Town[], idPrefix: string, profile: AirProfile): AirStation[] {
  const national = new Set(profile.national)
  const provincial = new Set(profile.provincial)
  const perTown = towns.map((town): AirStation => {
    const angle = (Number(town.code.slice(-3)) * 137.5 * Math.PI) / 180
    const kind = national.has(town.code) ? 'national' : provincial.has(town.code) ? 'provincial' : 'town'
    return {
      id: `${idPrefix}-${town.pinyin.replace(/\W/g, '').toUpperCase()}`,
      name: `${shortTownName(town.name)}站`,
      townCode: town.code,
      kind,
      lng: Math.round((town.lng + 0.01 * Math.cos(angle)) * 1e5) / 1e5,
      lat: Math.round((town.lat + 0.008 * Math.sin(angle)) * 1e5) / 1e5,
    }
  })
  const extra = profile.extra.map((s): AirStation => {
    const town = towns.find(t => t.code === s.townCode)
    if (!town)
      throw new Error(`the station ${s.name} is in an unknown town ${s.townCode}`)
    const [lng, lat] = round5(offsetKm([town.lng, town.lat], s.offsetKm[0], s.offsetKm[1]))
    return { id: `${idPrefix}-${s.key}`, name: s.name, townCode: s.townCode, kind: s.kind, lng, lat }
  })
  return [...perTown, ...extra]
}
