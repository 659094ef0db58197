import { z } from 'zod'
import { RecordKind } from '@shared/schemas/feeds'
import type { RejectReason } from '@shared/schemas/feeds'
import { reason } from '@server/ingest/validate'

export type Decoded<T> = { ok: true, value: T } | { ok: false, reasons: RejectReason[] }

/** JSON text (or bytes) to a value; a parse failure names the position the parser gave. */
export function parseJson(text: string | Buffer): Decoded<unknown> {
  try {
    return { ok: true, value: JSON.parse(typeof text === 'string' ? text : text.toString('utf8')) as unknown }
  }
  catch (error) {
    return { ok: false, reasons: [reason('(body)', 'invalid_json', (error as Error).message)] }
  }
}

/**
 * Our own record format as a pull or MQTT feed sends it: one record, an
 * array of records, or `{ records: [...] }`. The records themselves are not
 * looked at here: ingest validates each one.
 */
export function nativeRecords(body: unknown): Decoded<unknown[]> {
  if (Array.isArray(body))
    return { ok: true, value: body }
  if (typeof body === 'object' && body !== null) {
    const { records } = body as { records?: unknown }
    if (records === undefined)
      return { ok: true, value: [body] }
    if (Array.isArray(records))
      return { ok: true, value: records }
    return { ok: false, reasons: [reason('records', 'invalid_type', 'records must be an array')] }
  }
  return { ok: false, reasons: [reason('(body)', 'invalid_type', 'expected a record, an array of records or { records: [...] }')] }
}

/** A pushed batch: every record of one kind. Unknown keys are refused, so a misspelt field is not lost silently. */
export const PushEnvelope = z.strictObject({
  kind: RecordKind,
  records: z.array(z.unknown()).max(10_000),
})
export type PushEnvelope = z.infer<typeof PushEnvelope>

export function parseEnvelope(body: unknown): Decoded<PushEnvelope> {
  const result = PushEnvelope.safeParse(body)
  if (result.success)
    return { ok: true, value: result.data }
  return {
    ok: false,
    reasons: result.error.issues.slice(0, 20).map(issue =>
      reason(issue.path.map(String).join('.') || '(envelope)', issue.code, issue.message)),
  }
}

/** The kind an envelope names, when it names a valid one: a rejected envelope is filed under it. */
export function envelopeKind(body: unknown): RecordKind | null {
  const kind = typeof body === 'object' && body !== null ? (body as { kind?: unknown }).kind : undefined
  const parsed = RecordKind.safeParse(kind)
  return parsed.success ? parsed.data : null
}
