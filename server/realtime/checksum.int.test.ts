/**
 * The periodic stream checksum against the real server: walls that keep every
 * stream with the real StreamSubscription while the simulated city runs. A
 * wall left alone never resyncs, so the server's mirrors and the client's fold
 * agree on every stream, over JSON and over msgpack; a wall whose state goes
 * wrong without a gap in the numbering is put right by the next checksum,
 * once, and then agrees again.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { io } from 'socket.io-client'
import * as msgpackParser from 'socket.io-msgpack-parser'
import * as jsonParser from 'socket.io-parser'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { StreamSubscription } from '@client/realtime/stream-subscription'
import type { AnyStreamEvent } from '@shared/realtime/events'
import { StreamMirror } from '@shared/realtime/mirror'
import type { StreamName } from '@shared/realtime/streams'
import { StreamName as StreamNames } from '@shared/realtime/streams'
import type { Incident } from '@shared/schemas/incidents'
import type { RunningServer, StartOptions } from '@server/main'
import { startServer } from '@server/main'
import type { ClientSocket } from './int.support'
import { baseUrl, fastCityConfig, fastClock, socketCredentials, until, wallSession } from './int.support'

/** Monday 2026-11-23 09:30 in Dongguan: halls open, 12345 calls coming in. */
const T0 = Date.parse('2026-11-23T01:30:00.000Z')
/** A real second is ten simulated minutes. */
const SIM_MS_PER_REAL_MS = 600
const CHECKSUM_INTERVAL_MS = 300
/** Checksums each stream must have agreed on before a wall counts as in step. */
const AGREED_NEEDED = 10
const STREAMS = StreamNames.options

/** A wall: the real subscription per stream on one real socket, and what happened to it. */
interface Wall {
  socket: ClientSocket
  resyncs: string[]
  snapshots: Record<StreamName, number>
  events: Record<StreamName, number>
  /** Checksums at the sequence the wall held whose digest its own fold matched, and those it did not. */
  agreed: Record<StreamName, number>
  disagreed: Record<StreamName, number>
  /** The state the wall's handlers were given, folded again by the test. */
  folded: Partial<Record<StreamName, StreamMirror<StreamName>>>
}

const counts = (): Record<StreamName, number> => Object.fromEntries(STREAMS.map(s => [s, 0])) as Record<StreamName, number>

/**
 * `tamper` sees each live event before the subscription does and may hand
 * it something else under the same number: a state gone wrong silently.
 */
async function openWall(server: RunningServer, opened: ClientSocket[], options: { msgpack?: boolean, tamper?: (event: AnyStreamEvent) => AnyStreamEvent } = {}): Promise<Wall> {
  const socket: ClientSocket = io(baseUrl(server), {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    autoConnect: false,
    ...(options.msgpack ? { parser: msgpackParser } : {}),
    ...socketCredentials(await wallSession(server)),
  })
  opened.push(socket)
  const wall: Wall = { socket, resyncs: [], snapshots: counts(), events: counts(), agreed: counts(), disagreed: counts(), folded: {} }
  const subs = new Map(STREAMS.map(stream => [stream, new StreamSubscription<StreamName>(socket, stream, {
    snapshot: (snapshot) => {
      wall.snapshots[stream] += 1
      wall.folded[stream] = new StreamMirror<StreamName>(stream, snapshot)
    },
    event: (data) => {
      wall.events[stream] += 1
      wall.folded[stream]?.apply(data)
    },
    resynced: reason => wall.resyncs.push(`${stream}: ${reason}`),
  })]))
  socket.on('connect', () => subs.forEach(sub => sub.subscribe()))
  socket.on('stream:published', (event) => {
    subs.get(event.stream)?.receive(options.tamper ? options.tamper(event) : event)
  })
  socket.on('stream:checksum', (checksum) => {
    const sub = subs.get(checksum.stream)
    const mirror = wall.folded[checksum.stream]
    if (!sub || checksum.town !== undefined)
      return
    if (mirror && sub.position.epoch === checksum.epoch && sub.position.seq === checksum.seq) {
      if (mirror.digest() === checksum.digest)
        wall.agreed[checksum.stream] += 1
      else
        wall.disagreed[checksum.stream] += 1
    }
    sub.verify(checksum)
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', reject)
    socket.connect()
  })
  await until('a snapshot of every stream', () => STREAMS.every(s => wall.snapshots[s] === 1))
  return wall
}

/** Starts counting afresh, so a test can ask what happened from now on. */
function resetAgreement(wall: Wall): void {
  wall.agreed = counts()
  wall.disagreed = counts()
}

async function startCity(dir: string, options: StartOptions = {}): Promise<RunningServer> {
  return startServer(fastCityConfig(join(dir, 'ioc.db')), { clock: fastClock(T0, SIM_MS_PER_REAL_MS), checksumIntervalMs: CHECKSUM_INTERVAL_MS, kpiIntervalMs: 200, ...options })
}

