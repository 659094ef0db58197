import type { Department, IncidentRouting, Town } from '@shared/schemas/city'
import { INCIDENT_TOPICS } from '@shared/schemas/incidents'
import type { IncidentTopic } from '@shared/schemas/incidents'

/**
 * The routing convention: a topic routed to TOWN_GOVERNMENT goes to the
 * government of the incident's own town (镇街属地), the department
 * `town-<townCode>`. Every other routing value is a city department id.
 */
export const TOWN_GOVERNMENT = 'town'

export function townDepartmentId(townCode: string): string {
  return `town-${townCode}`
}

/** The department that handles a topic in a town: resolves the TOWN_GOVERNMENT convention. */
export function departmentFor(routing: IncidentRouting, topic: IncidentTopic, townCode: string): string {
  const id = routing[topic]
  return id === TOWN_GOVERNMENT ? townDepartmentId(townCode) : id
}

interface Bureau {
  key: string
  name: string
  nameEn: string
  topics: IncidentTopic[]
}

/**
 * The municipal bureaus that take 12345 work orders (domain.md §3.5). Their
 * names are the standard ones of a Chinese prefecture-level city, so every
 * city gets them with its own name in front. Bureaus with no topic of their
 * own still take work orders reassigned to them.
 */
const BUREAUS: Bureau[] = [
  { key: 'gov-services', name: '政务服务和数据管理局', nameEn: 'Government Services and Data Administration', topics: [] },
  { key: 'urban-mgmt', name: '城市管理和综合执法局', nameEn: 'Urban Management and Law Enforcement Bureau', topics: ['city-management'] },
  { key: 'eco-env', name: '生态环境局', nameEn: 'Ecology and Environment Bureau', topics: ['environment'] },
  // 12345 transport matters are mostly buses, taxis and road upkeep; signal and parking cases are reassigned to the traffic police.
  { key: 'transport', name: '交通运输局', nameEn: 'Transport Bureau', topics: ['transport'] },
  { key: 'traffic-police', name: '公安局交通警察支队', nameEn: 'Traffic Police Detachment', topics: [] },
  { key: 'housing', name: '住房和城乡建设局', nameEn: 'Housing and Urban-Rural Development Bureau', topics: ['housing'] },
  // Water, power and gas: the water bureau is the government side; power and gas companies answer through it.
  { key: 'water', name: '水务局', nameEn: 'Water Affairs Bureau', topics: ['utilities'] },
  { key: 'market', name: '市场监督管理局', nameEn: 'Administration for Market Regulation', topics: ['market'] },
  { key: 'hrss', name: '人力资源和社会保障局', nameEn: 'Human Resources and Social Security Bureau', topics: ['labour'] },
  { key: 'education', name: '教育局', nameEn: 'Education Bureau', topics: ['education'] },
  { key: 'health', name: '卫生健康局', nameEn: 'Health Commission', topics: ['health'] },
  { key: 'public-security', name: '公安局', nameEn: 'Public Security Bureau', topics: ['public-security'] },
  { key: 'emergency', name: '应急管理局', nameEn: 'Emergency Management Bureau', topics: ['emergency'] },
]

export interface DepartmentCity {
  idPrefix: string
  name: string
  nameEn: string
  /** Governments whose names do not follow from the town's (function areas). */
  townGovernments: Readonly<Record<string, { name: string, nameEn: string }>>
}

export function cityDepartments(city: DepartmentCity, towns: readonly Town[]): Department[] {
  const prefix = city.idPrefix.toLowerCase()
  return [
    ...BUREAUS.map(b => ({ id: `${prefix}-${b.key}`, name: `${city.name}${b.name}`, nameEn: `${city.nameEn} ${b.nameEn}` })),
    ...towns.map(t => ({ id: townDepartmentId(t.code), ...townGovernment(city, t), townCode: t.code })),
  ]
}

/** 南城街道 → 南城街道办事处, 虎门镇 → 虎门镇人民政府, 蓬江区 → 江门市蓬江区人民政府, 台山市 → 台山市人民政府. */
function townGovernment(city: DepartmentCity, town: Town): { name: string, nameEn: string } {
  const special = city.townGovernments[town.code]
  if (special)
    return special
  const rules: [RegExp, (n: string) => string, string][] = [
    [/街道$/, n => `${n}办事处`, 'Subdistrict Office'],
    [/镇$/, n => `${n}人民政府`, 'Town Government'],
    [/区$/, n => `${city.name}${n}人民政府`, 'District Government'],
    [/县$/, n => `${n}人民政府`, 'County Government'],
    [/市$/, n => `${n}人民政府`, 'City Government'],
  ]
  const rule = rules.find(([pattern]) => pattern.test(town.name))
  if (!rule)
    throw new Error(`no government name for ${town.name}: add it to townGovernments`)
  return { name: rule[1](town.name), nameEn: `${town.pinyin} ${rule[2]}` }
}

export function incidentRouting(city: { idPrefix: string }): IncidentRouting {
  const prefix = city.idPrefix.toLowerCase()
  const routing: Partial<Record<IncidentTopic, string>> = { local: TOWN_GOVERNMENT }
  for (const bureau of BUREAUS) {
    for (const topic of bureau.topics)
      routing[topic] = `${prefix}-${bureau.key}`
  }
  const missing = INCIDENT_TOPICS.filter(t => routing[t] === undefined)
  if (missing.length > 0)
    throw new Error(`no department for the topics ${missing.join(', ')}`)
  return routing as IncidentRouting
}
