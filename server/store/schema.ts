import type { Generated } from 'kysely'

/** The tables as the query layer sees them. JSON columns hold text. */
export interface Database {
  air_stations: {
    id: string
    name: string
    town_code: string
    kind: string
    lng: number
    lat: number
  }
  air_latest: {
    station_id: string
    observed_at: string
    aqi: number | null
    /** StationReading as JSON. */
    reading: string
  }
  city_aqi_points: {
    /** Observation time, ISO 8601. */
    t: string
    aqi: number
  }
  rejected_records: {
    id: Generated<number>
    source: string
    received_at: string
    /** [{ path, code, message }] as JSON. */
    reasons: string
    /** The record as received, cut to REJECT_RAW_MAX_CHARS. */
    raw: string
  }
}
