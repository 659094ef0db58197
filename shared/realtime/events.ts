import type { Principal } from '@shared/auth/policy'
import { z } from 'zod'
import { TownCode } from '../schemas/common'
import type { StreamEventData, StreamSnapshot } from './streams'
import { STREAM_SCHEMAS, StreamName } from './streams'

/**
 * The socket.io contract. Every change a client must see is an event on a
 * named stream with a sequence number that rises by one per event. `epoch`
 * changes when the server's numbering restarts (a restart of the process), so
 * a client never mistakes an old number for a current one.
 */
export interface StreamEvent<S extends StreamName = StreamName> {
  stream: S
  epoch: string
  seq: number
  /** Server time of publication, ISO 8601. */
  at: string
  /**
   * Server time the oldest input behind this event arrived (a feed batch,
   * a push), ISO 8601; absent for derived streams. `at` minus this is the
   * time spent inside the server, the tick wait included.
   */
  ingestedAt?: string
  data: StreamEventData<S>
}
export type AnyStreamEvent = { [S in StreamName]: StreamEvent<S> }[StreamName]

export const SubscribeRequest = z.strictObject({
  stream: StreamName,
  /** The epoch and last sequence the client holds; absent on a first subscribe. */
  epoch: z.string().max(64).optional(),
  lastSeq: z.number().int().nonnegative().optional(),
  /** A town screen's slice: only that town's entities, with the city-wide figures as context. */
  town: TownCode.optional(),
})
export type SubscribeRequest = z.infer<typeof SubscribeRequest>

export const UnsubscribeRequest = z.strictObject({ stream: StreamName, town: TownCode.optional() })
export type UnsubscribeRequest = z.infer<typeof UnsubscribeRequest>

/**
 * The answer to a subscribe: the events after `lastSeq` when the server still
 * has them all, otherwise a snapshot taken at `seq`.
 */
export type SubscribeResult<S extends StreamName = StreamName> =
  | { stream: S, epoch: string, mode: 'events', seq: number, events: StreamEvent<S>[] }
  | { stream: S, epoch: string, mode: 'snapshot', seq: number, snapshot: StreamSnapshot<S> }

export type Ack<T> = { ok: true, data: T } | { ok: false, error: string }

/**
 * Sent now and then on each stream: the digest of the state the events up to
 * `seq` build (shared/realtime/mirror.ts). A client at the same sequence with
 * another digest has diverged silently and subscribes afresh.
 */
export interface StreamChecksum {
  stream: StreamName
  town?: string
  epoch: string
  seq: number
  digest: string
}

export interface ServerToClientEvents {
  'stream:published': (event: AnyStreamEvent) => void
  'stream:checksum': (checksum: StreamChecksum) => void
}

export interface ClientToServerEvents {
  'stream:subscribe': (request: SubscribeRequest, ack: (result: Ack<SubscribeResult>) => void) => void
  'stream:unsubscribe': (request: UnsubscribeRequest, ack: (result: Ack<null>) => void) => void
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- nodes never talk through socket.io: each reads the shared stream log
export interface InterServerEvents {}

export interface SocketData {
  connectedAt: number
  /** Who opened the socket (its handshake ticket's session), and that session's id. */
  principal: Principal
  sessionId: string
}

/** The socket.io room of a stream, or of one town's slice of it. */
export function streamRoom(stream: StreamName, town?: string): string {
  return town ? `stream:${stream}:town:${town}` : `stream:${stream}`
}

/**
 * Runtime schemas of the envelopes above, for the places that check what
 * crosses the wire (tests, tools). The generic interfaces give the same shape
 * to the type checker per stream.
 */
const Envelope = {
  epoch: z.string().min(1),
  seq: z.number().int().nonnegative(),
  at: z.iso.datetime({ offset: true }),
  ingestedAt: z.iso.datetime({ offset: true }).optional(),
}
const eventSchema = <S extends StreamName, D extends z.ZodType>(stream: S, data: D) =>
  z.object({ stream: z.literal(stream), ...Envelope, data })
const snapshotResultSchema = <S extends StreamName, D extends z.ZodType>(stream: S, snapshot: D) =>
  z.object({ stream: z.literal(stream), epoch: z.string(), mode: z.literal('snapshot'), seq: z.number().int(), snapshot })

export const StreamEventSchema = z.discriminatedUnion('stream', [
  eventSchema('air', STREAM_SCHEMAS.air.event),
  eventSchema('traffic', STREAM_SCHEMAS.traffic.event),
  eventSchema('halls', STREAM_SCHEMAS.halls.event),
  eventSchema('incidents', STREAM_SCHEMAS.incidents.event),
  eventSchema('alerts', STREAM_SCHEMAS.alerts.event),
  eventSchema('feed-health', STREAM_SCHEMAS['feed-health'].event),
  eventSchema('kpis', STREAM_SCHEMAS.kpis.event),
])
export const SubscribeResultSchema = z.union([
  z.object({ stream: StreamName, epoch: z.string(), mode: z.literal('events'), seq: z.number().int(), events: z.array(StreamEventSchema) }),
  snapshotResultSchema('air', STREAM_SCHEMAS.air.snapshot),
  snapshotResultSchema('traffic', STREAM_SCHEMAS.traffic.snapshot),
  snapshotResultSchema('halls', STREAM_SCHEMAS.halls.snapshot),
  snapshotResultSchema('incidents', STREAM_SCHEMAS.incidents.snapshot),
  snapshotResultSchema('alerts', STREAM_SCHEMAS.alerts.snapshot),
  snapshotResultSchema('feed-health', STREAM_SCHEMAS['feed-health'].snapshot),
  snapshotResultSchema('kpis', STREAM_SCHEMAS.kpis.snapshot),
])
