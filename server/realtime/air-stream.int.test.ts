/**
 * The air stream end to end, against the real server: config → simulator →
 * ingest → SQLite → socket.io and HTTP, with real socket.io clients.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { io } from 'socket.io-client'
import type { Socket } from 'socket.io-client'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { AnyStreamEvent, ClientToServerEvents, ServerToClientEvents, SubscribeRequest } from '@shared/realtime/events'
import { StreamEventSchema, SubscribeResultSchema } from '@shared/realtime/events'
import { CityAir, StationReading } from '@shared/schemas/air'
import { CityModel } from '@shared/schemas/city'
import { Config } from '@server/config'
import type { SimClock } from '@server/feeds/sim-clock'
import type { RunningServer } from '@server/main'
import { startServer } from '@server/main'

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>
type Result = z.infer<typeof SubscribeResultSchema>

const STATIONS = 33
const T0 = Date.parse('2026-11-23T00:00:00.000Z')
const TICK_MS = 60_000
/** An answer that takes longer than this is a failure (a guard, not a measurement). */
const ACK_TIMEOUT_MS = 10_000

/**
 * Simulated time that moves 60 s each time it is read, so that every
 * simulator tick is newer than the last; frozen, it stands still.
 */
function steppingClock(start: number): SimClock & { frozen: boolean, t: number } {
  const clock = {
    frozen: false,
    t: start,
    now: () => (clock.frozen ? clock.t : (clock.t += TICK_MS)),
  }
  return clock
}

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'ioc-air-stream-'))
}

function config(dir: string, overrides: Partial<Config> = {}): Config {
  return Config.parse({
    port: 0,
    host: '127.0.0.1',
    dbFile: join(dir, 'ioc.db'),
    buildClient: false,
    simIntervalMs: 100,
    simSpeed: 60,
    simFaultRate: 0,
    ...overrides,
  })
}

const baseUrl = (server: RunningServer): string => `http://127.0.0.1:${server.port}`

type Falsy = false | 0 | '' | null | undefined

/** Polls `probe` until it gives a truthy value; fails after `tries` attempts. */
async function until<T>(what: string, probe: () => T | Promise<T>, tries = 400, everyMs = 25): Promise<Exclude<T, Falsy>> {
  for (let i = 0; i < tries; i++) {
    const value = await probe()
    if (value)
      return value as Exclude<T, Falsy>
    await new Promise(resolve => setTimeout(resolve, everyMs))
  }
  throw new Error(`gave up waiting for ${what} after ${tries} tries`)
}

async function getJson<T = unknown>(server: RunningServer, path: string): Promise<{ status: number, body: T, headers: Headers }> {
  const res = await fetch(`${baseUrl(server)}${path}`)
  return { status: res.status, body: (await res.json()) as T, headers: res.headers }
}

interface LatestBody { readings: StationReading[], city: CityAir | null }
interface HealthBody { ingest: { received: number, accepted: number, rejected: number, stale: number } }
interface RejectedBody { total: number, records: { id: number, source: string, receivedAt: string, reasons: { path: string, code: string, message: string }[], raw: string }[] }

/** A real socket.io client that records every stream event it receives, from before it subscribes. */
interface Client { socket: ClientSocket, events: AnyStreamEvent[] }

const openClients: ClientSocket[] = []

async function connect(socket: ClientSocket): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', reject)
    socket.connect()
  })
}

async function client(server: RunningServer): Promise<Client> {
  const socket: ClientSocket = io(baseUrl(server), { transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false })
  openClients.push(socket)
  const events: AnyStreamEvent[] = []
  socket.on('stream:published', event => events.push(event))
  await connect(socket)
  return { socket, events }
}

/** The answer to a subscribe as it must arrive: checked against the wire schema. */
const SubscribeAck = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), data: SubscribeResultSchema }),
  z.strictObject({ ok: z.literal(false), error: z.string().min(1) }),
])

async function subscribe(socket: ClientSocket, request: SubscribeRequest): Promise<z.infer<typeof SubscribeAck>> {
  const ack: unknown = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('stream:subscribe', request)
  return SubscribeAck.parse(ack)
}

async function subscribeOk(socket: ClientSocket, request: SubscribeRequest): Promise<Result> {
  const ack = await subscribe(socket, request)
  if (!ack.ok)
    throw new Error(`subscribe failed: ${ack.error}`)
  return ack.data
}

function expectConsecutive(events: readonly { seq: number }[], after: number): void {
  expect(events.map(e => e.seq)).toEqual(events.map((_, i) => after + 1 + i))
}

afterEach(() => {
  for (const socket of openClients.splice(0))
    socket.disconnect()
})

