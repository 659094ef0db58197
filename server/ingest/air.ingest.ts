import { AirObservation } from '@shared/schemas/air'
import type { RawBatch } from '@server/feeds/types'
import type { RejectReason } from '@server/store/repositories'
import { rawCopy, validateRecord } from './validate'

export interface Rejection { source: string, receivedAt: string, reasons: RejectReason[], raw: string }

export interface ValidatedAirBatch {
  observations: AirObservation[]
  rejections: Rejection[]
}

/**
 * Splits a raw air batch into valid observations of known stations and
 * rejections with their reasons. Never throws on bad input.
 */
export function validateAirBatch(batch: RawBatch, knownStations: ReadonlySet<string>, now: Date = new Date()): ValidatedAirBatch {
  const observations: AirObservation[] = []
  const rejections: Rejection[] = []
  const receivedAt = now.toISOString()
  for (const record of batch.records) {
    const result = validateRecord(AirObservation, record)
    let reasons: RejectReason[] | undefined
    if (!result.ok)
      reasons = result.reasons
    else if (!knownStations.has(result.value.stationId))
      reasons = [{ path: 'stationId', code: 'unknown_station', message: `no station ${result.value.stationId} in the city model` }]
    if (reasons)
      rejections.push({ source: batch.source, receivedAt, reasons, raw: rawCopy(record) })
    else if (result.ok)
      // One form for every instant inside the system: UTC, so that instants order as text.
      observations.push({ ...result.value, observedAt: new Date(result.value.observedAt).toISOString() })
  }
  return { observations, rejections }
}
