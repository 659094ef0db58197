/**
 * A small city for the simulator's tests: five real Dongguan towns, a road
 * grid in each (about 1 km a side) joined by an expressway, one station per
 * town, a city hall and four town halls.
 */
import type { AirStation } from '@shared/schemas/air'
import type { CityModel, RoadSegment, ServiceHall, Town } from '@shared/schemas/city'
import { INCIDENT_TOPICS } from '@shared/schemas/incidents'
import type { RoadClass } from '@shared/schemas/traffic'

type Pos = [number, number]

export const FIXTURE_TOWNS: Town[] = [
  { code: '441900004', name: '南城街道', pinyin: 'Nancheng', lng: 113.745, lat: 23.01, approx: true },
  { code: '441900003', name: '东城街道', pinyin: 'Dongcheng', lng: 113.78, lat: 23.035, approx: true },
  { code: '441900123', name: '沙田镇', pinyin: 'Shatian', lng: 113.615, lat: 22.915, approx: true },
  { code: '441900121', name: '虎门镇', pinyin: 'Humen', lng: 113.6726, lat: 22.8148, approx: false },
  { code: '441900119', name: '长安镇', pinyin: "Chang'an", lng: 113.8028, lat: 22.8065, approx: false },
]

const FREE_FLOW: Readonly<Record<RoadClass, number>> = { expressway: 100, arterial: 50, secondary: 40, branch: 30 }
const GRID_STEP_DEG = 0.01

function km(a: Pos, b: Pos): number {
  return Math.hypot((a[0] - b[0]) * 102.5, (a[1] - b[1]) * 111.2)
}

function segment(id: string, name: string, roadClass: RoadClass, townCode: string, a: Pos, b: Pos): RoadSegment {
  return { id, name, roadClass, townCode, lengthKm: Math.round(km(a, b) * 1000) / 1000, freeFlowKmh: FREE_FLOW[roadClass], path: [a, b] }
}

/** A 3×3 grid of junctions: the middle row and column are arterials, the rest secondary and branch roads. */
function townGrid(town: Town): RoadSegment[] {
  const short = town.name.replace(/(?:街道|镇)$/, '')
  const node = (i: number, j: number): Pos => [
    Math.round((town.lng + (i - 1) * GRID_STEP_DEG) * 1e5) / 1e5,
    Math.round((town.lat + (j - 1) * GRID_STEP_DEG) * 1e5) / 1e5,
  ]
  const out: RoadSegment[] = []
  for (let j = 0; j < 3; j++) {
    const roadClass: RoadClass = j === 1 ? 'arterial' : j === 0 ? 'secondary' : 'branch'
    for (let i = 0; i < 2; i++)
      out.push(segment(`T${town.code.slice(-3)}-EW${j}${i}`, `${short}${['南路', '大道', '北路'][j]}`, roadClass, town.code, node(i, j), node(i + 1, j)))
  }
  for (let i = 0; i < 3; i++) {
    const roadClass: RoadClass = i === 1 ? 'arterial' : 'secondary'
    for (let j = 0; j < 2; j++)
      out.push(segment(`T${town.code.slice(-3)}-NS${i}${j}`, `${short}${['西路', '中路', '东路'][i]}`, roadClass, town.code, node(i, j), node(i, j + 1)))
  }
  return out
}

/** An expressway between two town centres, in three segments. */
function expressway(from: Town, to: Town, index: number): RoadSegment[] {
  const points: Pos[] = [0, 1, 2, 3].map(k => [
    Math.round((from.lng + ((to.lng - from.lng) * k) / 3) * 1e5) / 1e5,
    Math.round((from.lat + ((to.lat - from.lat) * k) / 3) * 1e5) / 1e5,
  ])
  return [0, 1, 2].map(k => segment(`XW${index}-${k}`, '沿江高速', 'expressway', k < 2 ? from.code : to.code, points[k] as Pos, points[k + 1] as Pos))
}

function station(town: Town): AirStation {
  return { id: `T-AQ-${town.pinyin.replace(/\W/g, '').toUpperCase()}`, name: `${town.name}站`, townCode: town.code, kind: 'town', lng: town.lng + 0.005, lat: town.lat + 0.004 }
}

const CITY_HOURS: ServiceHall['hours'] = { workday: [[540, 720], [810, 1050]], saturday: [[540, 720], [780, 960]], sunday: [[540, 720], [780, 960]] }
const TOWN_HOURS: ServiceHall['hours'] = { workday: [[540, 720], [810, 1050]], saturday: [[540, 720], [840, 960]], sunday: [] }

function hall(town: Town, level: 'city' | 'town', windows: number): ServiceHall {
  return {
    id: level === 'city' ? 'H-CITY' : `H-${town.pinyin.replace(/\W/g, '').toUpperCase()}`,
    name: level === 'city' ? '市民服务中心' : `${town.name}政务服务中心`,
    level,
    townCode: town.code,
    lng: town.lng + 0.003,
    lat: town.lat - 0.002,
    approx: true,
    windows,
    businessTypes: level === 'city' ? ['社保', '医保', '公积金', '不动产登记', '户籍', '出入境', '商事登记', '税务'] : ['社保', '医保', '不动产登记', '户籍', '商事登记'],
    hours: level === 'city' ? CITY_HOURS : TOWN_HOURS,
  }
}

export function fixtureCity(): CityModel {
  const [nancheng, dongcheng, shatian, humen, changan] = FIXTURE_TOWNS as [Town, Town, Town, Town, Town]
  const roads = [
    ...FIXTURE_TOWNS.flatMap(townGrid),
    ...expressway(shatian, humen, 1),
    ...expressway(humen, changan, 2),
  ]
  const lngs = FIXTURE_TOWNS.map(t => t.lng)
  const lats = FIXTURE_TOWNS.map(t => t.lat)
  const bbox: [number, number, number, number] = [Math.min(...lngs) - 0.05, Math.min(...lats) - 0.05, Math.max(...lngs) + 0.05, Math.max(...lats) + 0.05]
  const ring: Pos[] = [[bbox[0], bbox[1]], [bbox[2], bbox[1]], [bbox[2], bbox[3]], [bbox[0], bbox[3]], [bbox[0], bbox[1]]]
  return {
    id: 'fixture',
    name: '测试市',
    nameEn: 'Fixture',
    adcode: '441900',
    bbox,
    center: [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2],
    boundary: { type: 'Feature', properties: { name: '测试市' }, geometry: { type: 'Polygon', coordinates: [ring] } },
    towns: FIXTURE_TOWNS,
    townAreas: [],
    airStations: FIXTURE_TOWNS.map(station),
    roads,
    halls: [hall(nancheng, 'city', 40), hall(nancheng, 'town', 14), hall(dongcheng, 'town', 16), hall(shatian, 'town', 10), hall(humen, 'town', 16), hall(changan, 'town', 16)],
    departments: [
      { id: 'env', name: '市生态环境局', nameEn: 'Ecology and Environment Bureau' },
      { id: 'water', name: '市水务局', nameEn: 'Water Bureau' },
    ],
    routing: { ...Object.fromEntries(INCIDENT_TOPICS.map(t => [t, 'town'])), environment: 'env', utilities: 'water' } as CityModel['routing'],
    attribution: 'test fixture',
  }
}

/** Monday 2026-11-23, 00:00 China time. */
export const MONDAY_MIDNIGHT = Date.parse('2026-11-22T16:00:00Z')
