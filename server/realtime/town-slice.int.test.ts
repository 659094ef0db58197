/**
 * A town screen's slice of the streams against the real server: its snapshot
 * and its events hold that town's stations, roads, halls and incidents only
 * (checked against the city model of GET /api/city), with the city-wide
 * figures as context, numbered as the whole stream; a short break is bridged
 * by a sliced replay; an unknown town is refused; and the slice's checksums
 * agree with what a real StreamSubscription of the slice folds.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { StreamSubscription } from '@client/realtime/stream-subscription'
import type { AnyStreamEvent, StreamEvent } from '@shared/realtime/events'
import { StreamMirror } from '@shared/realtime/mirror'
import type { StreamEventData, StreamName } from '@shared/realtime/streams'
import { StreamName as StreamNames } from '@shared/realtime/streams'
import { CityModel } from '@shared/schemas/city'
import type { RunningServer } from '@server/main'
import { startServer } from '@server/main'
import type { Client, ClientSocket, Result } from './int.support'
import { connect, connectClient, fastCityConfig, fastClock, getJson, subscribe, subscribeOk, until } from './int.support'

/** Monday 2026-11-23 09:30 in Dongguan: halls open, 12345 calls coming in. */
const T0 = Date.parse('2026-11-23T01:30:00.000Z')
const SIM_MS_PER_REAL_MS = 600
const CHECKSUM_INTERVAL_MS = 300
const AGREED_NEEDED = 10
/** The streams whose entities belong to towns. */
const SLICED: StreamName[] = ['air', 'traffic', 'halls', 'incidents']

/** Which town each entity is in, read from the city model (not from the server's own index). */
interface CityIndex { station: Map<string, string>, segment: Map<string, string>, hall: Map<string, string> }

/** What a town's screen should be sent of a payload (event or snapshot) of the whole city. */
function expectedSlice(stream: StreamName, data: unknown, town: string, ix: CityIndex): unknown {
  const d = data as StreamEventData<'air'> & StreamEventData<'traffic'> & StreamEventData<'halls'> & StreamEventData<'incidents'> & StreamEventData<'alerts'>
  switch (stream) {
    case 'air': return { ...d, readings: d.readings.filter(r => ix.station.get(r.stationId) === town) }
    case 'traffic': return { ...d, segments: d.segments.filter(s => ix.segment.get(s[0]) === town), towns: d.towns.filter(t => t.townCode === town) }
    case 'halls': return { ...d, halls: d.halls.filter(h => ix.hall.get(h.hallId) === town) }
    case 'incidents': return { ...d, incidents: d.incidents.filter(i => i.townCode === town) }
    case 'alerts': return { ...d, alerts: d.alerts.filter(a => a.townCode === town) }
    case 'feed-health':
    case 'kpis':
      return data
  }
}

/** The ids a payload of a sliced stream lists. */
function ids(stream: StreamName, data: unknown): string[] {
  const d = data as Partial<StreamEventData<'air'> & StreamEventData<'traffic'> & StreamEventData<'halls'> & StreamEventData<'incidents'>>
  switch (stream) {
    case 'air': return (d.readings ?? []).map(r => r.stationId)
    case 'traffic': return (d.segments ?? []).map(s => s[0])
    case 'halls': return (d.halls ?? []).map(h => h.hallId)
    case 'incidents': return (d.incidents ?? []).map(i => i.id)
    default: return []
  }
}

const eventsOf = (c: Client, stream: StreamName): AnyStreamEvent[] => c.events.filter(e => e.stream === stream)

function expectConsecutive(events: readonly { seq: number }[], after: number): void {
  expect(events.map(e => e.seq)).toEqual(events.map((_, i) => after + 1 + i))
}

