import { randomUUID } from 'node:crypto'
import type { StreamEvent } from '@shared/realtime/events'
import type { StreamEventData, StreamName } from '@shared/realtime/streams'

/**
 * The numbered history of one stream: each appended event gets the next
 * sequence number; the newest `capacity` events are kept so that a client
 * that missed a few can be sent just those.
 */
export class StreamLog<S extends StreamName> {
  readonly epoch: string
  private seqValue = 0
  private readonly ring: StreamEvent<S>[] = []

  constructor(readonly stream: S, private readonly capacity: number, epoch: string = randomUUID()) {
    if (capacity < 1)
      throw new RangeError('capacity must be at least 1')
    this.epoch = epoch
  }

  get seq(): number {
    return this.seqValue
  }

  append(data: StreamEventData<S>, at: Date = new Date()): StreamEvent<S> {
    this.seqValue += 1
    const event: StreamEvent<S> = { stream: this.stream, epoch: this.epoch, seq: this.seqValue, at: at.toISOString(), data }
    this.ring.push(event)
    if (this.ring.length > this.capacity)
      this.ring.shift()
    return event
  }

  /**
   * The events after `lastSeq` of `epoch`, or null when they cannot all be
   * given (another epoch, a sequence from the future, or too old).
   */
  since(epoch: string | undefined, lastSeq: number | undefined): StreamEvent<S>[] | null {
    if (epoch !== this.epoch || lastSeq === undefined || lastSeq > this.seqValue)
      return null
    if (lastSeq === this.seqValue)
      return []
    const oldest = this.ring[0]
    if (!oldest || oldest.seq > lastSeq + 1)
      return null
    return this.ring.slice(lastSeq + 1 - oldest.seq)
  }
}