describe('the air stream against the real server', { timeout: 60_000 }, () => {
  let dir: string
  let server: RunningServer

  beforeAll(async () => {
    dir = await tempDir()
    server = await startServer(config(dir), { clock: steppingClock(T0) })
    // The simulator's first round is in the store and the state.
    await until('the first round of readings', async () => (await getJson<LatestBody>(server, '/api/air/latest')).body.readings.length === STATIONS)
  }, 60_000)

  afterAll(async () => {
    await server?.close()
    if (dir)
      await rm(dir, { recursive: true, force: true })
  }, 60_000)

  it('gives each new subscriber a snapshot, then the same consecutive events', async () => {
    const [a, b] = await Promise.all([client(server), client(server)])
    const [snapA, snapB] = await Promise.all([subscribeOk(a.socket, { stream: 'air' }), subscribeOk(b.socket, { stream: 'air' })])

    for (const snap of [snapA, snapB]) {
      expect(snap.mode).toBe('snapshot')
      if (snap.mode !== 'snapshot')
        return
      expect(snap.stream).toBe('air')
      expect(snap.seq).toBeGreaterThan(0)
      expect(snap.snapshot.readings).toHaveLength(STATIONS)
      expect(snap.snapshot.city?.stationsReporting).toBe(STATIONS)
      expect(snap.snapshot.trend.length).toBeGreaterThan(0)
    }
    expect(snapA.epoch).toBe(snapB.epoch)

    const common = Math.max(snapA.seq, snapB.seq)
    await until('five events seen by both clients', () => [a, b].every(c => c.events.some(e => e.seq >= common + 5)))

    for (const [c, snap] of [[a, snapA], [b, snapB]] as const) {
      expectConsecutive(c.events, snap.seq)
      for (const event of c.events) {
        expect(StreamEventSchema.parse(event)).toEqual(event)
        expect(event.epoch).toBe(snap.epoch)
        // No faults, every round newer: each event carries a full round.
        expect(event.data.readings).toHaveLength(STATIONS)
        expect(event.data.city?.stationsReporting).toBe(STATIONS)
      }
    }
    const last = Math.min(a.events.at(-1)?.seq ?? 0, b.events.at(-1)?.seq ?? 0)
    const range = (c: Client): AnyStreamEvent[] => c.events.filter(e => e.seq > common && e.seq <= last)
    expect(range(a).length).toBeGreaterThanOrEqual(5)
    expect(range(a)).toEqual(range(b))
  })

  it('sends a client that comes back exactly the events it missed', async () => {
    const a = await client(server)
    const b = await client(server)
    const snapA = await subscribeOk(a.socket, { stream: 'air' })
    await subscribeOk(b.socket, { stream: 'air' })
    const lastHeld = await until('an event for client A', () => a.events.at(-1))
    expectConsecutive(a.events, snapA.seq)

    a.socket.disconnect()
    const eventsBefore = a.events.length
    // B, still connected, watches the server publish events that A misses.
    await until('three events missed by A', () => b.events.some(e => e.seq >= lastHeld.seq + 3))
    expect(a.events).toHaveLength(eventsBefore)

    await connect(a.socket)
    const resumed = await subscribeOk(a.socket, { stream: 'air', epoch: lastHeld.epoch, lastSeq: lastHeld.seq })
    expect(resumed.mode).toBe('events')
    if (resumed.mode !== 'events')
      return
    expect(resumed.epoch).toBe(lastHeld.epoch)
    expect(resumed.seq).toBeGreaterThanOrEqual(lastHeld.seq + 3)
    expectConsecutive(resumed.events, lastHeld.seq)
    expect(resumed.events.at(-1)?.seq).toBe(resumed.seq)
    // The very events B was sent live.
    await until('B to have seen every resumed event', () => b.events.some(e => e.seq >= resumed.seq))
    expect(resumed.events).toEqual(b.events.filter(e => e.seq > lastHeld.seq && e.seq <= resumed.seq))

    // Live events go on from where the missed ones end.
    await until('two live events after the resume', () => a.events.some(e => e.seq >= resumed.seq + 2))
    expectConsecutive(a.events.slice(eventsBefore), resumed.seq)
  })

  it('answers a client that is up to date with the events since, possibly none', async () => {
    const a = await client(server)
    const snap = await subscribeOk(a.socket, { stream: 'air' })
    const again = await subscribeOk(a.socket, { stream: 'air', epoch: snap.epoch, lastSeq: snap.seq })
    expect(again.mode).toBe('events')
    if (again.mode === 'events')
      expectConsecutive(again.events, snap.seq)
  })

  it('sends a snapshot to a client of another epoch or from the future', async () => {
    const a = await client(server)
    const first = await subscribeOk(a.socket, { stream: 'air' })
    for (const request of [
      { stream: 'air', epoch: 'an-epoch-of-a-previous-run', lastSeq: 1 },
      { stream: 'air', epoch: first.epoch, lastSeq: first.seq + 1000 },
      { stream: 'air', epoch: first.epoch },
    ] satisfies SubscribeRequest[]) {
      const result = await subscribeOk(a.socket, request)
      expect(result.mode).toBe('snapshot')
      expect(result.epoch).toBe(first.epoch)
      expect(result.seq).toBeGreaterThanOrEqual(first.seq)
      if (result.mode === 'snapshot')
        expect(result.snapshot.readings).toHaveLength(STATIONS)
    }
  })

  it('answers an invalid subscribe with an error, and keeps working', async () => {
    const a = await client(server)
    const bad: [unknown, string][] = [
      [{ stream: 'nope' }, 'stream'],
      [{ stream: 'air', lastSeq: -1 }, 'lastSeq'],
      [{ stream: 'air', lastSeq: 1.5 }, 'lastSeq'],
      [{ stream: 'air', epoch: 'e'.repeat(65) }, 'epoch'],
      [{ stream: 'air', admin: true }, 'admin'],
      [null, '(payload)'],
      ['air', '(payload)'],
    ]
    for (const [payload, mentions] of bad) {
      const ack = await subscribe(a.socket, payload as SubscribeRequest)
      expect(ack.ok).toBe(false)
      if (!ack.ok) {
        expect(ack.error).toContain('invalid stream:subscribe')
        expect(ack.error).toContain(mentions)
      }
    }
    expect(a.events).toEqual([])

    // The same connection, and the server, go on working.
    expect(a.socket.connected).toBe(true)
    const result = await subscribeOk(a.socket, { stream: 'air' })
    expect(result.mode).toBe('snapshot')
    await until('an event after the bad requests', () => a.events.some(e => e.seq > result.seq))
    expect((await getJson(server, '/api/health')).status).toBe(200)
  })

  it('drops a client that sends an oversized message, and only that client', async () => {
    const [a, b] = await Promise.all([client(server), client(server)])
    const snapB = await subscribeOk(b.socket, { stream: 'air' })
    const dropped = new Promise<string>(resolve => a.socket.once('disconnect', reason => resolve(reason)))
    a.socket.emit('stream:subscribe', { stream: 'air', epoch: 'x'.repeat(200_000) }, () => {})
    expect(await dropped).toBe('transport close')
    await until('B to get events after A was dropped', () => b.events.some(e => e.seq >= snapB.seq + 2))
    expectConsecutive(b.events, snapB.seq)
  })

  it('serves the city model, the latest air and an empty dead-letter list over HTTP', async () => {
    const city = await getJson<CityModel>(server, '/api/city')
    expect(city.status).toBe(200)
    const model = CityModel.parse(city.body)
    expect(model.id).toBe('dongguan')
    expect(model.airStations).toHaveLength(STATIONS)
    expect(city.headers.get('cache-control')).toContain('max-age')

    const latest = await getJson<LatestBody>(server, '/api/air/latest')
    expect(latest.status).toBe(200)
    const readings = latest.body.readings.map(r => StationReading.parse(r))
    expect(readings.map(r => r.stationId).sort()).toEqual(model.airStations.map(s => s.id).sort())
    for (const r of readings)
      expect(r.observedAt).toMatch(/Z$/)
    expect(CityAir.parse(latest.body.city).stationsTotal).toBe(STATIONS)

    const rejected = await getJson<RejectedBody>(server, '/api/air/rejected')
    expect(rejected.status).toBe(200)
    expect(rejected.body).toEqual({ total: 0, records: [] })

    const health = await getJson<HealthBody>(server, '/api/health')
    expect(health.body.ingest.rejected).toBe(0)
    expect(health.body.ingest.accepted).toBeGreaterThanOrEqual(STATIONS)

    expect((await getJson(server, '/api/air/rejected?limit=0')).status).toBe(400)
    expect((await getJson(server, '/api/air/rejected?limit=abc')).status).toBe(400)
    const missing = await getJson<{ error: string }>(server, '/api/no-such-thing')
    expect(missing.status).toBe(404)
    expect(missing.body.error).toBe('not found')
  })
})

