/**
 * The mirror a stream's events build, the same on the server and on every
 * client: generated event sequences (fast-check) fold to the same state from
 * the start or from a snapshot taken half way, the incident list keeps the
 * newest reports at their newest versions, resolved alerts leave, the digest
 * sees what it covers and nothing of how the state was put together or sent,
 * and the city AQI trend follows the server's AirState point for point.
 */
import fc from 'fast-check'
import { Decoder, Encoder, PacketType } from 'socket.io-msgpack-parser'
import { describe, expect, it } from 'vitest'
import type { AirObservation } from '../schemas/air'
import type { FeedHealth } from '../schemas/feeds'
import type { Incident } from '../schemas/incidents'
import { AirState } from '@server/live/air-state'
import { Coalescer } from '@server/realtime/coalesce'
import { MIRROR_MAX_INCIDENTS, StreamMirror } from './mirror'
import type { StreamArbs } from './mirror.support'
import { alert, ARBS, at, cityAir, cityTraffic, feed, hall, hallsSummary, incident, incidentsSummary, kpiSet, mulberry, reading, STATIONS, STREAMS, T0, TOWNS, townTraffic } from './mirror.support'
import type { StreamEventData, StreamName, StreamSnapshot } from './streams'

const RUNS = 150

/** What crossing the wire as JSON leaves of a value. */
const overJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

/** What crossing the wire through socket.io's msgpack parser leaves of a value: a real packet, encoded and decoded. */
function overMsgpack<T>(value: T): T {
  const [encoded] = new Encoder().encode({ type: PacketType.EVENT, nsp: '/', data: ['stream:published', value] }) as unknown as [Uint8Array]
  let decoded: { data: [string, T] } | undefined
  const decoder = new Decoder()
  decoder.on('decoded', (packet: { data: [string, T] }) => {
    decoded = packet
  })
  decoder.add(encoded)
  if (!decoded)
    throw new Error('the msgpack decoder gave no packet')
  return decoded.data[1]
}

/** Frozen all the way down: a reducer that changes what it was given (shared with the socket and the other mirrors) throws. */
function deepFrozen<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value))
      deepFrozen(inner)
    Object.freeze(value)
  }
  return value
}


function folded<S extends StreamName>(stream: S, snapshot: StreamSnapshot<S>, events: readonly StreamEventData<S>[]): StreamMirror<S> {
  const mirror = new StreamMirror(stream, snapshot)
  for (const data of events)
    mirror.apply(data)
  return mirror
}

