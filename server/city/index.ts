import type { CityModel } from '@shared/schemas/city'
import { buildCity } from './build'
import dongguan from './data/dongguan.json' with { type: 'json' }
import jiangmen from './data/jiangmen.json' with { type: 'json' }
import { CityProfile } from './profile'

export type CityId = 'dongguan' | 'jiangmen'

/** Each city is data (data/<city>.json); adding a city is a profile and a line here. */
const PROFILES: Record<CityId, unknown> = { dongguan, jiangmen }

/**
 * The city model: what the city is, as data. Built once at start; the same
 * output on every run (the generated parts are keyed by name, not random).
 */
export function loadCity(id: CityId): CityModel {
  return buildCity(CityProfile.parse(PROFILES[id]))
}

export { departmentFor, TOWN_GOVERNMENT, townDepartmentId } from './departments'
export { FREE_FLOW_KMH, MAX_SEGMENT_KM } from './roads'
