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
  'air': (a, b) => ({ readings: byKey(a.readings, b.readings, r => r.stationId), city: b.city ?? a.city }),
  'traffic': (a, b) => ({
    segments: byKey(a.segments, b.segments, s => s.segmentId),
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

/**
 * Holds telemetry events for a tick and lets one merged event per stream
 * leave at its end, so what a client receives is bounded whatever the feed
 * rate. Incidents (and every stream not listed above) pass straight through:
 * they are never merged away or delayed.
 */
export class Coalescer {
  private readonly pending = new Map<StreamName, StreamEventData<StreamName>>()
  private readonly timer: NodeJS.Timeout | undefined

  constructor(private readonly publish: <S extends StreamName>(stream: S, data: StreamEventData<S>) => void, tickMs: number) {
    if (tickMs > 0) {
      this.timer = setInterval(() => this.flush(), tickMs)
      this.timer.unref()
    }
  }

  offer<S extends StreamName>(stream: S, data: StreamEventData<S>): void {
    if (!this.timer || !isTelemetry(stream)) {
      this.publish(stream, data)
      return
    }
    const held = this.pending.get(stream) as StreamEventData<S> | undefined
    const merge = MERGES[stream] as unknown as Merge<S>
    this.pending.set(stream, held ? merge(held, data) : data)
  }

  /** Sends what the tick holds, one event per stream. */
  flush(): void {
    const due = [...this.pending]
    this.pending.clear()
    for (const [stream, data] of due)
      this.publish(stream, data)
  }

  close(): void {
    clearInterval(this.timer)
    this.flush()
  }
}
