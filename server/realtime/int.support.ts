/** Support for tests that start the real server: a fast simulated clock, polling, HTTP and socket.io clients. */
import { io } from 'socket.io-client'
import msgpackParser from 'socket.io-msgpack-parser'
import type { Socket } from 'socket.io-client'
import { z } from 'zod'
import type { AnyStreamEvent, ClientToServerEvents, ServerToClientEvents, SubscribeRequest } from '@shared/realtime/events'
import { SubscribeResultSchema } from '@shared/realtime/events'
import type { HttpSession } from '@server/auth/auth.support'
import { displaySession, userSession } from '@server/auth/auth.support'
import { Config } from '@server/config'
import type { SimClock } from '@server/feeds/sim-clock'
import type { RunningServer } from '@server/main'

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>
export type Result = z.infer<typeof SubscribeResultSchema>

/** An answer that takes longer than this is a failure (a guard, not a measurement). */
const ACK_TIMEOUT_MS = 10_000

/**
 * Simulated time running `simMsPerRealMs` times faster than the real clock;
 * frozen, it stands still (and resumes from where it stood).
 */
export function fastClock(start: number, simMsPerRealMs: number): SimClock & { frozen: boolean, t: number } {
  let lastReal = Date.now()
  const clock = {
    frozen: false,
    t: start,
    now: () => {
      const real = Date.now()
      if (!clock.frozen)
        clock.t += (real - lastReal) * simMsPerRealMs
      lastReal = real
      return clock.t
    },
  }
  return clock
}

/**
 * The server's configuration for tests that watch the whole simulated city:
 * a database file of its own, every feed round each 200 ms, no faulty records.
 */
export function fastCityConfig(dbFile: string, overrides: Partial<Config> = {}): Config {
  return Config.parse({
    port: 0,
    host: '127.0.0.1',
    dbFile,
    buildClient: false,
    simIntervalMs: 200,
    simTrafficIntervalMs: 200,
    simHallIntervalMs: 200,
    simFaultRate: 0,
    // The simulated officers' commands are their own test's subject (server/dispatch/sim-officers.int.test.ts).
    simDispatch: false,
    ...overrides,
  })
}

type Falsy = false | 0 | '' | null | undefined

/** Polls `probe` until it gives a truthy value; fails after `tries` attempts. */
export async function until<T>(what: string, probe: () => T | Promise<T>, tries = 400, everyMs = 25): Promise<Exclude<T, Falsy>> {
  for (let i = 0; i < tries; i++) {
    const value = await probe()
    if (value)
      return value as Exclude<T, Falsy>
    await new Promise(resolve => setTimeout(resolve, everyMs))
  }
  throw new Error(`gave up waiting for ${what} after ${tries} tries`)
}

export const baseUrl = (server: RunningServer): string => `http://127.0.0.1:${server.port}`

/** One session per server, made on first use. */
function sessionPerServer(make: (server: RunningServer) => Promise<HttpSession>): (server: RunningServer) => Promise<HttpSession> {
  const sessions = new WeakMap<RunningServer, Promise<HttpSession>>()
  return (server) => {
    let session = sessions.get(server)
    if (!session) {
      session = make(server)
      sessions.set(server, session)
    }
    return session
  }
}

/** The server's test wall: a display session. */
export const wallSession = sessionPerServer(server => displaySession(server, baseUrl(server)))
/** The server's test operator: what a wall may not read (incidents in full, the dead-letter list). */
export const operatorSession = sessionPerServer(server => userSession(server, baseUrl(server), ['operator']))

/** GET as the server's test wall. */
export async function getJson<T = unknown>(server: RunningServer, path: string): Promise<{ status: number, body: T, headers: Headers }> {
  return (await wallSession(server)).get<T>(path)
}

/** What a socket of `session` needs: a fresh ticket at every (re)connect, and the server's own Origin. */
export function socketCredentials(session: HttpSession): { auth: (cb: (data: object) => void) => void, extraHeaders: Record<string, string> } {
  return {
    auth: (cb) => {
      session.ticket().then(ticket => cb({ ticket }), () => cb({}))
    },
    extraHeaders: { origin: session.base },
  }
}

/** A real socket.io client that records every stream event it receives, from before it subscribes. */
export interface Client { socket: ClientSocket, events: AnyStreamEvent[] }

/** Connects (or reconnects) a socket and waits until it is connected. */
export async function connect(socket: ClientSocket): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', reject)
    socket.connect()
  })
}

/** A socket of the server's test wall (or of `session`), connected. */
export async function connectClient(server: RunningServer, opened: ClientSocket[], session?: HttpSession): Promise<Client> {
  // The gateway speaks msgpack (server/realtime/gateway.ts); a client must too.
  const socket: ClientSocket = io(baseUrl(server), { transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false, parser: msgpackParser, ...socketCredentials(session ?? await wallSession(server)) })
  opened.push(socket)
  const events: AnyStreamEvent[] = []
  socket.on('stream:published', event => events.push(event))
  await connect(socket)
  return { socket, events }
}

/** The answer to a subscribe as it must arrive: checked against the wire schema. */
export const SubscribeAck = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), data: SubscribeResultSchema }),
  z.strictObject({ ok: z.literal(false), error: z.string().min(1) }),
])

export async function subscribe(socket: ClientSocket, request: SubscribeRequest): Promise<z.infer<typeof SubscribeAck>> {
  const ack: unknown = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('stream:subscribe', request)
  return SubscribeAck.parse(ack)
}

export async function subscribeOk(socket: ClientSocket, request: SubscribeRequest): Promise<Result> {
  const ack = await subscribe(socket, request)
  if (!ack.ok)
    throw new Error(`subscribe failed: ${ack.error}`)
  return ack.data
}
