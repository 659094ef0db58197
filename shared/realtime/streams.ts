import { z } from 'zod'
import { CityAir, CityAqiPoint, StationReading } from '../schemas/air'

/**
 * The payloads of each stream: what one event carries and what a snapshot of
 * the whole stream carries. Adding a stream means adding it here.
 */
export const AirEventData = z.object({
  readings: z.array(StationReading),
  city: CityAir.nullable(),
})
export type AirEventData = z.infer<typeof AirEventData>

export const AirSnapshot = z.object({
  readings: z.array(StationReading),
  city: CityAir.nullable(),
  /** City AQI over the last hour of observation time, oldest first. */
  trend: z.array(CityAqiPoint),
})
export type AirSnapshot = z.infer<typeof AirSnapshot>

export const STREAM_SCHEMAS = {
  air: { event: AirEventData, snapshot: AirSnapshot },
} as const

export type StreamName = keyof typeof STREAM_SCHEMAS
export const StreamName = z.enum(Object.keys(STREAM_SCHEMAS) as [StreamName, ...StreamName[]])

export type StreamEventData<S extends StreamName> = z.infer<(typeof STREAM_SCHEMAS)[S]['event']>
export type StreamSnapshot<S extends StreamName> = z.infer<(typeof STREAM_SCHEMAS)[S]['snapshot']>
