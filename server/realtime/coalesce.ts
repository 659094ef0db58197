import type { StreamEventData, StreamName } from '@shared/realtime/streams'

/** Latest-value streams (telemetry, feed health, KPIs): what a client needs is the newest value per entity, not every step. */
type TelemetryStream = 'air' | 'traffic' | 'halls' | 'feed-health' | 'kpis'

type Merge<S extends StreamName> = (older: StreamEventData<S>, newer: StreamEventData<S>) => StreamEventData<S>

/** Older items replaced by newer ones of the same key; order of first appearance kept. */
function byKey<T>(older: readonly T[], newer: readonly T[], key: (item: T) => string): T[] {
  const merged = new Map(older.map(item => [key(item), item]))
  for (const item of newer)
    merged.set(key(item), item)
  return [...merged.values()]
}

const MERGES: { [S in TelemetryStream]: Merge<S> } = {
  'air': (a, b) => ({ readings: byKey(a.readings, b.readings, r => r.stationId), city: b.city ?? a.city, trend: [...a.trend, ...b.trend] }),
  'traffic': (a, b) => ({
    segments: byKey(a.segments, b.segments, ([segmentId]) => segmentId),
    towns: byKey(a.towns, b.towns, t => t.townCode),
    city: b.city ?? a.city,
  }),
  'halls': (a, b) => ({ halls: byKey(a.halls, b.halls, h => h.hallId), summary: b.summary ?? a.summary }),
  'feed-health': (_a, b) => b,
  // Each event is the whole set, computed later than the one it replaces.
  'kpis': (_a, b) => b,
}

function isTelemetry(stream: StreamName): stream is TelemetryStream {
  return stream in MERGES
}

/** Sends one event of a stream, with the arrival time of its oldest input when known. */
export type Publish = <S extends StreamName>(stream: S, data: StreamEventData<S>, ingestedAt?: number) => void

interface Held { data: StreamEventData<StreamName>, ingestedAt: number | undefined }

/**
 * Holds telemetry events for a tick and lets one merged event per stream
 * leave at its end, so what a client receives is bounded whatever the feed
 * rate. Incidents (and every stream not listed above) pass straight through:
 * they are never merged away or delayed. A stream whose last event is still
 * on its way (`canSend` false: the shared log is slow or down) keeps merging
 * until it can go.
 */
export class Coalescer {
  private readonly pending = new Map<StreamName, Held>()
  private readonly timer: NodeJS.Timeout | undefined

  constructor(
    private readonly publish: Publish,
    tickMs: number,
    private readonly canSend: (stream: StreamName) => boolean = () => true,
  ) {
    if (tickMs > 0) {
      this.timer = setInterval(() => this.flush(), tickMs)
      this.timer.unref()
    }
  }

  offer<S extends StreamName>(stream: S, data: StreamEventData<S>, ingestedAt?: number): void {
    if (!this.timer || !isTelemetry(stream)) {
      this.publish(stream, data, ingestedAt)
      return
    }
    const held = this.pending.get(stream)
    const merge = MERGES[stream] as unknown as Merge<S>
    this.pending.set(stream, {
      data: held ? merge(held.data as StreamEventData<S>, data) : data,
      ingestedAt: held?.ingestedAt !== undefined && ingestedAt !== undefined ? Math.min(held.ingestedAt, ingestedAt) : (held?.ingestedAt ?? ingestedAt),
    })
  }

  /** Sends what the tick holds, one event per stream. */
  flush(): void {
    for (const [stream, held] of [...this.pending]) {
      if (!this.canSend(stream))
        continue
      this.pending.delete(stream)
      this.publish(stream, held.data, held.ingestedAt)
    }
  }

  close(): void {
    clearInterval(this.timer)
    this.flush()
  }
}