describe(StreamMirror.name, () => {
  describe.each(STREAMS)('%s', (stream) => {
    const arbs = ARBS[stream] as StreamArbs<typeof stream>

    it('gives the same state from a snapshot taken after any k events as from the start', () => {
      fc.assert(fc.property(arbs.snapshot, fc.array(arbs.event, { maxLength: 25 }), fc.nat(), (start, events, cut) => {
        const k = cut % (events.length + 1)
        // Frozen input: the server hands one event's data to several mirrors and to the socket.
        const whole = folded(stream, deepFrozen(structuredClone(start)), events.map(e => deepFrozen(structuredClone(e))))
        const head = folded(stream, deepFrozen(structuredClone(start)), events.slice(0, k).map(e => deepFrozen(structuredClone(e))))
        // The snapshot goes to a client over the wire, and the client folds the rest.
        const resumed = folded(stream, overJson(head.snapshot()), events.slice(k).map(overJson))
        expect(resumed.snapshot()).toEqual(whole.snapshot())
        expect(resumed.digest()).toBe(whole.digest())
      }), { numRuns: RUNS })
    })

    it('has one digest for a state however it crossed the wire (JSON or msgpack)', () => {
      fc.assert(fc.property(arbs.snapshot, fc.array(arbs.event, { maxLength: 10 }), (start, events) => {
        const server = folded(stream, start, events)
        const viaJson = folded(stream, overJson(start), events.map(overJson))
        const viaMsgpack = folded(stream, overMsgpack(start), events.map(overMsgpack))
        expect(viaJson.digest()).toBe(server.digest())
        expect(viaMsgpack.digest()).toBe(server.digest())
        expect(new StreamMirror(stream, overMsgpack(server.snapshot())).digest()).toBe(server.digest())
      }), { numRuns: RUNS })
    })

    it('leaves the snapshot it was given and the events it folds as they were', () => {
      fc.assert(fc.property(arbs.snapshot, fc.array(arbs.event, { maxLength: 10 }), (start, events) => {
        const given = structuredClone(start)
        const sent = structuredClone(events)
        const mirror = folded(stream, start, events)
        mirror.snapshot()
        mirror.digest()
        expect(start).toEqual(given)
        expect(events).toEqual(sent)
      }), { numRuns: 50 })
    })
  })

  describe('incidents', () => {
    it(`keeps the ${MIRROR_MAX_INCIDENTS} newest reports, each at its newest version, in any order of arrival`, () => {
      const arbStory = fc.record({
        // More incidents than the mirror keeps; report times collide, so the id breaks ties.
        reported: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: MIRROR_MAX_INCIDENTS + 1, maxLength: MIRROR_MAX_INCIDENTS + 150 }),
        versions: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 30 }),
        seed: fc.integer(),
        batch: fc.integer({ min: 1, max: 120 }),
      })
      fc.assert(fc.property(arbStory, ({ reported, versions, seed, batch }) => {
        const all: Incident[] = []
        reported.forEach((r, i) => {
          const count = versions[i % versions.length] ?? 1
          for (let v = 0; v < count; v++)
            all.push(incident(`sim:${String(i).padStart(4, '0')}`, r, 1000 + r + v, v === count - 1 ? 'closed' : 'open'))
        })
        // A fixed shuffle from the seed: versions of one incident come in any order.
        const rand = mulberry(seed)
        for (let i = all.length - 1; i > 0; i--) {
          const j = Math.floor(rand() * (i + 1))
          ;[all[i], all[j]] = [all[j]!, all[i]!]
        }
        const mirror = new StreamMirror('incidents', { incidents: [], summary: incidentsSummary(0) })
        for (let i = 0; i < all.length; i += batch)
          mirror.apply({ incidents: all.slice(i, i + batch), summary: incidentsSummary(i) })

        const newest = new Map<string, Incident>()
        for (const i of all) {
          const held = newest.get(i.id)
          if (!held || held.version < i.version)
            newest.set(i.id, i)
        }
        const expected = [...newest.values()]
          .sort((a, b) => (a.reportedAt !== b.reportedAt ? (a.reportedAt < b.reportedAt ? 1 : -1) : (a.id < b.id ? -1 : 1)))
          .slice(0, MIRROR_MAX_INCIDENTS)
        expect(mirror.snapshot().incidents).toEqual(expected)
      }), { numRuns: 25 })
    })

    it('never lets an older version replace a newer one, and takes a repeat of the same version', () => {
      const mirror = new StreamMirror('incidents', { incidents: [incident('sim:1', 0, 20, 'closed')], summary: incidentsSummary(0) })
      mirror.apply({ incidents: [incident('sim:1', 0, 10, 'open')], summary: incidentsSummary(1) })
      expect(mirror.snapshot().incidents).toEqual([incident('sim:1', 0, 20, 'closed')])
      // The counts are the publisher's, after the change, whatever the list did.
      expect(mirror.snapshot().summary).toEqual(incidentsSummary(1))
      const corrected = { ...incident('sim:1', 0, 20, 'closed'), title: 'corrected title' }
      mirror.apply({ incidents: [corrected], summary: incidentsSummary(0) })
      expect(mirror.snapshot().incidents).toEqual([corrected])
    })
  })

  describe('alerts', () => {
    it('lists an alert until it is resolved, then not at all; an older change is ignored', () => {
      const mirror = new StreamMirror('alerts', { alerts: [], summary: { firing: 0, acknowledged: 0 } })
      mirror.apply({ alerts: [alert('a1', 1, 'firing'), alert('a2', 1, 'firing')], summary: { firing: 2, acknowledged: 0 } })
      mirror.apply({ alerts: [alert('a1', 5, 'acknowledged')], summary: { firing: 1, acknowledged: 1 } })
      mirror.apply({ alerts: [alert('a1', 3, 'firing')], summary: { firing: 1, acknowledged: 1 } })
      expect(mirror.snapshot().alerts).toEqual([alert('a1', 5, 'acknowledged'), alert('a2', 1, 'firing')])

      mirror.apply({ alerts: [alert('a1', 9, 'resolved')], summary: { firing: 1, acknowledged: 0 } })
      expect(mirror.snapshot()).toEqual({ alerts: [alert('a2', 1, 'firing')], summary: { firing: 1, acknowledged: 0 } })
      // A resolved alert the mirror never held does not appear either.
      mirror.apply({ alerts: [alert('a3', 9, 'resolved')], summary: { firing: 1, acknowledged: 0 } })
      expect(mirror.snapshot().alerts.map(a => a.id)).toEqual(['a2'])
    })
  })

  describe('digest', () => {
    /** Every entity list of a snapshot in another order: the same state. */
    function reordered<S extends StreamName>(s: StreamSnapshot<S>, rand: () => number): StreamSnapshot<S> {
      const shuffle = <T>(items: readonly T[]): T[] => [...items].sort(() => rand() - 0.5)
      const any = s as Record<string, unknown>
      const out: Record<string, unknown> = { ...any }
      // The trend is a time series and a whole set (feed health, KPIs) one value: their order is part of them.
      for (const key of ['readings', 'segments', 'towns', 'halls', 'incidents', 'alerts'])
        if (Array.isArray(any[key]))
          out[key] = shuffle(any[key] as unknown[])
      return out as StreamSnapshot<S>
    }

    it.each(STREAMS)('of %s does not depend on the order entities were put in', (stream) => {
      const arbs = ARBS[stream] as StreamArbs<typeof stream>
      fc.assert(fc.property(arbs.snapshot, fc.array(arbs.event, { maxLength: 8 }), fc.integer(), (start, events, seed) => {
        const a = folded(stream, start, events)
        const b = new StreamMirror(stream, reordered(a.snapshot(), mulberry(seed)))
        expect(b.digest()).toBe(a.digest())
      }), { numRuns: RUNS })
    })

    it('is the same whether the entities came one event at a time or in one event, in another order', () => {
      const a = new StreamMirror('halls', { halls: [], summary: null })
      a.apply({ halls: [hall('H1', 1, 5)], summary: null })
      a.apply({ halls: [hall('H2', 1, 7)], summary: hallsSummary(1, 12) })
      const b = new StreamMirror('halls', { halls: [], summary: null })
      b.apply({ halls: [hall('H2', 1, 7), hall('H1', 1, 5)], summary: hallsSummary(1, 12) })
      expect(b.digest()).toBe(a.digest())
    })

    /** One covered value changed per stream: the digest must change. */
    const CHANGES: { [S in StreamName]: { base: StreamSnapshot<S>, changed: StreamSnapshot<S> } } = {
      'air': {
        base: { readings: [reading('S1', 1, 35), reading('S2', 1, 80)], city: cityAir(1, 57, 2), trend: [] },
        changed: { readings: [reading('S1', 1, 35), reading('S2', 1, 81)], city: cityAir(1, 57, 2), trend: [] },
      },
      'traffic': {
        base: { segments: [['R1', 40, 'free'], ['R2', 12, 'moderate']], towns: [townTraffic(TOWNS[0], 30)], city: cityTraffic(1, 30) },
        changed: { segments: [['R1', 40, 'free'], ['R2', 12, 'severe']], towns: [townTraffic(TOWNS[0], 30)], city: cityTraffic(1, 30) },
      },
      'halls': {
        base: { halls: [hall('H1', 1, 5), hall('H2', 1, 7)], summary: hallsSummary(1, 12) },
        changed: { halls: [hall('H1', 1, 5), hall('H2', 1, 8)], summary: hallsSummary(1, 12) },
      },
      'incidents': {
        base: { incidents: [incident('sim:1', 0, 10), incident('sim:2', 1, 10)], summary: incidentsSummary(2) },
        changed: { incidents: [incident('sim:1', 0, 10), incident('sim:2', 1, 11)], summary: incidentsSummary(2) },
      },
      'alerts': {
        base: { alerts: [alert('a1', 1, 'firing')], summary: { firing: 1, acknowledged: 0 } },
        changed: { alerts: [alert('a1', 1, 'acknowledged')], summary: { firing: 1, acknowledged: 0 } },
      },
      'feed-health': {
        base: { feeds: [feed('simulator', 'up', 10)] },
        changed: { feeds: [feed('simulator', 'stale', 10)] },
      },
      'kpis': { base: kpiSet(5, 57), changed: kpiSet(5, 58) },
    }

    it.each(STREAMS)('of %s changes when one value it covers differs', (stream) => {
      const { base, changed } = CHANGES[stream] as { base: StreamSnapshot<typeof stream>, changed: StreamSnapshot<typeof stream> }
      expect(new StreamMirror(stream, changed).digest()).not.toBe(new StreamMirror(stream, base).digest())
      expect(new StreamMirror(stream, structuredClone(base)).digest()).toBe(new StreamMirror(stream, base).digest())
    })

    it('changes with the summaries and the city figures too', () => {
      const halls = CHANGES.halls.base
      expect(new StreamMirror('halls', { ...halls, summary: hallsSummary(1, 13) }).digest()).not.toBe(new StreamMirror('halls', halls).digest())
      const air = CHANGES.air.base
      expect(new StreamMirror('air', { ...air, city: cityAir(1, 58, 2) }).digest()).not.toBe(new StreamMirror('air', air).digest())
      const incidents = CHANGES.incidents.base
      expect(new StreamMirror('incidents', { ...incidents, summary: incidentsSummary(3) }).digest()).not.toBe(new StreamMirror('incidents', incidents).digest())
    })

    it('treats a null field and an absent one as the same', () => {
      const withNulls = { feeds: [feed('simulator', 'up', 10)] }
      const { detail: _detail, lagS: _lagS, ...rest } = feed('simulator', 'up', 10)
      const without = { feeds: [rest as FeedHealth] }
      expect(new StreamMirror('feed-health', without).digest()).toBe(new StreamMirror('feed-health', withNulls).digest())
      const undefinedFields = { feeds: [{ ...feed('simulator', 'up', 10), detail: undefined } as unknown as FeedHealth] }
      expect(new StreamMirror('feed-health', undefinedFields).digest()).toBe(new StreamMirror('feed-health', withNulls).digest())
    })
  })

  describe('the city AQI trend', () => {
    const arbObservation = fc.tuple(fc.constantFrom(...STATIONS), fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 500 }))
      .map(([stationId, m, pm25]): AirObservation => ({ stationId, observedAt: at(m), indicators: { pm25 } }))

    /** What the air applier publishes for a batch (server/ingest/appliers.ts), fed into the coalescer. */
    function publishInto(state: AirState, coalescer: Coalescer, batch: readonly AirObservation[]): void {
      const applied = state.apply(batch)
      if (applied.readings.length === 0)
        return
      const trend = applied.city?.aqi.aqi != null ? [{ t: applied.city.observedAt, aqi: applied.city.aqi.aqi }] : []
      coalescer.offer('air', { readings: applied.readings, city: applied.city, trend })
    }

    it('is the one the server\'s AirState holds, fed the same observations, with or without coalescing', () => {
      fc.assert(fc.property(fc.array(fc.array(arbObservation, { minLength: 1, maxLength: 4 }), { maxLength: 60 }), fc.array(fc.boolean()), (batches, flushes) => {
        const state = new AirState(STATIONS.length)
        const mirror = new StreamMirror('air', overJson(state.snapshot()))
        // A tick that never fires by itself: the test says when it ends.
        const coalescer = new Coalescer((_stream, data) => mirror.apply(overJson(data as StreamEventData<'air'>)), 3_600_000)
        batches.forEach((batch, i) => {
          publishInto(state, coalescer, batch)
          if (flushes[i % Math.max(1, flushes.length)] ?? true)
            coalescer.flush()
        })
        coalescer.close()
        expect(mirror.snapshot()).toEqual(state.snapshot())
      }), { numRuns: RUNS })
    })

    it('keeps the last hour of observation time and at most 2000 points, as AirState does', () => {
      const state = new AirState(1)
      const mirror = new StreamMirror('air', state.snapshot())
      const coalescer = new Coalescer((_stream, data) => mirror.apply(data as StreamEventData<'air'>), 3_600_000)
      // 2,500 readings a second apart (2,000 points in 33 minutes), then a jump of 70 minutes.
      const seconds = [...Array.from({ length: 2500 }, (_, i) => i), 2499 + 70 * 60]
      seconds.forEach((s, i) => {
        publishInto(state, coalescer, [{ stationId: 'S1', observedAt: new Date(T0 + s * 1000).toISOString(), indicators: { pm25: 10 + (i % 90) } }])
        if (i % 7 === 0 || i === 2499)
          coalescer.flush()
      })
      coalescer.close()
      expect(mirror.snapshot().trend).toEqual(state.trend())
      expect(state.trend()).toHaveLength(1)

      const capped = new AirState(1)
      const capMirror = new StreamMirror('air', capped.snapshot())
      for (let s = 0; s < 2500; s++) {
        const applied = capped.apply([{ stationId: 'S1', observedAt: new Date(T0 + s * 1000).toISOString(), indicators: { pm25: 10 + (s % 90) } }])
        capMirror.apply({ readings: applied.readings, city: applied.city, trend: applied.city?.aqi.aqi != null ? [{ t: applied.city.observedAt, aqi: applied.city.aqi.aqi }] : [] })
      }
      expect(capped.trend()).toHaveLength(2000)
      expect(capMirror.snapshot().trend).toEqual(capped.trend())
    })

    it('replaces a point at a time it holds and ignores an older one', () => {
      const mirror = new StreamMirror('air', { readings: [], city: null, trend: [{ t: at(10), aqi: 50 }, { t: at(20), aqi: 60 }] })
      mirror.apply({ readings: [], city: null, trend: [{ t: at(20), aqi: 65 }, { t: at(15), aqi: 99 }, { t: at(20), aqi: 66 }, { t: at(30), aqi: 70 }] })
      expect(mirror.snapshot().trend).toEqual([{ t: at(10), aqi: 50 }, { t: at(20), aqi: 66 }, { t: at(30), aqi: 70 }])
      // A point an hour and more after the oldest pushes it out.
      mirror.apply({ readings: [], city: null, trend: [{ t: at(75), aqi: 80 }] })
      expect(mirror.snapshot().trend).toEqual([{ t: at(20), aqi: 66 }, { t: at(30), aqi: 70 }, { t: at(75), aqi: 80 }])
    })
  })
})
