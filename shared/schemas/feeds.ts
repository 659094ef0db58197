import { z } from 'zod'
import { Instant } from './common'

/** The kinds of record a feed can carry; each has one schema. */
export const RECORD_KINDS = ['air', 'traffic', 'hall', 'incident'] as const
export const RecordKind = z.enum(RECORD_KINDS)
export type RecordKind = z.infer<typeof RecordKind>

/** Why a record was rejected: a dead-letter reason code (reliability.md §3.2). */
export const REJECT_CODES = ['schema', 'parse', 'unknown_entity', 'too_large', 'too_late', 'future', 'unsupported'] as const
export const RejectCode = z.enum(REJECT_CODES)
export type RejectCode = z.infer<typeof RejectCode>

/** One problem with a record: where (path), what (zod issue code or ours) and a message. */
export const RejectReason = z.object({
  path: z.string(),
  code: z.string(),
  message: z.string(),
})
export type RejectReason = z.infer<typeof RejectReason>

/** A dead-letter row, as GET /api/ingest/rejects lists it. */
export const RejectedRecord = z.object({
  id: z.number().int(),
  source: z.string(),
  kind: RecordKind.nullable(),
  code: RejectCode,
  receivedAt: Instant,
  reasons: z.array(RejectReason),
  /** The record as received, cut to a few KB. */
  raw: z.string(),
  rawSha256: z.string(),
})
export type RejectedRecord = z.infer<typeof RejectedRecord>

/**
 * up: records arrive and are good; degraded: records arrive but many are
 * rejected, or the connection is retrying; down: the connection failed;
 * stale: connected but nothing arrived for longer than the feed's threshold.
 */
export const FeedStatus = z.enum(['up', 'degraded', 'down', 'stale'])
export type FeedStatus = z.infer<typeof FeedStatus>

export const FeedHealth = z.object({
  id: z.string(),
  /** The adapter kind: simulator, http-pull, webhook, mqtt, ngsi, open311. */
  adapter: z.string(),
  status: FeedStatus,
  /** Why the status is not `up`, in words. */
  detail: z.string().nullable(),
  /** Server time the last record arrived. */
  lastRecordAt: Instant.nullable(),
  /** Records and rejects per second over the last minute. */
  recordsPerSec: z.number().nonnegative(),
  rejectsPerSec: z.number().nonnegative(),
  /** Arrival time minus observation time of the last accepted record, seconds. */
  lagS: z.number().nullable(),
  totals: z.object({
    received: z.number().int().nonnegative(),
    accepted: z.number().int().nonnegative(),
    rejected: z.number().int().nonnegative(),
    duplicates: z.number().int().nonnegative(),
    late: z.number().int().nonnegative(),
    coalesced: z.number().int().nonnegative(),
  }),
})
export type FeedHealth = z.infer<typeof FeedHealth>
