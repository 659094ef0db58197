import type { Server as HttpServer } from 'node:http'
import { Server } from 'socket.io'
import type { Socket } from 'socket.io'
import type { z } from 'zod'
import type {
  Ack,
  AnyStreamEvent,
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
  SubscribeResult,
} from '@shared/realtime/events'
import { streamRoom, SubscribeRequest, UnsubscribeRequest } from '@shared/realtime/events'
import { StreamMirror } from '@shared/realtime/mirror'
import type { StreamEventData, StreamSnapshot } from '@shared/realtime/streams'
import { StreamName } from '@shared/realtime/streams'
import type { Action, Principal } from '@shared/auth/policy'
import { can, STREAM_ACTIONS } from '@shared/auth/policy'
import { originAllowed } from '@server/auth/guard'
import { SlidingWindowLimiter } from '@server/auth/rate-limit'
import type { DomainBus, DomainEvents } from '@server/bus'
import { Coalescer } from './coalesce'
import { encodeOnce, isMarked, sharedEncodingParser } from './shared-encoding'
import { StreamLog } from './stream-log'
import type { StreamTransport } from './stream-transport'
import type { TownIndex } from './town-slice'
import { sliceEvent, sliceSnapshot } from './town-slice'

/** Events kept per stream for clients that come back after a short break. */
const STREAM_LOG_CAPACITY = 500
/**
 * Each KPI and feed-health event is the whole set: a client that missed more
 * than one is better served by a snapshot (one set) than by a replay of sets
 * it would overwrite.
 */
const WHOLE_SET_STREAMS: ReadonlySet<StreamName> = new Set(['kpis', 'feed-health'])
/** How often each stream's digest is sent to its subscribers (reliability.md §2: every 30–60 s). */
export const CHECKSUM_INTERVAL_MS = 30_000
/** Nothing a client sends is bigger than this. */
const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024
/** How often the sockets' sessions are checked: a revoked token or an ended session loses its sockets within this. */
export const SESSION_SWEEP_MS = 2000
/** Commands one socket may send per window; a wall sends seven subscribes when it connects, and one after a gap. */
const SOCKET_COMMANDS = { limit: 60, windowMs: 10_000 }
/** Refused commands before a flooding socket is disconnected. */
const SOCKET_STRIKES = 20

/**
 * What each client command needs (shared/auth/policy.ts): a subscription the
 * action of its stream, leaving a room nothing but a session. Every event a
 * socket listens to is in this table; a test checks it at run time.
 */
export const SOCKET_EVENT_ACCESS = {
  'stream:subscribe': (request: SubscribeRequest): Action => STREAM_ACTIONS[request.stream],
  'stream:unsubscribe': (_request: UnsubscribeRequest): null => null,
} as const satisfies { [E in keyof ClientToServerEvents]: (request: never) => Action | null }

/** Waits between attempts to append to a shared log that is down. */
const PUBLISH_RETRY_MS = [200, 500, 1000, 2000, 5000] as const

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>

export type SnapshotSources = { [S in StreamName]: () => StreamSnapshot<S> }

/** Which domain event feeds which stream. */
const STREAM_OF_EVENT = {
  'air.updated': 'air',
  'traffic.updated': 'traffic',
  'halls.updated': 'halls',
  'incidents.updated': 'incidents',
  'alerts.updated': 'alerts',
  'feeds.health': 'feed-health',
  'kpis.updated': 'kpis',
} as const satisfies Record<keyof DomainEvents, StreamName>

type Logs = { [S in StreamName]: StreamLog<S> }
type Mirrors = { [S in StreamName]: StreamMirror<S> }

/**
 * A town screen's view of one stream: its own mirror, so its digest is what
 * the screen's own fold gives. `from` is where the stream stood when the
 * slice was cut: a screen holding an earlier sequence folded a slice this
 * node never had (another node's), and a replay onto that could disagree
 * with this mirror (the town's incidents the whole list has trimmed are in
 * one and not in the other), so it is sent a snapshot.
 */
interface Slice { stream: StreamName, town: string, mirror: StreamMirror<StreamName>, from: { epoch: string, seq: number } }

