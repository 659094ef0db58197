import { createHash } from 'node:crypto'
import type { z } from 'zod'
import type { RecordKind, RejectCode, RejectReason } from '@shared/schemas/feeds'
import type { NewRejection } from '@server/store/repositories'

/** A raw copy of a rejected record is kept up to this size. */
export const REJECT_RAW_MAX_CHARS = 4096
/** …and each reason's path and message up to this size: zod quotes unknown keys, which the sender chose. */
export const REJECT_REASON_MAX_CHARS = 256
/** A record with more problems than this is described by its first ones. */
const MAX_REASONS = 20

function capped(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}

/**
 * Control characters would let a sender forge lines in logs and screens that
 * show the reason (ASVS 16.4.1); they are shown escaped.
 */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

export function reason(path: string, code: string, message: string): RejectReason {
  return {
    path: capped(printable(path), REJECT_REASON_MAX_CHARS),
    code,
    message: capped(printable(message), REJECT_REASON_MAX_CHARS),
  }
}

export type Validated<T> = { ok: true, value: T } | { ok: false, reasons: RejectReason[] }

/** Parses one untrusted record; on failure, the reasons name the path and zod code of each problem. */
export function validateRecord<T>(schema: z.ZodType<T, unknown>, record: unknown): Validated<T> {
  const result = schema.safeParse(record)
  if (result.success)
    return { ok: true, value: result.data }
  return {
    ok: false,
    reasons: result.error.issues.slice(0, MAX_REASONS).map(issue =>
      reason(issue.path.map(String).join('.') || '(record)', issue.code, issue.message)),
  }
}

/** The whole payload as text; never throws (cycles, BigInt, NaN, deep nesting). */
function rawText(record: unknown): string {
  if (typeof record === 'string')
    return record
  if (Buffer.isBuffer(record))
    return record.toString('utf8')
  try {
    return JSON.stringify(record, (_key, value: unknown) => {
      if (typeof value === 'number' && !Number.isFinite(value))
        return String(value)
      return typeof value === 'bigint' ? value.toString() : value
    }) ?? String(record)
  }
  catch {
    try {
      return String(record)
    }
    catch {
      return '(unprintable)'
    }
  }
}

/** A printable, size-capped copy of whatever arrived; never throws. */
export function rawCopy(record: unknown): string {
  return capped(rawText(record), REJECT_RAW_MAX_CHARS)
}

/** A dead-letter row for a record: the reasons, a capped copy and the hash of the whole. */
export function rejection(source: string, kind: RecordKind | null, code: RejectCode, reasons: RejectReason[], raw: unknown, receivedAt: string): NewRejection {
  const text = rawText(raw)
  return {
    source,
    kind,
    code,
    receivedAt,
    reasons,
    raw: capped(text, REJECT_RAW_MAX_CHARS),
    rawSha256: createHash('sha256').update(text).digest('hex'),
  }
}
