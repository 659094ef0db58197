import type { StreamEvent, SubscribeResult } from '@shared/realtime/events'
import type { StreamEventData, StreamName, StreamSnapshot } from '@shared/realtime/streams'
import type { IocSocket } from './socket'

/** How long a subscribe may take before it is tried again. */
const SUBSCRIBE_TIMEOUT_MS = 10_000
/** The pause before a failed subscribe is tried again. */
const SUBSCRIBE_RETRY_MS = 1000

export interface StreamHandlers<S extends StreamName> {
  snapshot: (snapshot: StreamSnapshot<S>) => void
  event: (data: StreamEventData<S>) => void
  /** A resync was needed: a gap, another epoch, or a failed subscribe. */
  resynced?: (reason: string) => void
  /** The server answered a subscribe: the stream is flowing on this connection. */
  subscribed?: (mode: SubscribeResult['mode']) => void
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
  /** Bumped when the connection drops: an answer to a subscribe sent before that is ignored. */
  private generation = 0
  private retryTimer: ReturnType<typeof setTimeout> | undefined

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
    clearTimeout(this.retryTimer)
    const generation = this.generation
    const request = { stream: this.stream, ...(this.epoch !== undefined && this.lastSeq !== undefined ? { epoch: this.epoch, lastSeq: this.lastSeq } : {}) }
    this.socket.timeout(SUBSCRIBE_TIMEOUT_MS).emit('stream:subscribe', request, (err, ack) => {
      if (generation !== this.generation)
        return
      this.inFlight = false
      if (err || !ack.ok) {
        this.handlers.resynced?.(err ? 'subscribe timed out' : `subscribe refused: ${ack.ok ? '' : ack.error}`)
        if (this.socket.connected)
          this.retryTimer = setTimeout(() => this.subscribe(), SUBSCRIBE_RETRY_MS)
        return
      }
      this.applyResult(ack.data as SubscribeResult<S>)
    })
  }

  /**
   * The connection dropped. A subscribe still in flight will never be answered
   * on the new connection; forget it, so the next connect subscribes at once
   * instead of waiting out its timeout.
   */
  connectionLost(): void {
    this.generation += 1
    this.inFlight = false
    clearTimeout(this.retryTimer)
  }

  /** Stops the retry timer for good (the realtime module's undo). */
  close(): void {
    this.connectionLost()
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
    this.handlers.subscribed?.(result.mode)
  }
}
