import type { AirStation, CityAqiPoint, StationReading } from '@shared/schemas/air'

/** Where telemetry of the air domain is kept. */
export interface AirRepository {
  saveStations: (stations: readonly AirStation[]) => Promise<void>
  /** Upserts each station's latest reading; an older reading never replaces a newer one. */
  saveLatest: (readings: readonly StationReading[]) => Promise<void>
  latest: () => Promise<StationReading[]>
  saveCityPoint: (point: CityAqiPoint) => Promise<void>
  /** City AQI points at or after `since` (ISO 8601), oldest first. */
  cityTrend: (since: string) => Promise<CityAqiPoint[]>
  /** Drops city points older than `before`. */
  pruneCityTrend: (before: string) => Promise<void>
}

export interface RejectReason { path: string, code: string, message: string }

export interface RejectedRecord {
  id: number
  source: string
  receivedAt: string
  reasons: RejectReason[]
  raw: string
}

/** The dead-letter list: records that failed validation, with why. */
export interface RejectRepository {
  add: (record: Omit<RejectedRecord, 'id'>) => Promise<void>
  list: (limit: number) => Promise<RejectedRecord[]>
  count: () => Promise<number>
}

export interface Store {
  air: AirRepository
  rejects: RejectRepository
  close: () => Promise<void>
}
