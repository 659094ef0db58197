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
 * Lets at most one event per telemetry stream leave per tick, with the
 * newest value of every entity, so what a client receives is bounded
 * whatever the feed rate. A stream that was quiet for a whole tick sends at
 * once (its news need not wait out a tick); what arrives after that is
 * merged and leaves when the tick that began with the last event ends.
 * Incidents (and every stream not listed above) pass straight through: they
 * are never merged away or delayed. A stream whose last event is still on
 * its way (`canSend` false: the shared log is slow or down) keeps merging
 * until it can go.
 */
export class Coalescer {
  private readonly pending = new Map<StreamName, Held>()
  private readonly lastSent = new Map<StreamName, number>()
  private readonly timers = new Map<StreamName, NodeJS.Timeout>()

  constructor(
    private readonly publish: Publish,
    private readonly tickMs: number,
    private readonly canSend: (stream: StreamName) => boolean = () => true,
  ) {}

  offer<S extends StreamName>(stream: S, data: StreamEventData<S>, ingestedAt?: number): void {
    if (this.tickMs <= 0 || !isTelemetry(stream)) {
      this.publish(stream, data, ingestedAt)
      return
    }
    const held = this.pending.get(stream)
    const merge = MERGES[stream] as unknown as Merge<S>
    this.pending.set(stream, {
      data: held ? merge(held.data as StreamEventData<S>, data) : data,
      ingestedAt: held?.ingestedAt !== undefined && ingestedAt !== undefined ? Math.min(held.ingestedAt, ingestedAt) : (held?.ingestedAt ?? ingestedAt),
    })
    this.trySend(stream)
  }

  /** Sends everything held now, one event per stream (closing, tests). */
  flush(): void {
    for (const stream of [...this.pending.keys()]) {
      clearTimeout(this.timers.get(stream))
      this.timers.delete(stream)
      this.send(stream)
    }
  }

  close(): void {
    this.flush()
  }

  /** Sends the stream's held event if its tick is over and the way is free; otherwise comes back when it may be. */
  private trySend(stream: StreamName): void {
    if (!this.pending.has(stream) || this.timers.has(stream))
      return
    const wait = (this.lastSent.get(stream) ?? Number.NEGATIVE_INFINITY) + this.tickMs - Date.now()
    if (wait <= 0 && this.canSend(stream)) {
      this.send(stream)
      return
    }
    const timer = setTimeout(() => {
      this.timers.delete(stream)
      this.trySend(stream)
    }, wait > 0 ? wait : this.tickMs)
    timer.unref()
    this.timers.set(stream, timer)
  }

  private send(stream: StreamName): void {
    const held = this.pending.get(stream)
    if (!held)
      return
    this.pending.delete(stream)
    this.lastSent.set(stream, Date.now())
    this.publish(stream, held.data, held.ingestedAt)
  }
}
