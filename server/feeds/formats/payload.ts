import type { RecordKind } from '@shared/schemas/feeds'
import { reason } from '@server/ingest/validate'
import type { Crs, PayloadFormat } from '../config'
import type { BatchReceipt, FeedSink } from '../types'
import { nativeRecords, parseJson } from './native'
import type { DecodedEntities, EntityRejection } from './ngsi'
import { decodeNgsiEntities, ngsiEntities } from './ngsi'

export interface PayloadOptions {
  format: PayloadFormat
  /** The kind of native records; NGSI entities bring their own. */
  kind?: RecordKind
  crs: Crs
}

/** A parsed body in a feed's format as records by kind, plus what could not be decoded. */
export function decodeBody(body: unknown, options: PayloadOptions): DecodedEntities {
  const kind = options.kind ?? null
  if (options.format === 'native') {
    const records = nativeRecords(body)
    if (!records.ok)
      return { batches: new Map(), rejects: [{ kind, code: 'schema', reasons: records.reasons, raw: body }] }
    if (!options.kind)
      return { batches: new Map(), rejects: [{ kind, code: 'unsupported', reasons: [reason('(feed)', 'no_kind', 'native records need the feed to name their kind')], raw: body }] }
    return { batches: new Map(records.value.length ? [[options.kind, records.value]] : []), rejects: [] }
  }
  const entities = ngsiEntities(body)
  if (!entities) {
    const why = 'expected an array of NGSI entities, a notification { data: [...] } or one entity'
    return { batches: new Map(), rejects: [{ kind, code: 'schema', reasons: [reason('(body)', 'invalid_type', why)], raw: body }] }
  }
  return decodeNgsiEntities(entities, options.crs)
}

/** Raw bytes or text in a feed's format; invalid JSON is one `parse` reject of the whole text. */
export function decodeText(text: string | Buffer, options: PayloadOptions): DecodedEntities {
  const parsed = parseJson(text)
  if (!parsed.ok) {
    const raw = typeof text === 'string' ? text : text.toString('utf8')
    return { batches: new Map(), rejects: [{ kind: options.kind ?? null, code: 'parse', reasons: parsed.reasons, raw }] }
  }
  return decodeBody(parsed.value, options)
}

export const EMPTY_RECEIPT: BatchReceipt = Object.freeze({ accepted: 0, rejected: 0, duplicates: 0, late: 0 })

/**
 * Hands decoded records and undecodable payloads to ingest; resolves once
 * ingest has accepted all of them, so the caller may acknowledge upstream.
 * Rejects when any push or reject does: then nothing may be acknowledged.
 */
export async function deliver(sink: FeedSink, source: string, decoded: DecodedEntities): Promise<BatchReceipt> {
  await Promise.all(decoded.rejects.map((r: EntityRejection) => sink.reject({ source, ...r })))
  const total = { ...EMPTY_RECEIPT }
  for (const [kind, records] of decoded.batches) {
    const receipt = await sink.push({ source, kind, records })
    total.accepted += receipt.accepted
    total.rejected += receipt.rejected
    total.duplicates += receipt.duplicates
    total.late += receipt.late
  }
  return total
}
