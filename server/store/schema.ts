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
    /** RecordKind, null when the payload's kind could not be told. */
    kind: string | null
    /** RejectCode. */
    code: string
    /** SHA-256 of the whole raw copy, before it was cut. */
    raw_sha256: string
  }
  /** The latest reading of each traffic segment and service hall. */
  telemetry_latest: {
    kind: string
    entity_id: string
    observed_at: string
    /** The reading as JSON. */
    reading: string
  }
  /** Each incident's current version. */
  incidents: {
    id: string
    source: string
    ticket_no: string
    version: string
    status: string
    reported_at: string
    due_at: string
    town_code: string | null
    department_id: string
    /** Incident as JSON. */
    incident: string
  }
  /** Every version of every incident as received, late ones included. */
  incident_versions: {
    incident_id: string
    version: string
    received_at: string
    /** IncidentReport as JSON. */
    report: string
  }
  /** Telemetry and KPIs per hour; `hour` is the hour's start, ISO 8601 UTC. */
  rollup_hour: {
    kind: string
    entity_id: string
    metric: string
    hour: string
    n: number
    sum: number
    min: number
    max: number
  }
  /** The same per minute, kept for a shorter time. */
  rollup_minute: {
    kind: string
    entity_id: string
    metric: string
    minute: string
    n: number
    sum: number
    min: number
    max: number
  }
}
