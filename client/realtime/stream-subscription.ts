import type { StreamChecksum, StreamEvent, SubscribeResult } from '@shared/realtime/events'
import { StreamMirror } from '@shared/realtime/mirror'
import type { StreamView } from '@shared/realtime/mirror'
import type { StreamEventData, StreamName, StreamSnapshot } from '@shared/realtime/streams'
import type { IocSocket } from './socket'

/** How long a subscribe may take before it is tried again. */
const SUBSCRIBE_TIMEOUT_MS = 10_000
/** The pause before a failed subscribe is tried again. */
const SUBSCRIBE_RETRY_MS = 1000

export interface StreamHandlers<S extends StreamName> {
  snapshot: (snapshot: StreamSnapshot<S>) => void
  event: (data: StreamEventData<S>) => void
  /** A resync was needed: a gap, another epoch, a checksum that disagreed, or a failed subscribe. */
  resynced?: (reason: string) => void
  /** The server answered a subscribe: the stream is flowing on this connection. */
  subscribed?: (mode: SubscribeResult['mode']) => void
}

/**
 * Keeps one stream in step with the server: subscribes with the last sequence
 * it holds, applies the missed events or the snapshot it gets back, then
 * applies live events in order. A gap in the numbering, or a new epoch, makes
 * it subscribe again; events that arrive while a subscribe is in flight are
 * already covered by its answer and are dropped. It folds what it applies
 * into a mirror (shared/realtime/mirror.ts) whose digest it compares with the
 * server's periodic checksum: a difference at the same sequence means the
 * state diverged without a visible gap, and a fresh snapshot repairs it.
 */
export class StreamSubscription<S extends StreamName> {
  private epoch: string | undefined
  private lastSeq: number | undefined
  private inFlight = false
  /** Bumped when the connection drops: an answer to a subscribe sent before that is ignored. */
  private generation = 0
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private mirror: StreamMirror<S> | undefined

  constructor(
    private readonly socket: IocSocket,
    readonly stream: S,
    private readonly handlers: StreamHandlers<S>,
    /** A town screen's slice of the stream (server/realtime/town-slice.ts); the whole city when absent. */
    readonly town?: string,
  ) {}

  /** The position held, for diagnostics and tests. */
  get position(): { epoch: string | undefined, seq: number | undefined } {
    return { epoch: this.epoch, seq: this.lastSeq }
  }

  /** The stream's state as folded so far (undefined before the first snapshot); see StreamViews. */
  view(): StreamView<S> | undefined {
    return this.mirror?.view()
  }

  subscribe(): void {
    if (this.inFlight || !this.socket.connected)
      return
    this.inFlight = true
    clearTimeout(this.retryTimer)
    const generation = this.generation
    const request = {
      stream: this.stream,
      ...(this.town !== undefined ? { town: this.town } : {}),
      ...(this.epoch !== undefined && this.lastSeq !== undefined ? { epoch: this.epoch, lastSeq: this.lastSeq } : {}),
    }
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
    this.mirror?.apply(event.data)
    this.handlers.event(event.data)
  }

  /**
   * The server's digest of the stream at a sequence. Only a checksum at the
   * sequence held can be compared; one that disagrees throws the position
   * away, so the next subscribe brings a snapshot (and the expected sequence
   * with it: a resync that kept the old one would loop).
   */
  verify(checksum: StreamChecksum): boolean {
    if (checksum.stream !== this.stream || checksum.town !== this.town || this.inFlight || !this.mirror)
      return true
    if (checksum.epoch !== this.epoch || checksum.seq !== this.lastSeq)
      return true
    if (this.mirror.digest() === checksum.digest)
      return true
    this.handlers.resynced?.(`checksum mismatch at ${checksum.seq}`)
    this.epoch = undefined
    this.lastSeq = undefined
    this.subscribe()
    return false
  }

  private applyResult(result: SubscribeResult<S>): void {
    this.epoch = result.epoch
    if (result.mode === 'snapshot') {
      this.mirror = new StreamMirror(this.stream, result.snapshot)
      this.handlers.snapshot(result.snapshot)
    }
    else {
      for (const event of result.events) {
        if (this.lastSeq === undefined || event.seq > this.lastSeq) {
          this.mirror?.apply(event.data)
          this.handlers.event(event.data)
        }
      }
    }
    this.lastSeq = result.seq
    this.handlers.subscribed?.(result.mode)
  }
}