describe('malformed records from the feed', { timeout: 60_000 }, () => {
  let dir: string
  let server: RunningServer | undefined

  afterAll(async () => {
    await server?.close()
    if (dir)
      await rm(dir, { recursive: true, force: true })
  }, 60_000)

  it('are listed with their reasons at /api/air/rejected and change nothing', async () => {
    dir = await tempDir()
    server = await startServer(config(dir, { simFaultRate: 1 }), { clock: steppingClock(T0) })
    const running = server
    const rejected = await until('two rounds of rejected records', async () => {
      const { body } = await getJson<RejectedBody>(running, '/api/air/rejected?limit=500')
      return body.total >= 2 * STATIONS && body
    })
    expect(rejected.records.length).toBeGreaterThanOrEqual(2 * STATIONS)
    const ids = rejected.records.map(r => r.id)
    expect(ids).toEqual([...ids].sort((x, y) => y - x))
    for (const record of rejected.records) {
      expect(record.source).toBe('simulator:air')
      expect(Number.isNaN(Date.parse(record.receivedAt))).toBe(false)
      expect(record.reasons.length).toBeGreaterThan(0)
      for (const reason of record.reasons) {
        expect(reason.path).toMatch(/^(stationId|observedAt|indicators\.\w+)$/)
        expect(reason.code).toMatch(/^[a-z_]+$/)
        expect(reason.message.length).toBeGreaterThan(0)
      }
      expect(record.raw.length).toBeGreaterThan(0)
    }
    const kinds = new Set(rejected.records.flatMap(r => r.reasons.map(reason => `${reason.path}:${reason.code}`)))
    expect(kinds.size).toBeGreaterThanOrEqual(3)

    expect((await getJson(running, '/api/air/rejected?limit=3')).body).toMatchObject({ records: rejected.records.slice(0, 3) })

    const latest = await getJson<LatestBody>(running, '/api/air/latest')
    expect(latest.body).toEqual({ readings: [], city: null })
    const health = await getJson<HealthBody>(running, '/api/health')
    expect(health.body.ingest.accepted).toBe(0)
    expect(health.body.ingest.rejected).toBeGreaterThanOrEqual(2 * STATIONS)

    const a = await client(running)
    const snap = await subscribeOk(a.socket, { stream: 'air' })
    expect(snap).toMatchObject({ mode: 'snapshot', seq: 0, snapshot: { readings: [], city: null, trend: [] } })
  })
})