/** Streams with live traffic in a running simulation (no rule raises alerts yet). */
const LIVE_STREAMS: StreamName[] = ['air', 'traffic', 'halls', 'incidents', 'kpis', 'feed-health']

describe('stream checksums against the running city', { timeout: 90_000 }, () => {
  let dir: string
  let server: RunningServer
  const opened: ClientSocket[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ioc-checksum-'))
    // JSON on both sides: the gateway's own default is msgpack.
    server = await startCity(dir, { socketParser: jsonParser })
  }, 60_000)
  afterEach(() => {
    for (const socket of opened.splice(0))
      socket.disconnect()
  })
  afterAll(async () => {
    await server?.close()
    await rm(dir, { recursive: true, force: true })
  }, 60_000)

  it('never resyncs a wall left alone: server and client fold every stream alike', async () => {
    const wall = await openWall(server, opened)
    await until('every stream checked many times while events flow', () =>
      STREAMS.every(s => wall.agreed[s] >= AGREED_NEEDED) && LIVE_STREAMS.every(s => wall.events[s] >= 2), 1200)
    expect(wall.resyncs).toEqual([])
    expect(wall.disagreed).toEqual(counts())
    expect(wall.snapshots).toEqual(Object.fromEntries(STREAMS.map(s => [s, 1])))
    // The incident mirror has had to trim to its bound on both sides by now, or close to it.
    const incidents = wall.folded.incidents?.snapshot() as { incidents: Incident[] } | undefined
    expect(incidents?.incidents.length).toBeGreaterThan(50)
  })

  it('puts a wall whose state went wrong without a gap right at the next checksum, once', async () => {
    let tamperedAir: number | undefined
    let tamperedIncidents: number | undefined
    const ghostReading = { stationId: 'GHOST', observedAt: new Date(T0).toISOString(), indicators: { pm25: 999 }, aqi: { aqi: 500, level: 6 as const, iaqi: {}, primary: [], exceeding: [], indicative: true, aboveScale: true } }
    const wall = await openWall(server, opened, {
      tamper: (event) => {
        // One air event gains a station that does not exist; one incidents event an incident nobody reported.
        if (event.stream === 'air' && tamperedAir === undefined) {
          tamperedAir = event.seq
          return { ...event, data: { ...event.data, readings: [...event.data.readings, ghostReading] } }
        }
        if (event.stream === 'incidents' && tamperedIncidents === undefined && event.data.incidents[0]) {
          tamperedIncidents = event.seq
          // Reported far in the future, so no trimming of the list can drop it by chance.
          const ghost: Incident = { ...event.data.incidents[0], id: 'ghost:1', ticketNo: 'ghost-1', reportedAt: '2099-01-01T00:00:00.000Z' }
          return { ...event, data: { ...event.data, incidents: [...event.data.incidents, ghost] } }
        }
        return event
      },
    })
    await until('both streams resynced', () => wall.snapshots.air === 2 && wall.snapshots.incidents === 2, 400)
    expect(wall.resyncs).toHaveLength(2)
    expect(wall.resyncs).toEqual(expect.arrayContaining([
      expect.stringMatching(/^air: checksum mismatch at \d+$/),
      expect.stringMatching(/^incidents: checksum mismatch at \d+$/),
    ]))
    const airSnapshot = wall.folded.air?.snapshot() as { readings: { stationId: string }[] }
    expect(airSnapshot.readings.map(r => r.stationId)).not.toContain('GHOST')
    const incidentsSnapshot = wall.folded.incidents?.snapshot() as { incidents: Incident[] }
    expect(incidentsSnapshot.incidents.map(i => i.id)).not.toContain('ghost:1')

    // No resync loop: several intervals later the digests agree and nothing more was resynced.
    resetAgreement(wall)
    await until('every stream checked again after the repair', () => STREAMS.every(s => wall.agreed[s] >= AGREED_NEEDED), 1200)
    expect(wall.resyncs).toHaveLength(2)
    expect(wall.disagreed).toEqual(counts())
    expect(wall.snapshots).toEqual({ ...Object.fromEntries(STREAMS.map(s => [s, 1])), air: 2, incidents: 2 })
  })
})

describe('stream checksums over msgpack', { timeout: 90_000 }, () => {
  let dir: string
  let server: RunningServer
  const opened: ClientSocket[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ioc-checksum-msgpack-'))
    server = await startCity(dir, { socketParser: msgpackParser })
  }, 60_000)
  afterAll(async () => {
    for (const socket of opened.splice(0))
      socket.disconnect()
    await server?.close()
    await rm(dir, { recursive: true, force: true })
  }, 60_000)

  it('never resyncs a wall left alone either', async () => {
    const wall = await openWall(server, opened, { msgpack: true })
    await until('every stream checked many times while events flow', () =>
      STREAMS.every(s => wall.agreed[s] >= AGREED_NEEDED) && LIVE_STREAMS.every(s => wall.events[s] >= 2), 1200)
    expect(wall.resyncs).toEqual([])
    expect(wall.disagreed).toEqual(counts())
  })
})
