import type { z } from 'zod'
import { AirObservation } from '@shared/schemas/air'
import type { RecordKind } from '@shared/schemas/feeds'
import { HallObservation } from '@shared/schemas/halls'
import { IncidentReport } from '@shared/schemas/incidents'
import { TrafficObservation } from '@shared/schemas/traffic'

/** What toISOString() gives: most feeds already send it, and it needs no conversion. */
const CANONICAL_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

/** One form for every instant inside the system: UTC with Z and milliseconds, so that instants order as text. */
export const utc = (instant: string): string => (CANONICAL_INSTANT.test(instant) ? instant : new Date(instant).toISOString())

/** How ingest treats one kind of record. */
export interface RecordSpec<R> {
  kind: RecordKind
  schema: z.ZodType<R, unknown>
  /** The field naming the entity, for an `unknown_entity` reason. */
  entityField: string
  entityId: (record: R) => string
  /** What orders two records of one entity: observation time for telemetry, the upstream version for incidents. */
  time: (record: R) => string
  /** Other instants a record carries, held to the same bounds (not in the future, not absurdly old). */
  otherTimes?: (record: R) => string[]
  normalize: (record: R) => R
}

export interface RecordTypes {
  air: AirObservation
  traffic: TrafficObservation
  hall: HallObservation
  incident: IncidentReport
}

export const RECORD_SPECS: { [K in RecordKind]: RecordSpec<RecordTypes[K]> } = {
  air: {
    kind: 'air',
    schema: AirObservation,
    entityField: 'stationId',
    entityId: r => r.stationId,
    time: r => r.observedAt,
    normalize: r => ({ ...r, observedAt: utc(r.observedAt) }),
  },
  traffic: {
    kind: 'traffic',
    schema: TrafficObservation,
    entityField: 'segmentId',
    entityId: r => r.segmentId,
    time: r => r.observedAt,
    normalize: r => ({ ...r, observedAt: utc(r.observedAt) }),
  },
  hall: {
    kind: 'hall',
    schema: HallObservation,
    entityField: 'hallId',
    entityId: r => r.hallId,
    time: r => r.observedAt,
    normalize: r => ({ ...r, observedAt: utc(r.observedAt) }),
  },
  incident: {
    kind: 'incident',
    schema: IncidentReport,
    entityField: 'ticketNo',
    entityId: r => r.ticketNo,
    time: r => r.version,
    otherTimes: r => [r.reportedAt],
    normalize: r => ({ ...r, version: utc(r.version), reportedAt: utc(r.reportedAt) }),
  },
}
