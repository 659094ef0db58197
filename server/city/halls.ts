import type { AirStation } from '@shared/schemas/air'
import type { ServiceHall, Town } from '@shared/schemas/city'
import { distanceKm, offsetKm, round5, toLocalKm } from './geometry'
import type { Position } from './geometry'
import { hashInt } from './hash'
import type { HallProfile } from './profile'
import type { Inside } from './road-shape'

/** What a city hall offers: everything, including the matters only the city handles. */
export const CITY_HALL_BUSINESS = [
  '社保', '医保', '公积金', '不动产登记', '户籍', '出入境', '商事登记', '税务', '人才', '民政',
  '交通运输', '住房保障', '公证', '工程建设审批', '卫生健康', '教育', '残疾人服务', '退役军人事务',
]
const MAJOR_TOWN_BUSINESS = ['社保', '医保', '公积金', '不动产登记', '户籍', '出入境', '商事登记', '税务', '人才', '民政']
const TOWN_BUSINESS = ['社保', '医保', '不动产登记', '户籍', '商事登记', '税务', '民政']

/** A hall sits this far from its town centre, on the side away from the air station. */
const HALL_OFFSET_KM = 0.7
/** No hall marker closer than this to a town, station or other hall marker. */
export const HALL_CLEARANCE_KM = 0.45

export interface HallContext {
  idPrefix: string
  towns: readonly Town[]
  majorTowns: ReadonlySet<string>
  airStations: readonly AirStation[]
  inside: Inside
  /** Index of the town a point belongs to. */
  townAt: (p: Position) => number
}

/**
 * The city's service halls: the city hall, one per town and the function
 * areas' halls. Positions are estimates (approx: true), placed beside the
 * town centre so that the hall, town and station markers stay apart.
 * Window counts follow the town's size, varied per town but fixed.
 */
export function serviceHalls(profile: HallProfile, ctx: HallContext): ServiceHall[] {
  const placed: Position[] = []
  const markers = [...ctx.towns.map((t): Position => [t.lng, t.lat]), ...ctx.airStations.map((s): Position => [s.lng, s.lat])]
  const place = (near: Position, preferredAngle: number, radiusKm: number, exact = false): Position => {
    const spot = clearSpot(near, preferredAngle, radiusKm, [...markers, ...placed], ctx.inside, exact)
    placed.push(spot)
    return spot
  }
  const hours = { city: weekHours(profile.hours.city), town: weekHours(profile.hours.town) }

  const city = profile.cityHall
  const cityTown = townByCode(ctx.towns, city.townCode)
  const cityPosition = city.position ? place(city.position, 0, 0.3, true) : place([cityTown.lng, cityTown.lat], awayFromStation(cityTown, ctx) + Math.PI / 2, 1.2)
  const halls: ServiceHall[] = [{
    id: `${ctx.idPrefix}-HALL-CITY`,
    name: city.name,
    level: 'city',
    townCode: city.townCode,
    ...lngLat(cityPosition),
    approx: true,
    windows: city.windows,
    businessTypes: CITY_HALL_BUSINESS,
    hours: hours.city,
  }]
  for (const town of ctx.towns) {
    const major = ctx.majorTowns.has(town.code)
    halls.push({
      id: `${ctx.idPrefix}-HALL-${town.pinyin.replace(/\W/g, '').toUpperCase()}`,
      name: `${town.name}政务服务中心`,
      level: 'town',
      townCode: town.code,
      ...lngLat(place([town.lng, town.lat], awayFromStation(town, ctx), HALL_OFFSET_KM)),
      approx: true,
      windows: major ? hashInt(`windows:${town.code}`, 25, 35) : hashInt(`windows:${town.code}`, 10, 16),
      businessTypes: major ? MAJOR_TOWN_BUSINESS : TOWN_BUSINESS,
      hours: hours.town,
    })
  }
  for (const area of profile.functionAreas) {
    const position = place(area.position, 0, 0.3, true)
    halls.push({
      id: `${ctx.idPrefix}-HALL-${area.key}`,
      name: area.name,
      level: 'town',
      // A function area is not one of the towns; it reports under the town it lies in.
      townCode: ctx.towns[ctx.townAt(position)]!.code,
      ...lngLat(position),
      approx: true,
      windows: area.windows,
      businessTypes: area.businessTypes,
      hours: hours.town,
    })
  }
  return halls
}

function townByCode(towns: readonly Town[], code: string): Town {
  const town = towns.find(t => t.code === code)
  if (!town)
    throw new Error(`the city hall is in an unknown town ${code}`)
  return town
}

function lngLat(p: Position): { lng: number, lat: number } {
  return { lng: p[0], lat: p[1] }
}

/** The bearing from the town's station back through its centre, or 0 if it has none. */
function awayFromStation(town: Town, ctx: HallContext): number {
  const station = ctx.airStations.find(s => s.townCode === town.code)
  if (!station)
    return 0
  const [x, y] = toLocalKm([station.lng, station.lat], [town.lng, town.lat])
  return Math.atan2(y, x)
}

/**
 * The first spot around `near` (or `near` itself when `exact` and it is clear),
 * starting at the preferred bearing and turning 45° at a time, then further
 * out, that is inside the city and clear of every marker.
 */
function clearSpot(near: Position, angle: number, radiusKm: number, markers: readonly Position[], inside: Inside, exact: boolean): Position {
  const clear = (p: Position): boolean => inside(p) && markers.every(m => distanceKm(m, p) >= HALL_CLEARANCE_KM)
  if (exact && clear(round5(near)))
    return round5(near)
  for (const scale of [1, 2, 3, 4]) {
    for (let turn = 0; turn < 8; turn++) {
      const a = angle + (turn % 2 === 0 ? 1 : -1) * Math.ceil(turn / 2) * (Math.PI / 4)
      const p = round5(offsetKm(near, Math.cos(a) * radiusKm * scale, Math.sin(a) * radiusKm * scale))
      if (clear(p))
        return p
    }
  }
  throw new Error(`no clear spot for a service hall near ${near.join(', ')}`)
}

function weekHours(week: HallProfile['hours']['city']): ServiceHall['hours'] {
  return { workday: week.workday.map(interval), saturday: week.saturday.map(interval), sunday: week.sunday.map(interval) }
}

/** "09:00-12:00" → [540, 720], minutes after midnight. */
export function interval(text: string): [number, number] {
  const [start, end] = text.split('-').map((hm) => {
    const [h, m] = hm.split(':').map(Number)
    return h! * 60 + m!
  })
  if (start === undefined || end === undefined || !(start < end) || end > 1440)
    throw new Error(`bad opening interval ${text}`)
  return [start, end]
}
