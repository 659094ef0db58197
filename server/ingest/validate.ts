import type { z } from 'zod'
import type { RejectReason } from '@server/store/repositories'

/** A raw copy of a rejected record is kept up to this size. */
export const REJECT_RAW_MAX_CHARS = 4096
/** …and each reason's path and message up to this size: zod quotes unknown keys, which the sender chose. */
export const REJECT_REASON_MAX_CHARS = 256

function capped(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}

export type Validated<T> = { ok: true, value: T } | { ok: false, reasons: RejectReason[] }

/** Parses one untrusted record; on failure, the reasons name the path and zod code of each problem. */
export function validateRecord<T>(schema: z.ZodType<T>, record: unknown): Validated<T> {
  const result = schema.safeParse(record)
  if (result.success)
    return { ok: true, value: result.data }
  return {
    ok: false,
    reasons: result.error.issues.slice(0, 20).map(issue => ({
      path: capped(issue.path.map(String).join('.') || '(record)', REJECT_REASON_MAX_CHARS),
      code: issue.code,
      message: capped(issue.message, REJECT_REASON_MAX_CHARS),
    })),
  }
}

/** A printable, size-capped copy of whatever arrived; never throws. */
export function rawCopy(record: unknown): string {
  let text: string
  try {
    text = JSON.stringify(record, (_key, value: unknown) => {
      if (typeof value === 'number' && !Number.isFinite(value))
        return String(value)
      return typeof value === 'bigint' ? value.toString() : value
    }) ?? String(record)
  }
  catch {
    text = String(record)
  }
  return capped(text, REJECT_RAW_MAX_CHARS)
}
