// The store under test uses Vite's `import.meta.hot`; this file is also checked by tsconfig.server.json.
/// <reference types="vite/client" />
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPinia } from 'pinia'
import { afterEach, describe, expect, it } from 'vitest'
import { Server } from 'socket.io'
import { watch } from 'vue'
import type { Ack } from '@shared/realtime/events'
import { Config } from '@server/config'
import type { ConfigInput } from '@server/config'
import { displaySession } from '@server/auth/auth.support'
import { startServer } from '@server/main'
import type { RunningServer } from '@server/main'
import type { ConnectionState } from '@client/stores/connection'
import { useConnectionStore } from '@client/stores/connection'
import type { NetworkEvents } from './connection-supervisor'
import { superviseConnection } from './connection-supervisor'
import { createSocket, SOCKET_OPTIONS } from './socket'
import type { IocSocket } from './socket'
import { StreamSubscription } from './stream-subscription'

const POLL_MS = 25

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  for (let waited = 0; waited < timeoutMs; waited += POLL_MS) {
    if (condition())
      return
    await new Promise(resolve => setTimeout(resolve, POLL_MS))
  }
  throw new Error(`gave up waiting for ${what}`)
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** Everything a test started, stopped in reverse by afterEach. */
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  while (cleanups.length > 0)
    await cleanups.pop()?.()
})

/** The server now listening on each port (a restart on the same port replaces it). */
const serverOn = new Map<number, RunningServer>()