export interface GatewayDeps {
  bus: DomainBus
  /** Numbers and carries events: in process for one node, a shared log for several. */
  transport: StreamTransport
  /** Where each stream's state starts on this node: the live state restored from the store. */
  initial: SnapshotSources
  towns: TownIndex
  tickMs: number
  checksumIntervalMs?: number
  /** socket.io's wire encoding (a socket.io parser module); msgpack when absent (performance.md S-4: 22 % fewer bytes than JSON). */
  parser?: object
  /** The session a handshake's `auth.ticket` names (server/auth); null refuses the connection. */
  authenticate: (ticket: unknown) => Promise<{ sessionId: string, principal: Principal } | null>
  /** Of these sessions, the ones still live: the sockets of the others are disconnected. */
  liveSessions: (ids: readonly string[]) => Promise<Set<string>>
  /** Origins whose pages may connect; empty: the host the handshake was sent to (server/auth/guard.ts). */
  allowedOrigins: readonly string[]
  /** Records a refused command (the audit log). */
  denied: (principal: Principal, what: string, clientIp: string | null) => void
  sessionSweepMs?: number
}

export interface Gateway {
  io: IoServer
  logs: Logs
  /** The state the published events build: what a subscriber is sent, on any node. */
  snapshot: <S extends StreamName>(stream: S) => StreamSnapshot<S>
  /** The events connected sockets listen to, read from socket.io (the policy test checks each is in SOCKET_EVENT_ACCESS). */
  listenedEvents: () => string[]
  close: () => Promise<void>
}

/**
 * The one place that knows socket.io: turns domain events into numbered
 * stream events, and answers subscriptions with missed events or a snapshot.
 * Events go out through the transport and come back numbered to every node,
 * this one included; each node folds them into its mirrors and sends them to
 * its own clients.
 */
