import { z } from 'zod'
import { AirStation } from './air'

/** A town or subdistrict (镇街) with the centre the city model places it at. */
export const Town = z.object({
  code: z.string().regex(/^\d{9}$/),
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

/** The city outline as GeoJSON in WGS-84. */
export const CityBoundary = z.object({
  type: z.literal('Feature'),
  properties: z.object({ name: z.string() }),
  geometry: z.union([
    z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring) }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring)) }),
  ]),
})
export type CityBoundary = z.infer<typeof CityBoundary>

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
  airStations: z.array(AirStation),
  /** Where the geometry comes from, for the credits line. */
  attribution: z.string(),
})
export type CityModel = z.infer<typeof CityModel>
