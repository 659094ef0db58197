import type { RecordKind, RejectCode, RejectReason } from '@shared/schemas/feeds'

/** Records of one kind as an adapter received them, in our field names but not yet trusted. */
export interface RawBatch {
  /** The feed that produced the batch: its configured id, e.g. `simulator` or `dg-ngsi`. */
  source: string
  kind: RecordKind
  records: unknown[]
}

/** What ingest did with a batch. */
export interface BatchReceipt {
  /** Passed validation and de-duplication: applied to the live state or queued for it. */
  accepted: number
  /** Failed validation; each is in the dead-letter table with its reasons. */
  rejected: number
  /** The same (source, entity, observation time or version) was seen before. */
  duplicates: number
  /** Older than the held state: kept for history, did not change the live state. */
  late: number
}

/** A payload that could not be turned into records at all (not JSON, an unsupported entity type, a bad envelope). */
export interface RawRejection {
  source: string
  kind: RecordKind | null
  code: RejectCode
  reasons: RejectReason[]
  raw: unknown
}

export interface FeedSink {
  /**
   * Hands a batch to ingest. Resolves once the batch is accepted: its rejects
   * are in the dead-letter table, its incidents are stored, its telemetry is
   * in the live state's queue. Adapters acknowledge upstream only then.
   */
  push: (batch: RawBatch) => Promise<BatchReceipt>
  /** Keeps an undecodable payload in the dead-letter table, with why. */
  reject: (rejection: RawRejection) => Promise<void>
}

/** How an adapter's connection is; feed health combines it with what arrives. */
export type ConnectionState = 'connecting' | 'connected' | 'retrying' | 'failed'

export interface FeedContext {
  sink: FeedSink
  /** Aborts when the server stops: close connections, clear timers. */
  signal: AbortSignal
  setConnection: (state: ConnectionState, detail?: string) => void
  log: (message: string) => void
}

export type AdapterKind = 'simulator' | 'http-pull' | 'webhook' | 'mqtt' | 'ngsi' | 'open311'

/** An HTTP request pushed to /api/feeds/<id>, as the http layer hands it over. */
export interface PushRequest {
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>
  /** The body exactly as received (signatures are computed over these bytes). */
  body: Buffer
  /** Server receive time, epoch ms. */
  receivedAt: number
}

export interface PushResponse {
  status: number
  body: unknown
  headers?: Record<string, string>
}

/**
 * One source of city data. Every adapter, the built-in simulator included,
 * hands raw batches to the sink the same way, and stops when the signal aborts.
 */
export interface FeedAdapter {
  readonly id: string
  readonly adapter: AdapterKind
  /** Starts receiving. May resolve before the first record; failures go to setConnection, not to the caller. */
  start: (ctx: FeedContext) => void | Promise<void>
  /** Push adapters (webhook, ngsi) only: answers an HTTP request delivered to /api/feeds/<id>. */
  receive?: (request: PushRequest) => Promise<PushResponse>
}
