import type { LngLat } from '@shared/schemas/common'
import type { RecordKind, RejectCode, RejectReason } from '@shared/schemas/feeds'
import { reason } from '@server/ingest/validate'
import type { Crs } from '../config'
import { pointToWgs84 } from '../coordinates'
import type { Entity } from './ngsi-attrs'
import { attribute, instant, isObject, localName, referenceId } from './ngsi-attrs'

/**
 * FIWARE Smart Data Models to our records (domain.md §6.1–6.2).
 *
 * AirQualityObserved → air: stationId from `refPointOfInterest`, else
 * `refDevice`, else the entity id (an NGSI-LD `urn:ngsi-ld:<Type>:` prefix
 * dropped); observedAt from `dateObserved` (an interval gives its end);
 * indicators pm25, pm10, no2, so2, o3, co, also under the model's older
 * formula names (PM2.5, PM10, NO2, SO2, O3, CO).
 * Units: ours are µg/m³, CO mg/m³. `GQ` (µg/m³) and `GP` (mg/m³) are
 * converted; a value with no unitCode is taken as already in our units (as
 * the key-values examples and MEE practice give CO in mg/m³); any other unit
 * code refuses the whole entity, since a misread unit is worse than no value.
 *
 * TrafficFlowObserved → traffic: segmentId from `refRoadSegment`, else the
 * entity id; observedAt from `dateObservedTo`, else `dateObserved` (an
 * interval gives its end); speedKmh ← averageVehicleSpeed (KMH; MTS and HM
 * converted), volume ← intensity, occupancy ← occupancy (a fraction).
 *
 * A missing field is left out, never guessed: validation then refuses the
 * record with the path. Locations (GeoJSON Point) are converted from the
 * feed's CRS and returned beside the record; the observation schemas carry
 * no position (stations and segments are placed by the city model).
 */

export const NGSI_ENTITY_KINDS = { AirQualityObserved: 'air', TrafficFlowObserved: 'traffic' } as const
type NgsiType = keyof typeof NGSI_ENTITY_KINDS

export interface DecodedEntity {
  kind: RecordKind
  record: Record<string, unknown>
  location?: LngLat
}

export interface EntityRejection {
  kind: RecordKind | null
  code: RejectCode
  reasons: RejectReason[]
  raw: unknown
}

export type EntityResult = ({ ok: true } & DecodedEntity) | ({ ok: false } & EntityRejection)

const UG_PER_UNIT: Record<string, number> = { GQ: 1, GP: 1000 }
const KMH_PER_UNIT: Record<string, number> = { KMH: 1, MTS: 3.6, HM: 1.609344 }

const INDICATORS = [
  { key: 'pm25', names: ['pm25', 'PM25', 'PM2.5', 'pm2_5', 'PM2_5'], ourUnitUg: 1 },
  { key: 'pm10', names: ['pm10', 'PM10'], ourUnitUg: 1 },
  { key: 'no2', names: ['no2', 'NO2'], ourUnitUg: 1 },
  { key: 'so2', names: ['so2', 'SO2'], ourUnitUg: 1 },
  { key: 'o3', names: ['o3', 'O3'], ourUnitUg: 1 },
  { key: 'co', names: ['co', 'CO'], ourUnitUg: 1000 },
] as const

/** Conversions should not show floating-point dust (0.7 × 1000 = 700.0000000000001). */
function tidy(value: number): number {
  return Number(value.toPrecision(12))
}

function entityType(entity: Entity): string | undefined {
  const types = Array.isArray(entity.type) ? entity.type as unknown[] : [entity.type]
  const names = types.filter((t): t is string => typeof t === 'string').map(localName)
  return names.find((t): t is NgsiType => Object.hasOwn(NGSI_ENTITY_KINDS, t)) ?? names[0]
}

type Mapped = { ok: true, record: Record<string, unknown> } | { ok: false, reasons: RejectReason[] }

