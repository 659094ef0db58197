import { z } from 'zod'
import { Alert, AlertsSummary } from '../schemas/alerts'
import { CityAir, CityAqiPoint, StationReading } from '../schemas/air'
import { FeedHealth } from '../schemas/feeds'
import { HallReading, HallsSummary } from '../schemas/halls'
import { Incident, IncidentsSummary } from '../schemas/incidents'
import { KpiSet } from '../schemas/kpis'
import { CityTraffic, SegmentUpdate, TownTraffic } from '../schemas/traffic'

/**
 * The payloads of each stream: what one event carries and what a snapshot of
 * the whole stream carries. Static geometry never travels here: it is in the
 * city model (GET /api/city). Adding a stream means adding it here.
 */
export const AirEventData = z.object({
  readings: z.array(StationReading),
  city: CityAir.nullable(),
  /** City AQI points added to the trend since the last event, oldest first. */
  trend: z.array(CityAqiPoint),
})
export type AirEventData = z.infer<typeof AirEventData>

export const AirSnapshot = z.object({
  readings: z.array(StationReading),
  city: CityAir.nullable(),
  /** City AQI over the last hour of observation time, oldest first. */
  trend: z.array(CityAqiPoint),
})
export type AirSnapshot = z.infer<typeof AirSnapshot>

/**
 * Segments whose shown speed or grade changed (ids and values only), the towns
 * they are in and the city, to display precision; a snapshot lists every segment.
 */
export const TrafficEventData = z.object({
  segments: z.array(SegmentUpdate),
  towns: z.array(TownTraffic),
  city: CityTraffic.nullable(),
})
export type TrafficEventData = z.infer<typeof TrafficEventData>

export const HallsEventData = z.object({
  halls: z.array(HallReading),
  summary: HallsSummary.nullable(),
})
export type HallsEventData = z.infer<typeof HallsEventData>

/** Incidents created or changed, and the counts after the change. */
export const IncidentsEventData = z.object({
  incidents: z.array(Incident),
  summary: IncidentsSummary,
})
export type IncidentsEventData = z.infer<typeof IncidentsEventData>

/** Alerts raised or changed, and the counts after the change. */
export const AlertsEventData = z.object({
  alerts: z.array(Alert),
  summary: AlertsSummary,
})
export type AlertsEventData = z.infer<typeof AlertsEventData>

export const FeedHealthEventData = z.object({ feeds: z.array(FeedHealth) })
export type FeedHealthEventData = z.infer<typeof FeedHealthEventData>

/** The whole KPI set, a few KB: every event replaces the last. */
export const KpisEventData = KpiSet
export type KpisEventData = z.infer<typeof KpisEventData>

export const STREAM_SCHEMAS = {
  'air': { event: AirEventData, snapshot: AirSnapshot },
  'traffic': { event: TrafficEventData, snapshot: TrafficEventData },
  'halls': { event: HallsEventData, snapshot: HallsEventData },
  /** The snapshot lists the newest open and recently closed incidents; the summary counts all. */
  'incidents': { event: IncidentsEventData, snapshot: IncidentsEventData },
  /** The snapshot lists the alerts not yet resolved. */
  'alerts': { event: AlertsEventData, snapshot: AlertsEventData },
  'feed-health': { event: FeedHealthEventData, snapshot: FeedHealthEventData },
  'kpis': { event: KpisEventData, snapshot: KpisEventData },
} as const

export type StreamName = keyof typeof STREAM_SCHEMAS
export const StreamName = z.enum(Object.keys(STREAM_SCHEMAS) as [StreamName, ...StreamName[]])

export type StreamEventData<S extends StreamName> = z.infer<(typeof STREAM_SCHEMAS)[S]['event']>
export type StreamSnapshot<S extends StreamName> = z.infer<(typeof STREAM_SCHEMAS)[S]['snapshot']>
