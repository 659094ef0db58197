import { randomUUID } from 'node:crypto'
import type { AnyStreamEvent, StreamEvent } from '@shared/realtime/events'
import type { StreamEventData, StreamName } from '@shared/realtime/streams'
import { StreamName as StreamNames } from '@shared/realtime/streams'
import { envelope } from './stream-log'

/** Where a stream's numbering stands. */
export interface StreamPosition {
  epoch: string
  seq: number
}

/**
 * Numbers stream events and delivers them, in order per stream, to every
 * node's gateway. One node: in process. Several nodes: a shared log that
 * every node reads (server/cluster/redis-transport.ts), so a client may come
 * back on any node with the sequence it holds.
 */
export interface StreamTransport {
  /** Where each stream stands now, and the newest events before that (for replays and whole-set streams). */
  positions: (recent: number) => Promise<{ [S in StreamName]: StreamPosition & { recent: StreamEvent<S>[] } }>
  /** Delivers every event published after the positions read, this node's own included. */
  start: (deliver: (event: AnyStreamEvent) => void) => Promise<void>
  /** Numbers and appends one event; resolves once it is in the log every node reads. */
  publish: <S extends StreamName>(stream: S, data: StreamEventData<S>, ingestedAt?: number) => Promise<void>
  close: () => Promise<void>
}

/** One node: numbers in process (a fresh epoch per run) and delivers at once. */
export function localTransport(): StreamTransport {
  const epoch = randomUUID()
  const seqs = new Map<StreamName, number>()
  let deliver: ((event: AnyStreamEvent) => void) | undefined
  return {
    positions: () => Promise.resolve(Object.fromEntries(StreamNames.options.map(s => [s, { epoch, seq: 0, recent: [] }])) as unknown as Awaited<ReturnType<StreamTransport['positions']>>),
    start: (d) => {
      deliver = d
      return Promise.resolve()
    },
    publish: (stream, data, ingestedAt) => {
      const seq = (seqs.get(stream) ?? 0) + 1
      seqs.set(stream, seq)
      deliver?.(envelope(stream, epoch, seq, data, new Date(), ingestedAt) as AnyStreamEvent)
      return Promise.resolve()
    },
    close: () => {
      deliver = undefined
      return Promise.resolve()
    },
  }
}