export async function createGateway(httpServer: HttpServer, deps: GatewayDeps): Promise<Gateway> {
  const io: IoServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES,
    serveClient: false,
    parser: deps.parser ?? sharedEncodingParser,
    // A page of another site cannot open a socket with our walls' or users' credentials (CSWSH, reliability.md §4.1).
    allowRequest: (req, callback) => callback(null, originAllowed(req.headers.origin, req.headers.host, deps.allowedOrigins)),
  })
  // The handshake's ticket (never the query string): a socket without a live session is refused before it is connected.
  io.use((socket, next) => {
    const auth = socket.handshake.auth as { ticket?: unknown } | undefined
    deps.authenticate(auth?.ticket).then((who) => {
      if (!who) {
        next(new Error('unauthorized'))
        return
      }
      socket.data.principal = who.principal
      socket.data.sessionId = who.sessionId
      next()
    }, () => next(new Error('unauthorized')))
  })
  const positions = await deps.transport.positions(STREAM_LOG_CAPACITY)
  const logs = {} as Record<StreamName, StreamLog<StreamName>>
  const mirrors = {} as Record<StreamName, StreamMirror<StreamName>>
  for (const stream of StreamName.options) {
    const { epoch, seq, recent } = positions[stream]
    const log = new StreamLog<StreamName>(stream, WHOLE_SET_STREAMS.has(stream) ? 1 : STREAM_LOG_CAPACITY, epoch, recent[0] ? recent[0].seq - 1 : seq)
    for (const event of recent)
      log.accept(event)
    logs[stream] = log
    // The restored state already holds what earlier events carried, except the whole sets, which only the log has.
    const newest = recent.at(-1)
    const start = WHOLE_SET_STREAMS.has(stream) && newest ? newest.data as StreamSnapshot<StreamName> : deps.initial[stream]()
    mirrors[stream] = new StreamMirror<StreamName>(stream, start)
  }
  // Kept when their last screen leaves (at most one per town and stream): a slice cut again from the
  // whole mirror lacks the town's incidents the whole list has trimmed, and a screen coming back would disagree.
  const slices = new Map<string, Slice>()

  function deliver(event: AnyStreamEvent): void {
    const stream = event.stream
    const outcome = logs[stream].accept(event)
    if (outcome === 'duplicate')
      return
    if (outcome !== 'next')
      console.warn(`[realtime] ${stream}: ${outcome} at seq ${event.seq}; clients holding earlier sequences get a snapshot`)
    mirrors[stream].apply(event.data)
    io.to(streamRoom(stream)).emit('stream:published', event)
    for (const [room, slice] of slices) {
      if (slice.stream !== stream)
        continue
      const data = sliceEvent(stream, event.data, slice.town, deps.towns)
      slice.mirror.apply(data)
      io.to(room).emit('stream:published', { ...event, data } as AnyStreamEvent)
    }
  }

  // Publishing: one event at a time per stream, in order, retried while the shared log is down.
  const inFlight = new Map<StreamName, number>()
  const chains = new Map<StreamName, Promise<void>>()
  let closed = false
  async function publishRetrying(stream: StreamName, data: StreamEventData<StreamName>, ingestedAt: number | undefined): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await deps.transport.publish(stream, data, ingestedAt)
        return
      }
      catch (err) {
        if (closed)
          return
        if (attempt === 0)
          console.error(`[realtime] publishing on ${stream} failed; retrying`, err)
        await new Promise(resolve => setTimeout(resolve, PUBLISH_RETRY_MS[Math.min(attempt, PUBLISH_RETRY_MS.length - 1)]))
      }
    }
  }
  function send(stream: StreamName, data: StreamEventData<StreamName>, ingestedAt?: number): void {
    const waiting = inFlight.get(stream) ?? 0
    inFlight.set(stream, waiting + 1)
    const settle = () => {
      inFlight.set(stream, (inFlight.get(stream) ?? 1) - 1)
    }
    // Nothing ahead of it: start at once (the in-process log then delivers synchronously).
    const next = waiting === 0 ? publishRetrying(stream, data, ingestedAt) : (chains.get(stream) ?? Promise.resolve()).then(() => publishRetrying(stream, data, ingestedAt))
    const chained = next.then(settle, settle)
    chains.set(stream, chained)
  }
  const coalescer = new Coalescer(send, deps.tickMs, stream => (inFlight.get(stream) ?? 0) === 0)
  const unsubscribers = (Object.keys(STREAM_OF_EVENT) as (keyof DomainEvents)[]).map(event =>
    deps.bus.on(event, (data: DomainEvents[typeof event][0], stamp?: { arrivedAt: number }) =>
      coalescer.offer(STREAM_OF_EVENT[event], data as StreamEventData<StreamName>, stamp?.arrivedAt)))

  await deps.transport.start(deliver)

  function sliceOf(stream: StreamName, town: string): Slice {
    const room = streamRoom(stream, town)
    let slice = slices.get(room)
    if (!slice) {
      const log = logs[stream]
      slice = { stream, town, mirror: new StreamMirror(stream, sliceSnapshot(stream, mirrors[stream].snapshot(), town, deps.towns)), from: { epoch: log.epoch, seq: log.seq } }
      slices.set(room, slice)
    }
    return slice
  }

  function subscribe<S extends StreamName>(socket: IoSocket, request: SubscribeRequest & { stream: S }): SubscribeResult<S> {
    const { stream, town } = request
    if (town !== undefined && !deps.towns.towns.has(town))
      throw new RequestError(`no town ${town} in the city model`)
    const log = logs[stream] as unknown as StreamLog<S>
    const slice = town !== undefined ? sliceOf(stream, town) : undefined
    // Join first: the answer and every later event then reach the client in order.
    void socket.join(streamRoom(stream, town))
    const foldedElsewhere = slice !== undefined && request.epoch === slice.from.epoch && (request.lastSeq ?? 0) < slice.from.seq
    const events = foldedElsewhere ? null : log.since(request.epoch, request.lastSeq)
    if (events) {
      const sent = town !== undefined ? events.map(e => ({ ...e, data: sliceEvent(stream, e.data, town, deps.towns) })) : events
      return { stream, epoch: log.epoch, mode: 'events', seq: log.seq, events: sent }
    }
    return snapshotAnswer(stream, town, slice) as SubscribeResult<S>
  }

  // The snapshot answer of each room at its current sequence: every socket asking before the next event gets the same object, encoded once.
  const answers = new Map<string, SubscribeResult<StreamName>>()
  function snapshotAnswer(stream: StreamName, town: string | undefined, slice: Slice | undefined): SubscribeResult<StreamName> {
    const log = logs[stream]
    const room = streamRoom(stream, town)
    const held = answers.get(room)
    if (held && held.epoch === log.epoch && held.seq === log.seq)
      return held
    const snapshot = slice ? slice.mirror.snapshot() : mirrors[stream].snapshot()
    const answer = encodeOnce({ stream, epoch: log.epoch, mode: 'snapshot' as const, seq: log.seq, snapshot })
    answers.set(room, answer)
    return answer
  }

  const checksumTimer = setInterval(() => {
    const rooms = io.of('/').adapter.rooms
    for (const stream of StreamName.options) {
      const room = streamRoom(stream)
      const log = logs[stream]
      if (rooms.get(room)?.size)
        io.to(room).emit('stream:checksum', { stream, epoch: log.epoch, seq: log.seq, digest: mirrors[stream].digest() })
    }
    for (const [room, slice] of slices) {
      const log = logs[slice.stream]
      if (rooms.get(room)?.size)
        io.to(room).emit('stream:checksum', { stream: slice.stream, town: slice.town, epoch: log.epoch, seq: log.seq, digest: slice.mirror.digest() })
    }
  }, deps.checksumIntervalMs ?? CHECKSUM_INTERVAL_MS)
  checksumTimer.unref()

  // Sessions ended (logout, a revoked display token, a disabled user) or expired lose their sockets.
  const sweepTimer = setInterval(() => {
    const ids = [...new Set([...io.of('/').sockets.values()].map(s => s.data.sessionId))]
    if (ids.length === 0)
      return
    deps.liveSessions(ids).then((live) => {
      for (const socket of io.of('/').sockets.values()) {
        if (!live.has(socket.data.sessionId))
          socket.disconnect(true)
      }
    }, (err: unknown) => console.error('[realtime] checking sessions failed', err))
  }, deps.sessionSweepMs ?? SESSION_SWEEP_MS)
  sweepTimer.unref()

  io.on('connection', (socket) => {
    socket.data.connectedAt = Date.now()
    const guard = commandGuard(socket, deps)
    handle(socket, 'stream:subscribe', SubscribeRequest, guard, request => subscribe(socket, request))
    handle(socket, 'stream:unsubscribe', UnsubscribeRequest, guard, (request) => {
      void socket.leave(streamRoom(request.stream, request.town))
      return null
    })
  })

  return {
    io,
    logs: logs as unknown as Logs,
    snapshot: stream => (mirrors as unknown as Mirrors)[stream].snapshot(),
    // socket.io itself keeps a no-op 'error' listener on every socket.
    listenedEvents: () => [...new Set([...io.of('/').sockets.values()].flatMap(s => s.eventNames().map(String)))].filter(e => e !== 'error'),
    close: async () => {
      for (const off of unsubscribers)
        off()
      clearInterval(checksumTimer)
      clearInterval(sweepTimer)
      coalescer.close()
      // What is on its way gets one more try each; a log that is down loses it (and the next node's reconciliation repairs it).
      closed = true
      await Promise.all(chains.values())
      io.disconnectSockets(true)
      await io.close()
      await deps.transport.close()
    },
  }
}

