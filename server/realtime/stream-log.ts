import { randomUUID } from 'node:crypto'
import type { StreamEvent } from '@shared/realtime/events'
import type { StreamEventData, StreamName } from '@shared/realtime/streams'

/** How an event numbered elsewhere fits the log. */
export type Accepted = 'next' | 'duplicate' | 'gap' | 'new-epoch'

/** The envelope of the `seq`-th event of a stream. */
export function envelope<S extends StreamName>(stream: S, epoch: string, seq: number, data: StreamEventData<S>, at: Date, ingestedAt?: number): StreamEvent<S> {
  return { stream, epoch, seq, at: at.toISOString(), ...(ingestedAt !== undefined ? { ingestedAt: new Date(ingestedAt).toISOString() } : {}), data }
}

/**
 * The numbered history of one stream: the newest `capacity` events, so that a
 * client that missed a few can be sent just those. Events are numbered by
 * `append` (one node) or arrive numbered from the shared log (several nodes)
 * through `accept`.
 */
export class StreamLog<S extends StreamName> {
  private epochValue: string
  private seqValue: number
  private ring: StreamEvent<S>[] = []

  constructor(readonly stream: S, private readonly capacity: number, epoch: string = randomUUID(), seq = 0) {
    if (capacity < 1)
      throw new RangeError('capacity must be at least 1')
    this.epochValue = epoch
    this.seqValue = seq
  }

  get epoch(): string {
    return this.epochValue
  }

  get seq(): number {
    return this.seqValue
  }

  append(data: StreamEventData<S>, at: Date = new Date(), ingestedAt?: number): StreamEvent<S> {
    const event = envelope(this.stream, this.epochValue, this.seqValue + 1, data, at, ingestedAt)
    this.accept(event)
    return event
  }

  /**
   * Takes an event numbered elsewhere. The next one in sequence is kept; an
   * old one is a duplicate; after a gap or in a new epoch (the shared log was
   * reset) the ring restarts at this event, so no client is ever sent a
   * replay with a hole in it.
   */
  accept(event: StreamEvent<S>): Accepted {
    let outcome: Accepted = 'next'
    if (event.epoch !== this.epochValue)
      outcome = 'new-epoch'
    else if (event.seq <= this.seqValue)
      return 'duplicate'
    else if (event.seq !== this.seqValue + 1)
      outcome = 'gap'
    if (outcome !== 'next') {
      this.ring = []
      this.epochValue = event.epoch
    }
    this.seqValue = event.seq
    this.ring.push(event)
    if (this.ring.length > this.capacity)
      this.ring.shift()
    return outcome
  }

  /**
   * The events after `lastSeq` of `epoch`, or null when they cannot all be
   * given (another epoch, a sequence from the future, or too old).
   */
  since(epoch: string | undefined, lastSeq: number | undefined): StreamEvent<S>[] | null {
    if (epoch !== this.epochValue || lastSeq === undefined || lastSeq > this.seqValue)
      return null
    if (lastSeq === this.seqValue)
      return []
    const oldest = this.ring[0]
    if (!oldest || oldest.seq > lastSeq + 1)
      return null
    return this.ring.slice(lastSeq + 1 - oldest.seq)
  }
}
