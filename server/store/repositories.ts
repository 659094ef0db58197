import type { AirStation, CityAqiPoint, StationReading } from '@shared/schemas/air'
import type { RecordKind, RejectCode, RejectedRecord, RejectReason } from '@shared/schemas/feeds'
import type { Incident, IncidentReport } from '@shared/schemas/incidents'

export type { RejectedRecord, RejectReason }

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

export interface LatestReading { entityId: string, observedAt: string, reading: unknown }

/** The latest reading per entity of the other telemetry kinds (traffic segments, halls), for restarts. */
export interface TelemetryRepository {
  /** Upserts; an older reading never replaces a newer one. */
  saveLatest: (kind: RecordKind, readings: readonly LatestReading[]) => Promise<void>
  latest: (kind: RecordKind) => Promise<LatestReading[]>
}

/** What the history holds: telemetry by record kind, and the server's own KPIs (server/live/kpis.history.ts). */
export type RollupKind = RecordKind | 'kpi'

/** The bucket widths the history keeps, each with its own retention. */
export type RollupResolution = 'minute' | 'hour'

/** One value to fold into the history. */
export interface RollupSample { kind: RollupKind, entityId: string, metric: string, observedAt: string, value: number }

/** One bucket; `start` is its first instant, ISO 8601 UTC. */
export interface RollupRow { kind: RollupKind, entityId: string, metric: string, start: string, n: number, mean: number, min: number, max: number }

/** Telemetry history as minute and hour rollups; late records still land in their minute and hour. */
export interface HistoryRepository {
  /** Folds the samples into their minute and their hour, in one transaction. */
  add: (samples: readonly RollupSample[]) => Promise<void>
  /** Buckets of the resolution starting in [from, to), oldest first. */
  query: (q: { resolution: RollupResolution, kind: RollupKind, entityId: string, metric: string, from: string, to: string }) => Promise<RollupRow[]>
  /** Drops the buckets of each resolution that start before its instant, and keeps that one. */
  prune: (before: Record<RollupResolution, string>) => Promise<void>
}

export type IncidentWrite = 'created' | 'updated' | 'late' | 'duplicate'

/** 12345 incidents, kept in full. */
export interface IncidentRepository {
  /**
   * Stores received versions durably, in one transaction, in order.
   * `duplicate`: this version was already stored; `late`: kept in the
   * history but older than the current version, which it does not change.
   */
  save: (items: readonly { incident: Incident, report: IncidentReport }[]) => Promise<IncidentWrite[]>
  /** Incidents still open, and those reported or closed since `closedSince`, newest report first. */
  current: (q: { closedSince: string, limit: number }) => Promise<Incident[]>
  get: (id: string) => Promise<Incident | undefined>
  versions: (id: string) => Promise<{ version: string, receivedAt: string, report: IncidentReport }[]>
  list: (q: { status?: 'open' | 'closed', limit: number }) => Promise<Incident[]>
}

export interface NewRejection {
  source: string
  kind: RecordKind | null
  code: RejectCode
  receivedAt: string
  reasons: RejectReason[]
  raw: string
  rawSha256: string
}

/** The dead-letter list: records that failed validation, with why. */
export interface RejectRepository {
  add: (records: readonly NewRejection[]) => Promise<void>
  list: (q: { limit: number, source?: string, kind?: RecordKind }) => Promise<RejectedRecord[]>
  count: (q?: { source?: string, kind?: RecordKind }) => Promise<number>
  /** Drops rows received before `before`. */
  prune: (before: string) => Promise<void>
}

export interface Store {
  air: AirRepository
  telemetry: TelemetryRepository
  history: HistoryRepository
  incidents: IncidentRepository
  rejects: RejectRepository
  close: () => Promise<void>
}