describe('a restart on the same database', { timeout: 60_000 }, () => {
  let dir: string
  const servers: RunningServer[] = []

  afterAll(async () => {
    for (const s of servers)
      await s.close()
    if (dir)
      await rm(dir, { recursive: true, force: true })
  }, 60_000)

  it('serves the stations\' readings and the trend from the store before any new reading', async () => {
    dir = await tempDir()
    const clock1 = steppingClock(T0)
    const first = await startServer(config(dir), { clock: clock1 })
    servers.push(first)
    await until('three rounds of readings', async () => (await getJson<HealthBody>(first, '/api/health')).body.ingest.accepted >= 3 * STATIONS)

    // Stop simulated time; once a round at the frozen time has come in as stale, the state holds still.
    clock1.frozen = true
    const staleBefore = (await getJson<HealthBody>(first, '/api/health')).body.ingest.stale
    await until('a stale round', async () => (await getJson<HealthBody>(first, '/api/health')).body.ingest.stale >= staleBefore + STATIONS)
    await first.drained()
    const before = (await getJson<LatestBody>(first, '/api/air/latest')).body
    const a = await client(first)
    const snapBefore = await subscribeOk(a.socket, { stream: 'air' })
    a.socket.disconnect()
    expect(before.readings).toHaveLength(STATIONS)
    if (snapBefore.mode !== 'snapshot')
      throw new Error('expected a snapshot')
    expect(snapBefore.snapshot.trend.length).toBeGreaterThanOrEqual(3)
    await first.close()

    // Simulated time resumes where it stood: the new run's rounds are as old as what the store holds.
    const second = await startServer(config(dir), { clock: { now: () => clock1.t } })
    servers.push(second)
    const after = (await getJson<LatestBody>(second, '/api/air/latest')).body
    const byStation = (readings: StationReading[]): StationReading[] => [...readings].sort((x, y) => x.stationId.localeCompare(y.stationId))
    expect(byStation(after.readings)).toEqual(byStation(before.readings))
    expect(after.city).toEqual(before.city)

    const b = await client(second)
    const snapAfter = await subscribeOk(b.socket, { stream: 'air' })
    expect(snapAfter.epoch).not.toBe(snapBefore.epoch)
    expect(snapAfter.mode).toBe('snapshot')
    if (snapAfter.mode === 'snapshot')
      expect(snapAfter.snapshot.trend).toEqual(snapBefore.snapshot.trend)
    // A client of the first run gets a snapshot of the second, not events.
    expect((await subscribeOk(b.socket, { stream: 'air', epoch: snapBefore.epoch, lastSeq: snapBefore.seq })).mode).toBe('snapshot')

    // The new run's simulator did run: its rounds came in, and none replaced a stored reading.
    await until('a round of the new run', async () => (await getJson<HealthBody>(second, '/api/health')).body.ingest.received >= STATIONS)
    await second.drained()
    const health = (await getJson<HealthBody>(second, '/api/health')).body.ingest
    expect(health.accepted).toBe(0)
    expect(health.stale).toBe(health.received)
    expect(byStation((await getJson<LatestBody>(second, '/api/air/latest')).body.readings)).toEqual(byStation(before.readings))
  })
})
