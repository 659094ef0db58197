/** What an adapter hands to the ingest pipeline: records as received, not yet trusted. */
export interface RawBatch {
  /** The feed that produced the batch, e.g. `simulator`. */
  source: string
  kind: 'air'
  records: unknown[]
}

export type FeedSink = (batch: RawBatch) => void

/**
 * One source of city data. Every adapter, the built-in simulator included,
 * produces raw batches the same way; it stops when the signal aborts.
 */
export interface FeedAdapter {
  id: string
  start: (sink: FeedSink, signal: AbortSignal) => void
}
