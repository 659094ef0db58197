import type { Server as HttpServer } from 'node:http'
import { Server } from 'socket.io'
import type { Socket } from 'socket.io'
import type { z } from 'zod'
import type {
  Ack,
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
  SubscribeResult,
} from '@shared/realtime/events'
import { streamRoom, SubscribeRequest, UnsubscribeRequest } from '@shared/realtime/events'
import type { StreamEventData, StreamName, StreamSnapshot } from '@shared/realtime/streams'
import type { DomainBus, DomainEvents } from '@server/bus'
import { Coalescer } from './coalesce'
import { StreamLog } from './stream-log'

/** Events kept per stream for clients that come back after a short break. */
const STREAM_LOG_CAPACITY = 500
/**
 * Each KPI event is the whole set: a client that missed more than one is
 * better served by a snapshot (one set) than by a replay of sets it would
 * overwrite.
 */
const KPI_LOG_CAPACITY = 1
/** Nothing a client sends is bigger than this. */
const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>

export type SnapshotSources = { [S in StreamName]: () => StreamSnapshot<S> }

/** Which domain event feeds which stream. */
const STREAM_OF_EVENT = {
  'air.updated': 'air',
  'traffic.updated': 'traffic',
  'halls.updated': 'halls',
  'incidents.updated': 'incidents',
  'feeds.health': 'feed-health',
  'kpis.updated': 'kpis',
} as const satisfies Record<keyof DomainEvents, StreamName>

type Logs = { [S in StreamName]: StreamLog<S> }

export interface Gateway {
  io: IoServer
  logs: Logs
  close: () => Promise<void>
}

/**
 * The one place that knows socket.io: turns domain events into numbered
 * stream events, and answers subscriptions with missed events or a snapshot.
 */
export function createGateway(httpServer: HttpServer, deps: { bus: DomainBus, snapshots: SnapshotSources, tickMs: number }): Gateway {
  const io: IoServer = new Server(httpServer, { maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES, serveClient: false })
  const logs: Logs = {
    'air': new StreamLog('air', STREAM_LOG_CAPACITY),
    'traffic': new StreamLog('traffic', STREAM_LOG_CAPACITY),
    'halls': new StreamLog('halls', STREAM_LOG_CAPACITY),
    'incidents': new StreamLog('incidents', STREAM_LOG_CAPACITY),
    'feed-health': new StreamLog('feed-health', STREAM_LOG_CAPACITY),
    'kpis': new StreamLog('kpis', KPI_LOG_CAPACITY),
  }

  function publish<S extends StreamName>(stream: S, data: StreamEventData<S>): void {
    const event = (logs[stream] as StreamLog<S>).append(data)
    io.to(streamRoom(stream)).emit('stream:published', event as Parameters<ServerToClientEvents['stream:published']>[0])
  }
  const coalescer = new Coalescer(publish, deps.tickMs)
  const unsubscribers = (Object.keys(STREAM_OF_EVENT) as (keyof DomainEvents)[]).map(event =>
    deps.bus.on(event, (data: DomainEvents[typeof event][0]) => coalescer.offer(STREAM_OF_EVENT[event], data as StreamEventData<StreamName>)))

  function subscribe<S extends StreamName>(socket: IoSocket, request: SubscribeRequest & { stream: S }): SubscribeResult<S> {
    const log = logs[request.stream] as StreamLog<S>
    // Join first: the answer and every later event then reach the client in order.
    void socket.join(streamRoom(request.stream))
    const events = log.since(request.epoch, request.lastSeq)
    if (events)
      return { stream: request.stream, epoch: log.epoch, mode: 'events', seq: log.seq, events }
    return { stream: request.stream, epoch: log.epoch, mode: 'snapshot', seq: log.seq, snapshot: (deps.snapshots[request.stream] as () => StreamSnapshot<S>)() }
  }

  io.on('connection', (socket) => {
    socket.data.connectedAt = Date.now()
    handle(socket, 'stream:subscribe', SubscribeRequest, request => subscribe(socket, request))
    handle(socket, 'stream:unsubscribe', UnsubscribeRequest, (request) => {
      void socket.leave(streamRoom(request.stream))
      return null
    })
  })

  return {
    io,
    logs,
    close: async () => {
      for (const off of unsubscribers)
        off()
      coalescer.close()
      io.disconnectSockets(true)
      await io.close()
    },
  }
}

/**
 * The one choke point for client commands: validate the payload, run the
 * handler, answer with an Ack. Bad input gets a clear error, never a crash.
 */
function handle<Req, Res>(
  socket: IoSocket,
  event: keyof ClientToServerEvents,
  schema: z.ZodType<Req>,
  handler: (request: Req) => Res,
): void {
  // The typed socket's listener signature differs per event; validation below is what makes payloads safe.
  const untyped = socket as unknown as { on: (event: string, listener: (payload: unknown, ack: unknown) => void) => void }
  untyped.on(event, (payload: unknown, ack: unknown) => {
    const reply = typeof ack === 'function' ? (ack as (r: Ack<Res>) => void) : () => {}
    const parsed = schema.safeParse(payload)
    if (!parsed.success) {
      reply({ ok: false, error: `invalid ${event}: ${parsed.error.issues.map(i => `${i.path.join('.') || '(payload)'} ${i.message}`).join('; ')}` })
      return
    }
    try {
      reply({ ok: true, data: handler(parsed.data) })
    }
    catch (err) {
      console.error(`[realtime] ${event} failed`, err)
      reply({ ok: false, error: 'internal error' })
    }
  })
}
