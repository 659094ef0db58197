/** The load generator's side of bench/transport.ts: the server child, socket.io and raw ws clients that count what they receive. */
import { execFileSync, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { io } from 'socket.io-client'
import type { Socket } from 'socket.io-client'
import { WebSocket } from 'ws'
import type { Ack, AnyStreamEvent, ClientToServerEvents, ServerToClientEvents, SubscribeResult } from '@shared/realtime/events'
import type { StreamName } from '@shared/realtime/streams'
import type { FromChild, ServerOptions, ToChild } from './transport-server'

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
  ask: <T extends FromChild['type']>(message: ToChild, reply: T) => Promise<Extract<FromChild, { type: T }>>
  /** Peak resident set size of the child so far (VmHWM), in bytes. */
  peakRss: () => number
  kill: (signal?: NodeJS.Signals) => Promise<void>
}

/** Starts bench/transport-server.ts on CPU 0 (when taskset exists) and waits until it listens. */
export async function startServerChild(opts: ServerOptions): Promise<ServerChild> {
  const script = fileURLToPath(new URL('./transport-server.ts', import.meta.url))
  const node = [process.execPath, '--import', 'tsx', script]
  const [command, ...args] = HAS_TASKSET ? ['taskset', '-c', '0', ...node] : node
  const child: ChildProcess = spawn(command as string, args, {
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.server.json', BENCH_SERVER_OPTS: JSON.stringify(opts), NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
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
}

/** JSON size of each event, computed once: every client receives the same event. */
const sizeOf = new Map<string, number>()
function eventBytes(event: AnyStreamEvent): number {
  const key = `${event.epoch}:${event.stream}:${event.seq}`
  let size = sizeOf.get(key)
  if (size === undefined) {
    size = Buffer.byteLength(JSON.stringify(event))
    sizeOf.set(key, size)
    if (sizeOf.size > 10_000)
      sizeOf.clear()
  }
  return size
}

export interface WallOptions {
  reconnection: boolean
  counters: Counters
  onEvent?: (event: AnyStreamEvent, receivedAt: number) => void
}

/** A wall display: one socket, subscribed to every wall stream, resubscribing with epoch and seq after each reconnect. */
function wallClient(url: string, opts: WallOptions): Promise<WallClient> {
  const socket: IoClient = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: opts.reconnection,
    // The wall's own back-off: a restart must not bring every wall back in the same instant.
    reconnectionDelay: 2000,
    reconnectionDelayMax: 10_000,
    randomizationFactor: 0.5,
  })
  const held = new Map<StreamName, { epoch: string, seq: number }>()
  const client: WallClient = { socket, synced: new Set() }
  socket.on('stream:published', (event) => {
    const receivedAt = Date.now()
    opts.counters.messages++
    opts.counters.bytes += eventBytes(event)
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
    }))
  }
  return new Promise((resolve, reject) => {
    socket.once('connect_error', reject)
    socket.once('connect', () => {
      subscribeAll().then(() => resolve(client), reject)
      socket.io.on('reconnect', () => void subscribeAll().catch(() => {}))
    })
  })
}

export async function connectWalls(url: string, n: number, opts: WallOptions): Promise<WallClient[]> {
  const clients: WallClient[] = []
  for (let i = 0; i < n; i += CONNECT_BATCH)
    clients.push(...await Promise.all(Array.from({ length: Math.min(CONNECT_BATCH, n - i) }, () => wallClient(url, opts))))
  return clients
}

export function closeWalls(clients: readonly WallClient[]): void {
  for (const c of clients)
    c.socket.disconnect()
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
