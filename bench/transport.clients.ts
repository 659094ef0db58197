/** The load generator's side of bench/transport.ts: the server child, socket.io and raw ws clients that count what they receive. */
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import type { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { io } from 'socket.io-client'
import type { Socket } from 'socket.io-client'
import { WebSocket } from 'ws'
import { RECONNECT_DELAY_MAX_MS, RECONNECT_DELAY_MS, RECONNECT_RANDOMIZATION } from '@client/realtime/socket'
import type { Ack, AnyStreamEvent, ClientToServerEvents, ServerToClientEvents, SubscribeResult } from '@shared/realtime/events'
import type { StreamName } from '@shared/realtime/streams'
import { displayLogin } from '@server/auth/auth.support'
import { bundleServer } from '@server/bundle.mjs'
import { socketCredentials } from '@server/realtime/int.support'
import type { Codec } from './transport.codec'
import { generatorParser, socketParser, WireSizes } from './transport.codec'
import type { FromChild, ServerOptions, Startup, ToChild } from './transport-server'

/** The streams a wall display subscribes to. */
export const WALL_STREAMS: readonly StreamName[] = ['air', 'traffic', 'halls', 'incidents', 'feed-health', 'kpis']
/** Clients connect this many at a time, as a crowd of walls would, without one burst of thousands. */
const CONNECT_BATCH = 50
const ACK_TIMEOUT_MS = 20_000

export const HAS_TASKSET = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' })
    return true
  }
  catch {
    return false
  }
})()

/** Pins every thread of this process to one CPU, when taskset exists. */
export function pinSelf(cpu: number): void {
  if (HAS_TASKSET)
    execFileSync('taskset', ['-a', '-cp', String(cpu), String(process.pid)], { stdio: 'ignore' })
}

export interface ServerChild {
  pid: number
  port: number
  wsPort: number
  /** The bare child's socket.io servers, per codec. */
  ioPorts: Partial<Record<Codec, number>>
  /** When the child reached each start-up phase, ms after its process started. */
  startup: Startup
  /** A display token for the walls ('' for a bare child). */
  displayToken: string
  ask: <T extends FromChild['type']>(message: ToChild, reply: T) => Promise<Extract<FromChild, { type: T }>>
  /** Peak resident set size of the child so far (VmHWM), in bytes. */
  peakRss: () => number
  kill: (signal?: NodeJS.Signals) => Promise<void>
}

/**
 * How the server child runs: 'bundle', one file that esbuild built from the
 * server and its packages, as `npm start` runs it (server/launch.mjs), or
 * 'tsx', each module compiled on load through tsx's loader, as the tests run
 * it: the difference is the loader's share of a start.
 */
export type Runtime = 'tsx' | 'bundle'

/** One secret for every server child of this run: a restarted server must accept the walls' sessions and tickets. */
const BENCH_SECRET = randomBytes(32).toString('hex')
const BUNDLE = fileURLToPath(new URL('../node_modules/.cache/ioc-bench/transport-server.mjs', import.meta.url))

/** Builds the bundle for the 'bundle' runtime; it sits under node_modules so that what stays outside resolves. */
export async function buildServerBundle(): Promise<void> {
  await bundleServer(fileURLToPath(new URL('./transport-server.ts', import.meta.url)), BUNDLE)
}

/** Starts bench/transport-server.ts on CPU 0 (when taskset exists) and waits until it listens. */
export async function startServerChild(opts: ServerOptions, runtime: Runtime = 'tsx'): Promise<ServerChild> {
  const script = fileURLToPath(new URL('./transport-server.ts', import.meta.url))
  const node = runtime === 'tsx' ? [process.execPath, '--import', 'tsx', script] : [process.execPath, BUNDLE]
  const [command, ...args] = HAS_TASKSET ? ['taskset', '-c', '0', ...node] : node
  const child: ChildProcess = spawn(command as string, args, {
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.server.json', BENCH_SERVER_OPTS: JSON.stringify(opts), NODE_ENV: 'production', BENCH_SECRET },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    // Binary frames (msgpack) pass to the replay as they are.
    serialization: 'advanced',
  })
  const ready = await new Promise<Extract<FromChild, { type: 'ready' }>>((resolve, reject) => {
    child.once('exit', code => reject(new Error(`server child exited with ${code}`)))
    child.on('message', (m: FromChild) => m.type === 'ready' && resolve(m))
  })
  const pid = child.pid as number
  return {
    pid,
    port: ready.port,
    wsPort: ready.wsPort,
    ioPorts: ready.ioPorts,
    startup: ready.startup,
    displayToken: ready.displayToken,
    ask: (message, reply) => new Promise((resolve) => {
      const listener = (m: FromChild): void => {
        if (m.type === reply) {
          child.off('message', listener)
          resolve(m as Extract<FromChild, { type: typeof reply }>)
        }
      }
      child.on('message', listener)
      child.send(message)
    }),
    peakRss: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN) * 1024,
    kill: signal => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null)
        return resolve()
      child.once('exit', () => resolve())
      if (signal)
        child.kill(signal)
      else
        child.disconnect() // a clean shutdown: the child closes the server and exits
    }),
  }
}

/** What a set of clients received since the counters were last reset. */
export interface Counters { messages: number, bytes: number }

type IoClient = Socket<ServerToClientEvents, ClientToServerEvents>