async function startAt(port: number, overrides: ConfigInput = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-supervisor-'))
  const server = await startServer(Config.parse({
    port, host: '127.0.0.1', dbFile: join(dir, 'ioc.db'), buildClient: false,
    simSpeed: 60, simIntervalMs: 100, tickMs: 100, simFaultRate: 0, ...overrides,
  }))
  serverOn.set(server.port, server)
  cleanups.push(async () => {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return server
}

/** A wall's credential for each (re)connect: a display session on whichever server now listens on the port. */
async function ticketFor(port: number): Promise<{ ticket: string }> {
  const server = serverOn.get(port)
  if (!server)
    throw new Error(`no server on ${port}`)
  return { ticket: await (await displaySession(server, `http://127.0.0.1:${port}`)).ticket() }
}

/** The realtime module's wiring, on a real socket: the store, one air subscription, the supervisor. */
function connectClient(port: number, options: { tickMs?: number, network?: NetworkEvents } = {}) {
  const store = useConnectionStore(createPinia())
  const socket: IocSocket = createSocket({ url: `http://127.0.0.1:${port}`, auth: () => ticketFor(port), extraHeaders: { origin: `http://127.0.0.1:${port}` } })
  const seen: ConnectionState[] = []
  watch(() => store.state, state => seen.push(state), { flush: 'sync' })
  const disconnects: string[] = []
  const logs: string[] = []
  let snapshots = 0
  let maxAttempt = 0
  watch(() => store.reconnectAttempt, (n) => {
    maxAttempt = Math.max(maxAttempt, n)
  }, { flush: 'sync' })
  const air = new StreamSubscription(socket, 'air', {
    snapshot: () => {
      snapshots += 1
    },
    event: () => {},
    subscribed: () => store.messageReceived(),
  })
  socket.on('connect', () => air.subscribe())
  socket.on('disconnect', (reason) => {
    disconnects.push(reason)
    air.connectionLost()
  })
  socket.on('stream:published', (event) => {
    store.messageReceived()
    if (event.stream === 'air')
      air.receive(event)
  })
  const stop = superviseConnection(socket, store, { log: line => logs.push(line), ...options })
  cleanups.push(() => {
    stop()
    air.close()
    socket.disconnect()
  })
  return { store, socket, air, seen, disconnects, logs, snapshots: () => snapshots, maxAttempt: () => maxAttempt }
}

describe(superviseConnection.name, () => {
  it('reconnects to a new server on the same port after a restart, and resubscribes to its new epoch', async () => {
    const first = await startAt(0)
    const port = first.port
    const client = connectClient(port)
    await until(() => client.store.state === 'live' && client.snapshots() === 1, 'live data from the first server')
    const firstEpoch = client.air.position.epoch
    expect(firstEpoch).toBeDefined()

    await first.close()
    await until(() => client.store.state === 'offline' || client.store.state === 'connecting', 'the loss to show')
    await until(() => client.store.reconnectAttempt >= 1, 'a reconnect attempt against the stopped server')

    await startAt(port)
    await until(() => client.store.state === 'live' && client.snapshots() === 2, 'live data from the second server', 40_000)
    expect(client.air.position.epoch).toBeDefined()
    expect(client.air.position.epoch).not.toBe(firstEpoch)
    expect(client.store.reconnectAttempt).toBe(0)
    expect(client.maxAttempt()).toBeGreaterThanOrEqual(1)
    expect(client.seen[0]).toBe('live')
    expect(client.seen).toContain('offline')
    expect(client.seen.at(-1)).toBe('live')
  }, 90_000)

  it('replaces a connection that stays silent, and leaves alone one that delivers', async () => {
    const server = await startAt(0)
    const client = connectClient(server.port, { tickMs: 100 })
    // The air stream publishes every 100 ms here: a tight threshold is still generous.
    client.store.staleAfterMs = 1500
    await until(() => client.store.state === 'live', 'live data')
    const firstId = client.socket.id

    // Longer than the 3 s after which silence condemns a socket: data keeps it alive.
    await sleep(4000)
    expect(client.disconnects).toEqual([])
    expect(client.store.state).toBe('live')

    // The server stops sending while the socket stays up, as on a half-open link.
    const ack = await new Promise<Ack<null>>((resolve, reject) => {
      client.socket.timeout(5000).emit('stream:unsubscribe', { stream: 'air' }, (err, answer) => err ? reject(err) : resolve(answer))
    })
    expect(ack.ok).toBe(true)
    await until(() => client.disconnects.length === 1, 'the silent connection to be replaced', 15_000)
    expect(client.logs.some(line => line.includes('silent'))).toBe(true)
    await until(() => client.socket.connected && client.store.state === 'live', 'live data on a new connection')
    expect(client.socket.id).not.toBe(firstId)
    expect(client.seen).toContain('stale')
    expect(client.seen.indexOf('stale')).toBeLessThan(client.seen.indexOf('offline'))
  }, 60_000)

  it('tries again at once when the browser comes back online, without waiting out the backoff', async () => {
    const server = await startAt(0)
    const network = new EventTarget()
    const client = connectClient(server.port, { network })
    await until(() => client.store.state === 'live', 'live data')

    // Offline by the browser's word, though the socket is up: the operator sees it, the socket is left alone.
    network.dispatchEvent(new Event('offline'))
    expect(client.store.state).toBe('offline')
    network.dispatchEvent(new Event('online'))
    expect(client.store.state).toBe('live')
    expect(client.disconnects).toEqual([])

    // Make the manager's wait long (30–90 s), then drop the link (the server stays up).
    client.socket.io.reconnectionDelay(60_000)
    client.socket.io.reconnectionDelayMax(60_000)
    client.socket.io.engine.close()
    expect(client.store.transport).toBe('disconnected')
    await sleep(500)
    expect(client.store.transport).toBe('disconnected')

    const attemptsBefore = client.store.reconnectAttempt
    network.dispatchEvent(new Event('online'))
    expect(client.store.transport).toBe('connecting')
    expect(client.store.reconnectAttempt).toBe(attemptsBefore + 1)
    // Well inside the manager's shortest wait of 30 s.
    await until(() => client.store.state === 'live', 'live data right after the online event', 15_000)
  }, 90_000)

  it('comes back after the server refuses or kicks it, waiting longer each time in a row, asking for credentials every time', async () => {
    // A bare socket.io server that refuses the first handshake, kicks the first
    // connection, and keeps the second: what an auth middleware or an admin might do.
    const http = createServer()
    const io = new Server(http, { parser: SOCKET_OPTIONS.parser })
    const tokens: unknown[] = []
    io.use((socket, next) => {
      tokens.push((socket.handshake.auth as { token?: unknown }).token)
      next(tokens.length === 1 ? new Error('not now') : undefined)
    })
    let connections = 0
    io.on('connection', (socket) => {
      connections += 1
      if (connections === 1)
        socket.disconnect()
    })
    await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise<void>(resolve => void io.close(() => resolve())))

    let issued = 0
    const store = useConnectionStore(createPinia())
    const socket = createSocket({ url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, auth: () => ({ token: `t${++issued}` }) })
    const logs: string[] = []
    const disconnects: string[] = []
    socket.on('disconnect', reason => disconnects.push(reason))
    // The middle of the jitter: the waits are exactly the growing base.
    const stop = superviseConnection(socket, store, { log: line => logs.push(line), random: () => 0.5 })
    cleanups.push(() => {
      stop()
      socket.disconnect()
    })

    await until(() => connections === 2 && socket.connected, 'the connection that is kept')
    expect(disconnects).toEqual(['io server disconnect'])
    expect(logs).toEqual([
      'the server refused the connection (not now); reconnecting in 2000 ms',
      'the server closed the connection; reconnecting in 4000 ms',
    ])
    expect(tokens).toEqual(['t1', 't2', 't3'])
    expect(store.transport).toBe('connected')
    expect(store.reconnectAttempt).toBe(0)
  }, 30_000)
})
