import { z } from 'zod'
import { EntityId, Instant } from './common'

/** A station identifier as upstream systems send it: short and printable. */
export const StationId = EntityId
export type StationId = z.infer<typeof StationId>

/** A concentration in µg/m³ (CO in mg/m³). Far above any real reading is a sensor fault. */
const Concentration = z.number().finite().nonnegative().max(50_000)

/**
 * The indicators of the real-time report (实时报, HJ 633-2012 and the MEE
 * practice): 1h averages of six pollutants, the 8h sliding O3 and the 24h
 * sliding PM averages. 24h gas averages are optional, for daily reports and
 * for the SO2 1h > 800 rule.
 */
export const AirIndicators = z.strictObject({
  so2: Concentration.optional(),
  no2: Concentration.optional(),
  co: Concentration.optional(),
  o3: Concentration.optional(),
  o3_8h: Concentration.optional(),
  pm25: Concentration.optional(),
  pm10: Concentration.optional(),
  pm25_24h: Concentration.optional(),
  pm10_24h: Concentration.optional(),
  so2_24h: Concentration.optional(),
  no2_24h: Concentration.optional(),
  co_24h: Concentration.optional(),
}).refine(v => Object.values(v).some(x => x !== undefined), { message: 'at least one indicator is required' })
export type AirIndicators = z.infer<typeof AirIndicators>
export type IndicatorKey = keyof AirIndicators

/** One hourly observation of one station: the air feed record. */
export const AirObservation = z.strictObject({
  stationId: StationId,
  observedAt: Instant,
  indicators: AirIndicators,
})
export type AirObservation = z.infer<typeof AirObservation>

export const POLLUTANTS = ['pm25', 'pm10', 'o3_1h', 'o3_8h', 'no2', 'so2', 'co'] as const
export const Pollutant = z.enum(POLLUTANTS)
export type Pollutant = z.infer<typeof Pollutant>

export const AqiLevelNumber = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(6)])

/** The outcome of the HJ 633-2012 calculation for one set of indicators. */
export const AqiResult = z.object({
  /** null when no indicator could be rated. */
  aqi: z.number().int().nonnegative().nullable(),
  level: AqiLevelNumber.nullable(),
  iaqi: z.partialRecord(Pollutant, z.number().int().nonnegative()),
  /** 首要污染物: empty when AQI ≤ 50. */
  primary: z.array(Pollutant),
  /** 超标污染物: IAQI > 100. */
  exceeding: z.array(Pollutant),
  /** PM rated from 1h values on the 24h table: no 24h sliding average was given. */
  indicative: z.boolean(),
  /** A concentration lay above the top of its table; its IAQI is the table's top. */
  aboveScale: z.boolean(),
})
export type AqiResult = z.infer<typeof AqiResult>

export const StationKind = z.enum(['national', 'provincial', 'town'])

export const AirStation = z.object({
  id: StationId,
  name: z.string().min(1).max(64),
  townCode: z.string(),
  kind: StationKind,
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
})
export type AirStation = z.infer<typeof AirStation>

/** A station's latest accepted observation with its rating. */
export const StationReading = z.object({
  stationId: StationId,
  observedAt: Instant,
  indicators: AirIndicators,
  aqi: AqiResult,
})
export type StationReading = z.infer<typeof StationReading>

/** The city's air: the mean of the reporting stations' concentrations, rated. */
export const CityAir = z.object({
  observedAt: Instant,
  indicators: AirIndicators,
  aqi: AqiResult,
  stationsReporting: z.number().int().nonnegative(),
  stationsTotal: z.number().int().nonnegative(),
})
export type CityAir = z.infer<typeof CityAir>

export const CityAqiPoint = z.object({ t: Instant, aqi: z.number().int().nonnegative() })
export type CityAqiPoint = z.infer<typeof CityAqiPoint>
