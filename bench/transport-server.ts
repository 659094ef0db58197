/**
 * The server side of bench/transport.ts, run as a child process (pinned to
 * its own core): the real server with the simulator, plus a plain `ws`
 * server that replays recorded payloads, so the socket.io overhead shows.
 * Bare, it runs no city server: two plain socket.io servers (JSON and
 * msgpack) and the `ws` server replay the same captured events, so that the
 * codecs compare on the transport alone, without the simulator's noise.
 *
 * Settings come as JSON in BENCH_SERVER_OPTS; it talks to the parent over IPC
 * (advanced serialisation, so binary frames pass as they are):
 *   → { type: 'ready', port, wsPort, ioPorts, startup, displayToken }  once listening (the walls sign in with the token)
 *   ← { type: 'usage' }  → { type: 'usage', at, cpu, elu, rss, wsClients }  (at: the child's clock, ms)
 *   ← { type: 'replay', target, … }  → { type: 'replayed' } once everything is sent
 * The server's modules are imported only after the timer starts, so the
 * start-up phases show where a restart's time goes.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { EventLoopUtilization } from 'node:perf_hooks'
import { WebSocketServer } from 'ws'
import type { WebSocket } from 'ws'
import type { AnyStreamEvent } from '@shared/realtime/events'
import type { Codec } from './transport.codec'

export interface ServerOptions {
  port: number
  tickMs: number
  simSpeed: number
  /** Real time between two simulator rounds of each telemetry feed. */
  intervalMs: number
  /** socket.io's wire encoding. */
  codec: Codec
  /** The SQLite file's folder: a restart on the same folder restores what the killed server stored. */
  dbDir: string
  /** No city server, only the replaying socket.io and ws servers. */
  bare?: boolean
}

/** One recorded payload: its offset from the first, and the bytes socket.io sent for it. */
export interface Frame { t: number, payload: string | Uint8Array }
/** One recorded event and its offset from the first, for a socket.io server to broadcast again. */
export interface TimedEvent { t: number, event: AnyStreamEvent }

/** Milliseconds since this process started, at the end of each start-up phase. */
export interface Startup {
  /** Node and the TypeScript loader up, this file running. */
  booted: number
  /** The server's modules (and their packages) imported. */
  imported: number
  /** startServer() returned: city built, store opened and restored, listening. */
  listening: number
}

export type ToChild =
  | { type: 'usage' }
  /** path: only the ws clients that connected on it (all when absent). */
  | { type: 'replay', target: 'ws', path?: string, frames: Frame[] }
  | { type: 'replay', target: Codec, events: TimedEvent[] }
export type FromChild =
  | { type: 'ready', port: number, wsPort: number, ioPorts: Partial<Record<Codec, number>>, startup: Startup, displayToken: string }
  | { type: 'usage', at: number, cpu: NodeJS.CpuUsage, elu: EventLoopUtilization, rss: number, wsClients: number }
  | { type: 'replayed' }

function send(message: FromChild): void {
  process.send?.(message)
}

type Broadcast = (event: AnyStreamEvent) => void

/** A bare socket.io server per codec, broadcasting to every connected client as the gateway's rooms do. */
async function bareServers(): Promise<{ ports: Record<Codec, number>, broadcast: Record<Codec, Broadcast>, close: () => void }> {
  const [{ Server }, { CODECS, socketParser }] = await Promise.all([import('socket.io'), import('./transport.codec')])
  const servers = await Promise.all(CODECS.map(async (codec) => {
    const http = createServer()
    const parser = socketParser(codec)
    const io = new Server(http, { serveClient: false, parser })
    await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve))
    return { codec, io, port: (http.address() as AddressInfo).port }
  }))
  return {
    ports: Object.fromEntries(servers.map(s => [s.codec, s.port])) as Record<Codec, number>,
    broadcast: Object.fromEntries(servers.map(s => [s.codec, (event: AnyStreamEvent) => void s.io.emit('stream:published', event)])) as Record<Codec, Broadcast>,
    close: () => servers.forEach(s => void s.io.close()),
  }
}