describe('a town\'s slice of the streams', { timeout: 120_000 }, () => {
  let dir: string
  let server: RunningServer
  let clock: ReturnType<typeof fastClock>
  let city: CityModel
  let ix: CityIndex
  /** The town the screens watch: one with air stations, roads and a hall. */
  let town: string
  /** Everything in that town, by kind. */
  let own: { stations: string[], segments: string[], halls: string[] }
  const opened: ClientSocket[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ioc-town-slice-'))
    clock = fastClock(T0, SIM_MS_PER_REAL_MS)
    server = await startServer(fastCityConfig(join(dir, 'ioc.db')), { clock, checksumIntervalMs: CHECKSUM_INTERVAL_MS, kpiIntervalMs: 200 })
    city = CityModel.parse((await getJson(server, '/api/city')).body)
    ix = {
      station: new Map(city.airStations.map(s => [s.id, s.townCode])),
      segment: new Map(city.roads.map(r => [r.id, r.townCode])),
      hall: new Map(city.halls.map(h => [h.id, h.townCode])),
    }
    const candidates = city.towns
      .map(t => ({
        code: t.code,
        stations: city.airStations.filter(s => s.townCode === t.code).map(s => s.id),
        segments: city.roads.filter(r => r.townCode === t.code).map(r => r.id),
        halls: city.halls.filter(h => h.townCode === t.code).map(h => h.id),
      }))
      .filter(t => t.stations.length > 0 && t.halls.length > 0 && t.segments.length > 0)
      .sort((a, b) => b.segments.length - a.segments.length)
    const chosen = candidates[0]
    if (!chosen)
      throw new Error('the city model has no town with stations, roads and a hall')
    town = chosen.code
    own = chosen
    // Every station, road and hall has reported once.
    await until('a full first round of every sliced stream', async () => {
      const air = (await getJson<{ readings: unknown[] }>(server, '/api/air/latest')).body.readings.length === city.airStations.length
      const traffic = (await getJson<{ segments: unknown[] }>(server, '/api/traffic/latest')).body.segments.length === city.roads.length
      const halls = (await getJson<{ halls: unknown[] }>(server, '/api/halls/latest')).body.halls.length === city.halls.length
      return air && traffic && halls
    })
  }, 60_000)
  afterEach(() => {
    clock.frozen = false
    for (const socket of opened.splice(0))
      socket.disconnect()
  })
  afterAll(async () => {
    await server?.close()
    await rm(dir, { recursive: true, force: true })
  }, 60_000)

  it('gives a snapshot with only the town\'s entities and the city-wide figures', async () => {
    // Simulated time stands still: the telemetry and incidents stop changing, so both snapshots show one state.
    clock.frozen = true
    await server.drained()
    await new Promise(resolve => setTimeout(resolve, 600))
    const c = await connectClient(server, opened)
    for (const stream of SLICED) {
      const slice = await subscribeOk(c.socket, { stream, town })
      const whole = await subscribeOk(c.socket, { stream })
      expect(slice.mode).toBe('snapshot')
      expect(whole.mode).toBe('snapshot')
      if (slice.mode !== 'snapshot' || whole.mode !== 'snapshot')
        return
      // The slice is numbered as the whole stream: a town screen and a city screen at one state hold one sequence.
      expect(slice.epoch).toBe(whole.epoch)
      expect(slice.seq).toBe(whole.seq)
      expect(slice.snapshot).toEqual(expectedSlice(stream, whole.snapshot, town, ix))
    }
    const air = await subscribeOk(c.socket, { stream: 'air', town })
    const traffic = await subscribeOk(c.socket, { stream: 'traffic', town })
    const halls = await subscribeOk(c.socket, { stream: 'halls', town })
    if (air.mode !== 'snapshot' || air.stream !== 'air' || traffic.mode !== 'snapshot' || traffic.stream !== 'traffic' || halls.mode !== 'snapshot' || halls.stream !== 'halls')
      throw new Error('expected snapshots')
    expect(ids('air', air.snapshot).sort()).toEqual([...own.stations].sort())
    expect(ids('traffic', traffic.snapshot).sort()).toEqual([...own.segments].sort())
    expect(ids('halls', halls.snapshot).sort()).toEqual([...own.halls].sort())
    expect(traffic.snapshot.towns.map(t => t.townCode)).toEqual([town])
    // Context: the city's own figures, not the town's.
    expect(air.snapshot.city?.stationsReporting).toBe(city.airStations.length)
    expect(traffic.snapshot.city?.segmentsTotal).toBe(city.roads.length)
    expect(halls.snapshot.summary?.hallsTotal).toBe(city.halls.length)
  })

  it('sends only the town\'s events, numbered as the whole stream, with no gap', async () => {
    const [whole, sliced] = await Promise.all([connectClient(server, opened), connectClient(server, opened)])
    const starts = new Map<StreamName, Result>()
    for (const stream of SLICED) {
      await subscribeOk(whole.socket, { stream })
      starts.set(stream, await subscribeOk(sliced.socket, { stream, town }))
    }
    // Incidents are ~40 a second city-wide: enough of them in one town within a few seconds.
    await until('events of the town on every sliced stream', () =>
      SLICED.every(s => eventsOf(sliced, s).filter(e => ids(s, e.data).length > 0).length >= 2 && eventsOf(sliced, s).length >= 5), 800)
    for (const stream of SLICED) {
      const start = starts.get(stream)!
      const got = eventsOf(sliced, stream)
      expectConsecutive(got, start.seq)
      const wholeBySeq = new Map(eventsOf(whole, stream).map(e => [e.seq, e]))
      let compared = 0
      for (const event of got) {
        expect(event.epoch).toBe(start.epoch)
        for (const id of ids(stream, event.data)) {
          const where = stream === 'incidents'
            ? (event.data as StreamEventData<'incidents'>).incidents.find(i => i.id === id)?.townCode
            : (stream === 'air' ? ix.station : stream === 'traffic' ? ix.segment : ix.hall).get(id)
          expect(where, `${stream} ${id}`).toBe(town)
        }
        const full = wholeBySeq.get(event.seq)
        if (!full)
          continue
        compared += 1
        expect(event.at).toBe(full.at)
        expect(event.data).toEqual(expectedSlice(stream, full.data, town, ix))
      }
      expect(compared, stream).toBeGreaterThanOrEqual(3)
    }
  })

  it('replays the missed events after a short break, sliced too', async () => {
    const [whole, sliced] = await Promise.all([connectClient(server, opened), connectClient(server, opened)])
    const held = new Map<StreamName, { epoch: string, seq: number }>()
    for (const stream of SLICED) {
      await subscribeOk(whole.socket, { stream })
      const start = await subscribeOk(sliced.socket, { stream, town })
      held.set(stream, { epoch: start.epoch, seq: start.seq })
    }
    await until('a few events on the town screen', () => SLICED.every(s => eventsOf(sliced, s).length >= 2), 800)
    sliced.socket.disconnect()
    for (const stream of SLICED)
      held.set(stream, { epoch: held.get(stream)!.epoch, seq: eventsOf(sliced, stream).at(-1)?.seq ?? held.get(stream)!.seq })
    await until('events the town screen missed on every stream', () =>
      SLICED.every(s => (eventsOf(whole, s).at(-1)?.seq ?? 0) >= held.get(s)!.seq + 3), 800)

    await connect(sliced.socket)
    sliced.events.length = 0
    for (const stream of SLICED) {
      const { epoch, seq } = held.get(stream)!
      const result = await subscribeOk(sliced.socket, { stream, town, epoch, lastSeq: seq })
      expect(result.mode, stream).toBe('events')
      if (result.mode !== 'events')
        continue
      expect(result.events.length).toBeGreaterThanOrEqual(3)
      expectConsecutive(result.events, seq)
      expect(result.seq).toBe(result.events.at(-1)?.seq)
      const wholeBySeq = new Map(eventsOf(whole, stream).map(e => [e.seq, e]))
      for (const event of result.events) {
        const full = wholeBySeq.get(event.seq)
        expect(full, `${stream} ${event.seq} seen city-wide`).toBeDefined()
        expect(event.data).toEqual(expectedSlice(stream, full?.data, town, ix))
      }
      // Live events follow on from the replay.
      await until(`a live ${stream} event after the replay`, () => eventsOf(sliced, stream).some(e => e.seq > result.seq))
      const live = eventsOf(sliced, stream).filter(e => e.seq > result.seq)
      expectConsecutive(live, result.seq)
    }
  })

  it('answers a replay request for a slice this node never cut with a snapshot (a screen coming from another node)', async () => {
    const c = await connectClient(server, opened)
    const whole = await subscribeOk(c.socket, { stream: 'incidents' })
    await until('an incidents event', () => eventsOf(c, 'incidents').length >= 1)
    // No test watches this town: the node has no slice of it yet.
    const other = city.towns.find(t => t.code !== town && city.halls.some(h => h.townCode === t.code))?.code
    if (!other)
      throw new Error('the city model has a single town with a hall')
    const result = await subscribeOk(c.socket, { stream: 'incidents', town: other, epoch: whole.epoch, lastSeq: whole.seq })
    expect(result.mode).toBe('snapshot')
    if (result.mode === 'snapshot' && result.stream === 'incidents')
      expect(result.snapshot.incidents.every(i => i.townCode === other)).toBe(true)
    // Once the slice is cut here, a screen holding a sequence from after that is sent the replay.
    await until('another incidents event', () => (eventsOf(c, 'incidents').at(-1)?.seq ?? 0) > result.seq)
    const again = await subscribeOk(c.socket, { stream: 'incidents', town: other, epoch: result.epoch, lastSeq: result.seq })
    expect(again.mode).toBe('events')
  })

  it('refuses an unknown town with a clear error, and goes on serving', async () => {
    const c = await connectClient(server, opened)
    const unknown = await subscribe(c.socket, { stream: 'air', town: '999999999' })
    expect(unknown).toEqual({ ok: false, error: expect.stringContaining('999999999') as string })
    expect(unknown.ok ? '' : unknown.error).toMatch(/town/i)
    const malformed = await subscribe(c.socket, { stream: 'air', town: 'shatian' })
    expect(malformed.ok).toBe(false)
    expect(malformed.ok ? '' : malformed.error).toMatch(/town/)
    // Refused means not joined either: no events of that "town" arrive.
    const good = await subscribeOk(c.socket, { stream: 'halls', town })
    expect(good.mode).toBe('snapshot')
    await until('halls events', () => eventsOf(c, 'halls').length >= 2)
    expect(eventsOf(c, 'air')).toEqual([])
  })

  it('sends each slice its own checksum, which agrees with the slice a real subscription folds, across a short break', async () => {
    const streams = StreamNames.options
    const c = await connectClient(server, opened)
    const resyncs: string[] = []
    const folded = new Map<StreamName, StreamMirror<StreamName>>()
    const agreed = new Map<StreamName, number>(streams.map(s => [s, 0]))
    const disagreed: string[] = []
    const foreign: unknown[] = []
    const subs = new Map(streams.map(stream => [stream, new StreamSubscription<StreamName>(c.socket, stream, {
      snapshot: s => folded.set(stream, new StreamMirror<StreamName>(stream, s)),
      event: data => folded.get(stream)?.apply(data),
      resynced: reason => resyncs.push(`${stream}: ${reason}`),
    }, town)]))
    c.socket.on('stream:published', event => subs.get(event.stream)?.receive(event as StreamEvent<StreamName>))
    c.socket.on('stream:checksum', (checksum) => {
      const sub = subs.get(checksum.stream)
      if (!sub || checksum.town !== town) {
        foreign.push(checksum)
        return
      }
      const mirror = folded.get(checksum.stream)
      if (mirror && sub.position.epoch === checksum.epoch && sub.position.seq === checksum.seq) {
        if (mirror.digest() === checksum.digest)
          agreed.set(checksum.stream, (agreed.get(checksum.stream) ?? 0) + 1)
        else
          disagreed.push(`${checksum.stream} at ${checksum.seq}`)
      }
      sub.verify(checksum)
    })
    c.socket.on('disconnect', () => subs.forEach(sub => sub.connectionLost()))
    c.socket.on('connect', () => subs.forEach(sub => sub.subscribe()))
    subs.forEach(sub => sub.subscribe())
    const agreedEverywhere = () => streams.every(s => (agreed.get(s) ?? 0) >= AGREED_NEEDED)
    await until('every slice checked many times', agreedEverywhere, 1200)
    expect(resyncs).toEqual([])
    expect(disagreed).toEqual([])
    // A town screen is sent its slice's checksums only, not the city's.
    expect(foreign).toEqual([])

    // A short break: the screen comes back with the sequences it holds and is sent the sliced replay.
    c.socket.disconnect()
    await new Promise(resolve => setTimeout(resolve, 700))
    await connect(c.socket)
    streams.forEach(s => agreed.set(s, 0))
    await until('every slice checked many times after the break', agreedEverywhere, 1200)
    expect(resyncs).toEqual([])
    expect(disagreed).toEqual([])
  })
})
