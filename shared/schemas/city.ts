import { z } from 'zod'
import { AirStation } from './air'
import { EntityId, TownCode } from './common'
import { IncidentTopic } from './incidents'
import { RoadClass } from './traffic'

/** A town or subdistrict (镇街) with the centre the city model places it at. */
export const Town = z.object({
  code: TownCode,
  name: z.string().min(1),
  pinyin: z.string().min(1),
  lng: z.number(),
  lat: z.number(),
  /** The centre is an estimate (about ±2–3 km), not a surveyed point. */
  approx: z.boolean(),
})
export type Town = z.infer<typeof Town>

const Position = z.tuple([z.number(), z.number()])
const Ring = z.array(Position).min(4)
const AreaGeometry = z.union([
  z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring)) }),
])

/** A town's own outline, where the city's source has one (Jiangmen's districts; Dongguan's towns have none). */
export const TownArea = z.object({ code: TownCode, geometry: AreaGeometry })
export type TownArea = z.infer<typeof TownArea>

/** The city outline as GeoJSON in WGS-84. */
export const CityBoundary = z.object({
  type: z.literal('Feature'),
  properties: z.object({ name: z.string() }),
  geometry: AreaGeometry,
})
export type CityBoundary = z.infer<typeof CityBoundary>

/** A road segment of the city's network (GB/T 33171 §5.5: expressways split at ≤ 3 km, other roads at ≤ 1.5 km). */
export const RoadSegment = z.object({
  id: EntityId,
  /** The road's name, e.g. 莞深高速 or 东莞大道. */
  name: z.string().min(1),
  roadClass: RoadClass,
  townCode: TownCode,
  lengthKm: z.number().positive(),
  /** Free-flow speed Vf, km/h: the default of its class until measured (domain.md §2.5). */
  freeFlowKmh: z.number().positive(),
  /** LineString coordinates, WGS-84. */
  path: z.array(Position).min(2),
})
export type RoadSegment = z.infer<typeof RoadSegment>

/** Opening hours of one day: [start, end) intervals in minutes after local midnight. */
const DayHours = z.array(z.tuple([z.number().int().min(0).max(1440), z.number().int().min(0).max(1440)]))

/** A government service hall (政务服务中心) with its windows and opening hours. */
export const ServiceHall = z.object({
  id: EntityId,
  name: z.string().min(1),
  level: z.enum(['city', 'town']),
  townCode: TownCode,
  lng: z.number(),
  lat: z.number(),
  /** The position is an estimate, not a surveyed address. */
  approx: z.boolean(),
  /** Windows the hall has (not all are staffed at every hour). */
  windows: z.number().int().positive(),
  /** Business types it serves, e.g. 社保, 不动产登记. */
  businessTypes: z.array(z.string().min(1)).min(1),
  /** Opening hours on working days, Saturdays and Sundays (Dongguan: weekend service since 2020-09-12). */
  hours: z.object({ workday: DayHours, saturday: DayHours, sunday: DayHours }),
})
export type ServiceHall = z.infer<typeof ServiceHall>

/** A city department (or a town government) that handles work orders. */
export const Department = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  nameEn: z.string().min(1),
  /** A town government handles the matters of its own town (镇街属地). */
  townCode: TownCode.optional(),
})
export type Department = z.infer<typeof Department>

/**
 * Which department handles a topic (every topic must have one); the
 * department `town` stands for the incident's own town government.
 */
export const IncidentRouting = z.record(IncidentTopic, z.string().min(1))
export type IncidentRouting = z.infer<typeof IncidentRouting>

/** Everything a client needs to draw the city, sent once (GET /api/city). */
export const CityModel = z.object({
  id: z.string(),
  name: z.string(),
  nameEn: z.string(),
  adcode: z.string(),
  /** [minLng, minLat, maxLng, maxLat] */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  center: Position,
  boundary: CityBoundary,
  towns: z.array(Town),
  townAreas: z.array(TownArea),
  airStations: z.array(AirStation),
  roads: z.array(RoadSegment),
  halls: z.array(ServiceHall),
  departments: z.array(Department),
  routing: IncidentRouting,
  /** Where the geometry comes from, for the credits line. */
  attribution: z.string(),
})
export type CityModel = z.infer<typeof CityModel>