async function main(): Promise<void> {
  const booted = performance.now()
  const opts = JSON.parse(process.env.BENCH_SERVER_OPTS ?? '{}') as ServerOptions
  let imported: number
  let port = 0
  /** A display token the walls sign in with (none for the bare servers, which check no one). */
  let displayToken = ''
  let broadcast: Partial<Record<Codec, Broadcast>> = {}
  let ioPorts: Partial<Record<Codec, number>> = {}
  let close: () => Promise<void>
  if (opts.bare) {
    const bare = await bareServers()
    imported = performance.now()
    broadcast = bare.broadcast
    ioPorts = bare.ports
    close = () => Promise.resolve(bare.close())
  }
  else {
    const [{ Config }, { startServer }, { socketParser }] = await Promise.all([
      import('@server/config'),
      import('@server/main'),
      import('./transport.codec'),
    ])
    imported = performance.now()
    const config = Config.parse({
      port: opts.port,
      host: '127.0.0.1',
      dbFile: join(opts.dbDir, 'bench.db'),
      buildClient: false,
      tickMs: opts.tickMs,
      simSpeed: opts.simSpeed,
      simIntervalMs: opts.intervalMs,
      simTrafficIntervalMs: opts.intervalMs,
      simHallIntervalMs: opts.intervalMs,
      // The child runs as production does (NODE_ENV=production), which needs a real secret; the same for a restarted server.
      secret: process.env.BENCH_SECRET,
    })
    const server = await startServer(config, { socketParser: socketParser(opts.codec) })
    port = server.port
    displayToken = (await server.auth.admin.issueDisplayToken({ principal: { kind: 'user', userId: 'bench', username: 'bench', roles: ['admin'], departmentId: null }, clientIp: null }, { name: 'bench walls', scene: null })).secret
    close = () => server.close()
  }
  const listening = performance.now()
  // socket.io leaves per-message deflate off; so does the comparison.
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false })
  await new Promise<void>(resolve => wss.once('listening', () => resolve()))
  const wsPort = (wss.address() as AddressInfo).port
  const pathOf = new WeakMap<WebSocket, string>()
  wss.on('connection', (ws, request) => pathOf.set(ws, request.url ?? '/'))

  process.on('message', (message: ToChild) => {
    const replayed = (): void => send({ type: 'replayed' })
    if (message.type === 'usage') {
      send({ type: 'usage', at: performance.now(), cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), rss: process.memoryUsage().rss, wsClients: wss.clients.size })
    }
    else if (message.target === 'ws') {
      // As socket.io's broadcast does: the frame is encoded once and written to every socket.
      const path = message.path
      playAt(message.frames, ({ payload }) => {
        for (const client of wss.clients) {
          if (path === undefined || pathOf.get(client) === path)
            client.send(payload, { binary: typeof payload !== 'string' })
        }
      }, replayed)
    }
    else {
      const emit = broadcast[message.target]
      if (emit)
        playAt(message.events, ({ event }) => emit(event), replayed)
      else
        replayed()
    }
  })
  process.on('disconnect', () => {
    wss.close()
    void close().finally(() => process.exit(0))
  })
  send({ type: 'ready', port, wsPort, ioPorts, startup: { booted, imported, listening }, displayToken })
}

/** Runs `fn` for every item at its offset from now, then `done`. */
function playAt<T extends { t: number }>(items: readonly T[], fn: (item: T) => void, done: () => void): void {
  const start = Date.now()
  let next = 0
  const step = (): void => {
    const elapsed = Date.now() - start
    while (next < items.length && (items[next] as T).t <= elapsed)
      fn(items[next++] as T)
    if (next < items.length)
      setTimeout(step, Math.max(0, (items[next] as T).t - (Date.now() - start)))
    else
      done()
  }
  step()
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
