import type { StreamEvent, SubscribeResult } from '@shared/realtime/events'
import type { StreamEventData, StreamName, StreamSnapshot } from '@shared/realtime/streams'
import type { IocSocket } from './socket'

/** How long a subscribe may take before it is tried again. */
const SUBSCRIBE_TIMEOUT_MS = 10_000

export interface StreamHandlers<S extends StreamName> {
  snapshot: (snapshot: StreamSnapshot<S>) => void
  event: (data: StreamEventData<S>) => void
  /** A resync was needed: a gap, another epoch, or a failed subscribe. */
  resynced?: (reason: string) => void
}

/**
 * Keeps one stream in step with the server: subscribes with the last sequence
 * it holds, applies the missed events or the snapshot it gets back, then
 * applies live events in order. A gap in the numbering, or a new epoch, makes
 * it subscribe again; events that arrive while a subscribe is in flight are
 * already covered by its answer and are dropped.
 */
export class StreamSubscription<S extends StreamName> {
  private epoch: string | undefined
  private lastSeq: number | undefined
  private inFlight = false

  constructor(
    private readonly socket: IocSocket,
    readonly stream: S,
    private readonly handlers: StreamHandlers<S>,
  ) {}

  /** The position held, for diagnostics and tests. */
  get position(): { epoch: string | undefined, seq: number | undefined } {
    return { epoch: this.epoch, seq: this.lastSeq }
  }

  subscribe(): void {
    if (this.inFlight || !this.socket.connected)
      return
    this.inFlight = true
    const request = { stream: this.stream, ...(this.epoch !== undefined && this.lastSeq !== undefined ? { epoch: this.epoch, lastSeq: this.lastSeq } : {}) }
    this.socket.timeout(SUBSCRIBE_TIMEOUT_MS).emit('stream:subscribe', request, (err, ack) => {
      this.inFlight = false
      if (err || !ack.ok) {
        this.handlers.resynced?.(err ? 'subscribe timed out' : `subscribe refused: ${ack.ok ? '' : ack.error}`)
        if (this.socket.connected)
          setTimeout(() => this.subscribe(), 1000)
        return
      }
      this.applyResult(ack.data as SubscribeResult<S>)
    })
  }

  /** A live event from the socket, for this stream. */
  receive(event: StreamEvent<S>): void {
    if (this.inFlight)
      return
    if (event.epoch === this.epoch && this.lastSeq !== undefined && event.seq <= this.lastSeq)
      return // already applied
    if (event.epoch !== this.epoch || this.lastSeq === undefined || event.seq !== this.lastSeq + 1) {
      this.handlers.resynced?.(event.epoch !== this.epoch ? 'server restarted' : `gap after ${this.lastSeq ?? '-'} (got ${event.seq})`)
      this.subscribe()
      return
    }
    this.lastSeq = event.seq
    this.handlers.event(event.data)
  }

  private applyResult(result: SubscribeResult<S>): void {
    this.epoch = result.epoch
    if (result.mode === 'snapshot') {
      this.handlers.snapshot(result.snapshot)
    }
    else {
      for (const event of result.events) {
        if (this.lastSeq === undefined || event.seq > this.lastSeq)
          this.handlers.event(event.data)
      }
    }
    this.lastSeq = result.seq
  }
}