function airRecord(entity: Entity): Mapped {
  const indicators: Record<string, unknown> = {}
  for (const { key, names, ourUnitUg } of INDICATORS) {
    const attr = attribute(entity, names)
    if (!attr)
      continue
    if (attr.unitCode === undefined || typeof attr.value !== 'number') {
      indicators[key] = attr.value
      continue
    }
    const factor = UG_PER_UNIT[attr.unitCode]
    if (factor === undefined)
      return { ok: false, reasons: [reason(`${attr.key}.unitCode`, 'unsupported_unit', `unit code ${attr.unitCode} is not a mass concentration we convert (GQ µg/m³, GP mg/m³)`)] }
    indicators[key] = tidy(attr.value * factor / ourUnitUg)
  }
  const station = attribute(entity, ['refPointOfInterest']) ?? attribute(entity, ['refDevice'])
  return {
    ok: true,
    record: {
      stationId: referenceId(station ? station.value : entity.id),
      observedAt: instant(attribute(entity, ['dateObserved'])?.value),
      indicators,
    },
  }
}

function trafficRecord(entity: Entity): Mapped {
  const record: Record<string, unknown> = {}
  const segment = attribute(entity, ['refRoadSegment'])
  record.segmentId = referenceId(segment ? segment.value : entity.id)
  record.observedAt = instant((attribute(entity, ['dateObservedTo']) ?? attribute(entity, ['dateObserved']))?.value)
  const speed = attribute(entity, ['averageVehicleSpeed'])
  if (speed) {
    const factor = KMH_PER_UNIT[speed.unitCode ?? 'KMH']
    if (factor === undefined)
      return { ok: false, reasons: [reason(`${speed.key}.unitCode`, 'unsupported_unit', `unit code ${speed.unitCode} is not a speed we convert (KMH, MTS, HM)`)] }
    record.speedKmh = typeof speed.value === 'number' ? tidy(speed.value * factor) : speed.value
  }
  const intensity = attribute(entity, ['intensity'])
  if (intensity)
    record.volume = intensity.value
  const occupancy = attribute(entity, ['occupancy'])
  if (occupancy)
    record.occupancy = occupancy.value
  return { ok: true, record }
}

/** One NGSI entity (v2 or LD, normalized or key-values) as one record, or why not. */
export function decodeNgsiEntity(entity: unknown, crs: Crs): EntityResult {
  if (!isObject(entity))
    return { ok: false, kind: null, code: 'schema', reasons: [reason('(entity)', 'invalid_type', 'an NGSI entity must be a JSON object')], raw: entity }
  const type = entityType(entity)
  if (type === undefined)
    return { ok: false, kind: null, code: 'schema', reasons: [reason('type', 'invalid_type', 'an NGSI entity needs a type')], raw: entity }
  if (!Object.hasOwn(NGSI_ENTITY_KINDS, type)) {
    const supported = Object.keys(NGSI_ENTITY_KINDS).join(', ')
    return { ok: false, kind: null, code: 'unsupported', reasons: [reason('type', 'unsupported_type', `entity type ${type} is not supported (${supported})`)], raw: entity }
  }
  const kind = NGSI_ENTITY_KINDS[type as NgsiType]
  const mapped = kind === 'air' ? airRecord(entity) : trafficRecord(entity)
  if (!mapped.ok)
    return { ok: false, kind, code: 'unsupported', reasons: mapped.reasons, raw: entity }
  const location = pointToWgs84(attribute(entity, ['location'])?.value, crs)
  return { ok: true, kind, record: mapped.record, ...(location ? { location } : {}) }
}

export interface DecodedEntities {
  /** Records by kind, in arrival order. */
  batches: Map<RecordKind, unknown[]>
  rejects: EntityRejection[]
}

export function decodeNgsiEntities(entities: readonly unknown[], crs: Crs): DecodedEntities {
  const batches = new Map<RecordKind, unknown[]>()
  const rejects: EntityRejection[] = []
  for (const entity of entities) {
    const result = decodeNgsiEntity(entity, crs)
    if (!result.ok) {
      rejects.push({ kind: result.kind, code: result.code, reasons: result.reasons, raw: result.raw })
      continue
    }
    const list = batches.get(result.kind) ?? []
    list.push(result.record)
    batches.set(result.kind, list)
  }
  return { batches, rejects }
}

/**
 * The entities of a payload: an array (GET /v2/entities, /ngsi-ld/v1/entities),
 * a notification (`{ subscriptionId, data: [...] }`, v2 or LD), or one entity.
 */
export function ngsiEntities(body: unknown): unknown[] | undefined {
  if (Array.isArray(body))
    return body as unknown[]
  if (isObject(body) && Array.isArray(body.data))
    return body.data as unknown[]
  if (isObject(body) && 'type' in body && 'id' in body)
    return [body]
  return undefined
}