/** A request that is well-formed but cannot be served; its message goes back to the client. */
class RequestError extends Error {}

/**
 * The one choke point for client commands: validate the payload, run the
 * handler, answer with an Ack. Bad input gets a clear error, never a crash.
 */
const okAnswers = new WeakMap<object, Ack<unknown>>()
/** The ok answer around `data`; one for every marked answer, marked too, so that the whole answer is encoded once. */
function ok<T>(data: T): Ack<T> {
  if (!isMarked(data))
    return { ok: true, data }
  let answer = okAnswers.get(data) as Ack<T> | undefined
  if (!answer) {
    answer = encodeOnce({ ok: true as const, data })
    okAnswers.set(data, answer)
  }
  return answer
}

/** Whether a socket may send a command now: within its rate, and allowed by the policy. A message when not. */
type CommandGuard = <E extends keyof ClientToServerEvents>(event: E, request: Parameters<(typeof SOCKET_EVENT_ACCESS)[E]>[0]) => string | null

function commandGuard(socket: IoSocket, deps: GatewayDeps): CommandGuard {
  const limiter = new SlidingWindowLimiter(SOCKET_COMMANDS.limit, SOCKET_COMMANDS.windowMs)
  let strikes = 0
  return (event, request) => {
    if (limiter.take('') > 0) {
      if (++strikes >= SOCKET_STRIKES)
        socket.disconnect(true)
      return 'too many commands; slow down'
    }
    const needs = (SOCKET_EVENT_ACCESS[event] as (r: typeof request) => Action | null)(request)
    if (needs === null || can(socket.data.principal, needs))
      return null
    deps.denied(socket.data.principal, `${event} ${JSON.stringify(request).slice(0, 100)}`, socket.handshake.address || null)
    return `not allowed: needs ${needs}`
  }
}

function handle<E extends keyof ClientToServerEvents, Req extends Parameters<(typeof SOCKET_EVENT_ACCESS)[E]>[0], Res>(
  socket: IoSocket,
  event: E,
  schema: z.ZodType<Req>,
  guard: CommandGuard,
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
    // Validated first, then authorized (reliability.md §4.2): the policy reads a well-formed request.
    const refusal = guard(event, parsed.data)
    if (refusal) {
      reply({ ok: false, error: refusal })
      return
    }
    try {
      reply(ok(handler(parsed.data)))
    }
    catch (err) {
      if (err instanceof RequestError) {
        reply({ ok: false, error: err.message })
        return
      }
      console.error(`[realtime] ${event} failed`, err)
      reply({ ok: false, error: 'internal error' })
    }
  })
}