export interface WallClient {
  socket: IoClient
  /** Streams whose snapshot (or events) arrived since the last connect. */
  synced: Set<StreamName>
  /** When the answers for all wall streams last arrived (epoch ms). */
  syncedAt: number
  /** Reconnect attempts the last reconnect took (1: the first try succeeded). */
  attempts: number
  /** When the socket last connected again (epoch ms): syncedAt minus this is the server's answer time. */
  reconnectedAt: number
}

const WIRE_SIZES: Record<Codec, WireSizes> = { json: new WireSizes('json'), msgpack: new WireSizes('msgpack') }

export interface WallOptions {
  reconnection: boolean
  codec: Codec
  /** 'once': each distinct frame decoded once for all walls (generatorParser), so that a thousand walls fit on one core; 'each': every wall decodes its own. */
  decode: 'each' | 'once'
  counters: Counters
  onEvent?: (event: AnyStreamEvent, receivedAt: number) => void
  /** The server's display token (ServerChild.displayToken): all walls share one display session, each fetches its own tickets. */
  displayToken: string
}

/** A wall display: one socket, subscribed to every wall stream, resubscribing with epoch and seq after each reconnect. */
function wallClient(url: string, opts: WallOptions, credentials: ReturnType<typeof socketCredentials>): Promise<WallClient> {
  const socket: IoClient = io(url, {
    ...credentials,
    parser: opts.decode === 'once' ? generatorParser(opts.codec) : socketParser(opts.codec),
    transports: ['websocket'],
    forceNew: true,
    reconnection: opts.reconnection,
    // The wall's own back-off (client/realtime/socket.ts): a restart must not bring every wall back in the same instant.
    reconnectionDelay: RECONNECT_DELAY_MS,
    reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
    randomizationFactor: RECONNECT_RANDOMIZATION,
  })
  const held = new Map<StreamName, { epoch: string, seq: number }>()
  const client: WallClient = { socket, synced: new Set(), syncedAt: 0, attempts: 0, reconnectedAt: 0 }
  socket.on('stream:published', (event) => {
    const receivedAt = Date.now()
    opts.counters.messages++
    opts.counters.bytes += WIRE_SIZES[opts.codec].of(event)
    held.set(event.stream, { epoch: event.epoch, seq: event.seq })
    opts.onEvent?.(event, receivedAt)
  })
  const subscribeAll = (): Promise<unknown> => {
    client.synced.clear()
    return Promise.all(WALL_STREAMS.map(async (stream) => {
      const last = held.get(stream)
      const request = last ? { stream, epoch: last.epoch, lastSeq: last.seq } : { stream }
      const ack = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('stream:subscribe', request)) as Ack<SubscribeResult>
      if (!ack.ok)
        throw new Error(`subscribe ${stream}: ${ack.error}`)
      held.set(stream, { epoch: ack.data.epoch, seq: ack.data.seq })
      client.synced.add(stream)
    })).then(() => {
      client.syncedAt = Date.now()
    })
  }
  return new Promise((resolve, reject) => {
    socket.once('connect_error', reject)
    socket.once('connect', () => {
      subscribeAll().then(() => resolve(client), reject)
      socket.io.on('reconnect', (attempts) => {
        client.reconnectedAt = Date.now()
        client.attempts = attempts
        void subscribeAll().catch(() => {})
      })
    })
  })
}

export async function connectWalls(url: string, n: number, opts: WallOptions): Promise<WallClient[]> {
  const credentials = socketCredentials(await displayLogin(url, opts.displayToken))
  const clients: WallClient[] = []
  for (let i = 0; i < n; i += CONNECT_BATCH)
    clients.push(...await Promise.all(Array.from({ length: Math.min(CONNECT_BATCH, n - i) }, () => wallClient(url, opts, credentials))))
  return clients
}

export function closeWalls(clients: readonly WallClient[]): void {
  for (const c of clients)
    c.socket.disconnect()
}

/** Plain socket.io clients that only count the stream events a bare server broadcasts (no subscriptions there). */
export async function connectListeners(url: string, n: number, codec: Codec, counters: Counters): Promise<IoClient[]> {
  const sockets: IoClient[] = []
  for (let i = 0; i < n; i += CONNECT_BATCH) {
    sockets.push(...await Promise.all(Array.from({ length: Math.min(CONNECT_BATCH, n - i) }, () => new Promise<IoClient>((resolve, reject) => {
      const socket: IoClient = io(url, { parser: generatorParser(codec), transports: ['websocket'], forceNew: true, reconnection: false })
      socket.on('stream:published', (event) => {
        counters.messages++
        counters.bytes += WIRE_SIZES[codec].of(event)
      })
      socket.once('connect', () => resolve(socket))
      socket.once('connect_error', reject)
    }))))
  }
  return sockets
}

export async function connectRaw(url: string, n: number, counters: Counters): Promise<WebSocket[]> {
  const sockets: WebSocket[] = []
  for (let i = 0; i < n; i += CONNECT_BATCH) {
    sockets.push(...await Promise.all(Array.from({ length: Math.min(CONNECT_BATCH, n - i) }, () => new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false })
      ws.on('message', (data: Buffer) => {
        counters.messages++
        counters.bytes += data.length
      })
      ws.once('open', () => resolve(ws))
      ws.once('error', reject)
    }))))
  }
  return sockets
}
