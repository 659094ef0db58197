/**
 * The air stream end to end, against the real server: config → simulator →
 * ingest → SQLite → socket.io and HTTP, with real socket.io clients.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { AnyStreamEvent, SubscribeRequest } from '@shared/realtime/events'
import { StreamEventSchema } from '@shared/realtime/events'
import { CityAir, StationReading } from '@shared/schemas/air'
import { CityModel } from '@shared/schemas/city'
import { Config } from '@server/config'
import type { RunningServer } from '@server/main'
import { startServer } from '@server/main'
import type { Client, ClientSocket } from './int.support'
import { connect, connectClient, fastClock, getJson, operatorSession, subscribe, subscribeOk, until } from './int.support'

const STATIONS = 33
const T0 = Date.parse('2026-11-23T00:00:00.000Z')
/** 100 ms of real time is a minute of the simulated city. */
const SIM_MS_PER_REAL_MS = 600
const steppingClock = (start: number): ReturnType<typeof fastClock> => fastClock(start, SIM_MS_PER_REAL_MS)

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

interface LatestBody { readings: StationReading[], city: CityAir | null }
interface Totals { received: number, accepted: number, rejected: number, duplicates: number }
interface FeedsBody { feeds: { id: string, totals: Totals }[] }

/** What ingest counted for the simulator, all kinds together. */
async function simulatorTotals(server: RunningServer): Promise<Totals> {
  const feed = (await getJson<FeedsBody>(server, '/api/feeds')).body.feeds.find(f => f.id === 'simulator')
  if (!feed)
    throw new Error('no simulator feed in /api/feeds')
  return feed.totals
}
interface RejectedBody { total: number, records: { id: number, source: string, kind: string | null, receivedAt: string, reasons: { path: string, code: string, message: string }[], raw: string }[] }

const openClients: ClientSocket[] = []
const client = async (server: RunningServer): Promise<Client> => connectClient(server, openClients)

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
      expect(snap.stream).toBe('air')
      if (snap.mode !== 'snapshot' || snap.stream !== 'air')
        return
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
        if (event.stream !== 'air')
          throw new Error(`an event of ${event.stream} reached a client subscribed to air only`)
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
      if (result.mode === 'snapshot' && result.stream === 'air')
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

    const rejected = await (await operatorSession(server)).get<RejectedBody>('/api/ingest/rejects')
    expect(rejected.status).toBe(200)
    expect(rejected.body).toEqual({ total: 0, records: [] })

    const totals = await simulatorTotals(server)
    expect(totals.rejected).toBe(0)
    expect(totals.accepted).toBeGreaterThanOrEqual(STATIONS)

    expect((await (await operatorSession(server)).get('/api/ingest/rejects?limit=0')).status).toBe(400)
    expect((await (await operatorSession(server)).get('/api/ingest/rejects?limit=abc')).status).toBe(400)
    expect((await (await operatorSession(server)).get('/api/ingest/rejects?kind=weather')).status).toBe(400)
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

  it('are listed with their reasons at /api/ingest/rejects and change nothing', async () => {
    dir = await tempDir()
    server = await startServer(config(dir, { simFaultRate: 1 }), { clock: steppingClock(T0) })
    const running = server
    const rejected = await until('two rounds of rejected records', async () => {
      const { body } = await (await operatorSession(running)).get<RejectedBody>('/api/ingest/rejects?kind=air&limit=500')
      return body.total >= 2 * STATIONS && body
    })
    expect(rejected.records.length).toBeGreaterThanOrEqual(2 * STATIONS)
    const ids = rejected.records.map(r => r.id)
    expect(ids).toEqual([...ids].sort((x, y) => y - x))
    for (const record of rejected.records) {
      expect(record.source).toBe('simulator')
      expect(record.kind).toBe('air')
      expect(Number.isNaN(Date.parse(record.receivedAt))).toBe(false)
      expect(record.reasons.length).toBeGreaterThan(0)
      for (const reason of record.reasons) {
        expect(reason.path).toMatch(/^(stationId|observedAt|indicators(\.\w+)?|time|\(record\))$/)
        expect(reason.code).toMatch(/^[a-z_]+$/)
        expect(reason.message.length).toBeGreaterThan(0)
      }
      expect(record.raw.length).toBeGreaterThan(0)
    }
    const kinds = new Set(rejected.records.flatMap(r => r.reasons.map(reason => `${reason.path}:${reason.code}`)))
    expect(kinds.size).toBeGreaterThanOrEqual(3)

    // The simulator keeps sending faulty rounds: the newest three are at least as new as what was listed before.
    const top = (await (await operatorSession(running)).get<RejectedBody>('/api/ingest/rejects?kind=air&limit=3')).body.records
    expect(top).toHaveLength(3)
    expect(top.map(r => r.id)).toEqual([...top.map(r => r.id)].sort((x, y) => y - x))
    expect(top[2]?.id).toBeGreaterThanOrEqual(rejected.records[2]?.id ?? Infinity)

    const latest = await getJson<LatestBody>(running, '/api/air/latest')
    expect(latest.body).toEqual({ readings: [], city: null })
    const [simulator] = (await getJson<FeedsBody>(running, '/api/feeds')).body.feeds
    expect(simulator?.id).toBe('simulator')
    expect(simulator?.totals.accepted).toBe(0)
    expect(simulator?.totals.rejected).toBeGreaterThanOrEqual(2 * STATIONS)

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
    const probe = await client(first)
    await until('three points of city trend', async () => {
      const snap = await subscribeOk(probe.socket, { stream: 'air' })
      return snap.mode === 'snapshot' && snap.stream === 'air' && snap.snapshot.trend.length >= 3
    })
    probe.socket.disconnect()

    // Stop simulated time; once a round at the frozen time has come in as duplicates, the state holds still.
    clock1.frozen = true
    const duplicatesBefore = (await simulatorTotals(first)).duplicates
    await until('a duplicate round', async () => (await simulatorTotals(first)).duplicates >= duplicatesBefore + STATIONS)
    await first.drained()
    // What clients are sent is what was published: the last tick's batch must have left before we compare.
    await new Promise(resolve => setTimeout(resolve, 3 * Config.parse({}).tickMs))
    const before = (await getJson<LatestBody>(first, '/api/air/latest')).body
    const a = await client(first)
    const snapBefore = await subscribeOk(a.socket, { stream: 'air' })
    a.socket.disconnect()
    expect(before.readings).toHaveLength(STATIONS)
    if (snapBefore.mode !== 'snapshot' || snapBefore.stream !== 'air')
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
    if (snapAfter.mode === 'snapshot' && snapAfter.stream === 'air')
      expect(snapAfter.snapshot.trend).toEqual(snapBefore.snapshot.trend)
    // A client of the first run gets a snapshot of the second, not events.
    expect((await subscribeOk(b.socket, { stream: 'air', epoch: snapBefore.epoch, lastSeq: snapBefore.seq })).mode).toBe('snapshot')

    // The new run's simulator did run: its rounds came in, and none replaced a stored reading.
    await until('a round of the new run', async () => (await simulatorTotals(second)).duplicates >= STATIONS)
    await second.drained()
    expect(byStation((await getJson<LatestBody>(second, '/api/air/latest')).body.readings)).toEqual(byStation(before.readings))
  })
})
