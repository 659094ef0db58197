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
import type { StreamName, StreamSnapshot } from '@shared/realtime/streams'
import type { DomainBus } from '@server/bus'
import { StreamLog } from './stream-log'

/** Events kept per stream for clients that come back after a short break. */
const STREAM_LOG_CAPACITY = 500
/** Nothing a client sends is bigger than this. */
const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>

export interface SnapshotSources {
  air: () => StreamSnapshot<'air'>
}

export interface Gateway {
  io: IoServer
  logs: { [S in StreamName]: StreamLog<S> }
  close: () => Promise<void>
}

/**
 * The one place that knows socket.io: turns domain events into numbered
 * stream events, and answers subscriptions with missed events or a snapshot.
 */
export function createGateway(httpServer: HttpServer, deps: { bus: DomainBus, snapshots: SnapshotSources }): Gateway {
  const io: IoServer = new Server(httpServer, { maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES, serveClient: false })
  const logs = { air: new StreamLog('air', STREAM_LOG_CAPACITY) }

  const offAir = deps.bus.on('air.updated', (data) => {
    io.to(streamRoom('air')).emit('stream:published', logs.air.append(data))
  })

  function subscribe(socket: IoSocket, request: SubscribeRequest): SubscribeResult {
    const log = logs[request.stream]
    // Join first: the answer and every later event then reach the client in order.
    void socket.join(streamRoom(request.stream))
    const events = log.since(request.epoch, request.lastSeq)
    if (events)
      return { stream: request.stream, epoch: log.epoch, mode: 'events', seq: log.seq, events }
    return { stream: request.stream, epoch: log.epoch, mode: 'snapshot', seq: log.seq, snapshot: deps.snapshots[request.stream]() }
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
      offAir()
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
