import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { displaySession } from '@server/auth/auth.support'
import { socketCredentials } from '@server/realtime/int.support'
import { computeAqi } from '@shared/air/aqi'
import type { Ack, StreamChecksum, StreamEvent, SubscribeRequest, SubscribeResult } from '@shared/realtime/events'
import { StreamMirror } from '@shared/realtime/mirror'
import type { AirEventData, AirSnapshot } from '@shared/realtime/streams'
import type { StationReading } from '@shared/schemas/air'
import { Config } from '@server/config'
import { startServer } from '@server/main'
import type { RunningServer } from '@server/main'
import { SOCKET_OPTIONS } from './socket'
import type { IocSocket } from './socket'
import { StreamSubscription } from './stream-subscription'

async function until(condition: () => boolean, what: string, tries = 400): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (condition())
      return
    await new Promise(resolve => setTimeout(resolve, 25))
  }
  throw new Error(`gave up waiting for ${what}`)
}

describe(StreamSubscription.name, () => {
  let server: RunningServer
  let dir: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ioc-sub-'))
    server = await startServer(Config.parse({
      port: 0, host: '127.0.0.1', dbFile: join(dir, 'ioc.db'), buildClient: false,
      simSpeed: 60, simIntervalMs: 100, simFaultRate: 0,
    }))
  })
  afterAll(async () => {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('fills a gap in the numbering from the server and survives a reconnect without a new snapshot', async () => {
    const wall = await displaySession(server, `http://127.0.0.1:${server.port}`)
    const socket: IocSocket = io(`http://127.0.0.1:${server.port}`, { transports: ['websocket'], parser: SOCKET_OPTIONS.parser, ...socketCredentials(wall) })
    const applied: AirEventData[] = []
    const resyncs: string[] = []
    let snapshots = 0
    const sub = new StreamSubscription(socket, 'air', {
      snapshot: () => { snapshots += 1 },
      event: data => applied.push(data),
      resynced: reason => resyncs.push(reason),
    })
    // Lose exactly one live event on the way, as a flaky link would.
    let dropNext = false
    let dropped: StreamEvent<'air'> | undefined
    socket.on('connect', () => sub.subscribe())
    socket.on('stream:published', (event) => {
      if (event.stream !== 'air')
        return
      if (dropNext && !dropped) {
        dropped = event
        return
      }
      sub.receive(event)
    })

    try {
      await until(() => snapshots === 1 && applied.length >= 3, 'a snapshot and three events')
      dropNext = true
      await until(() => dropped !== undefined && (sub.position.seq ?? 0) > dropped.seq, 'the gap to be filled')
      expect(resyncs.some(r => r.startsWith('gap after'))).toBe(true)
      expect(applied).toContainEqual(dropped?.data)
      expect(snapshots).toBe(1)

      const before = sub.position.seq ?? 0
      socket.disconnect()
      socket.connect()
      await until(() => (sub.position.seq ?? 0) > before + 2, 'events after the reconnect')
      // The reconnect resumed from the held sequence: the server sent the missed events, not a snapshot.
      expect(snapshots).toBe(1)
    }
    finally {
      socket.disconnect()
    }
  })
})

/**
 * A socket that records each subscribe and lets the test answer it, or not:
 * what `verify` does depends on exactly where a subscribe stands.
 */
class FakeSocket {
  connected = true
  readonly subscribes: { request: SubscribeRequest, answer: (ack: Ack<SubscribeResult>) => void }[] = []

  timeout(_ms: number) {
    return {
      emit: (_event: 'stream:subscribe', request: SubscribeRequest, callback: (err: Error | null, ack: Ack<SubscribeResult>) => void) => {
        this.subscribes.push({ request, answer: ack => callback(null, ack) })
      },
    }
  }

  answer(index: number, data: SubscribeResult): void {
    const pending = this.subscribes[index]
    if (!pending)
      throw new Error(`no subscribe #${index} was sent`)
    pending.answer({ ok: true, data })
  }
}

const EPOCH = 'epoch-1'
const SHATIAN = '441900123'

function airReading(stationId: string, minute: number, pm25: number): StationReading {
  const indicators = { pm25 }
  return { stationId, observedAt: new Date(Date.UTC(2026, 10, 23, 0, minute)).toISOString(), indicators, aqi: computeAqi(indicators) }
}
const airSnapshot = (pm25: number): AirSnapshot => ({ readings: [airReading('S1', 0, pm25), airReading('S2', 0, 40)], city: null, trend: [] })
const airEvent = (seq: number, pm25: number, epoch = EPOCH): StreamEvent<'air'> =>
  ({ stream: 'air', epoch, seq, at: new Date().toISOString(), data: { readings: [airReading('S1', seq, pm25)], city: null, trend: [] } })

/** A subscription (city-wide, or one town's) that took a snapshot at seq 5 and events 6 and 7. */
function subscribedAir(town?: string) {
  const socket = new FakeSocket()
  const snapshots: AirSnapshot[] = []
  const applied: AirEventData[] = []
  const resyncs: string[] = []
  const sub = new StreamSubscription(socket as unknown as IocSocket, 'air', {
    snapshot: s => snapshots.push(s),
    event: data => applied.push(data),
    resynced: reason => resyncs.push(reason),
  }, town)
  sub.subscribe()
  socket.answer(0, { stream: 'air', epoch: EPOCH, mode: 'snapshot', seq: 5, snapshot: airSnapshot(30) })
  sub.receive(airEvent(6, 31))
  sub.receive(airEvent(7, 32))
  // What the server's mirror holds at seq 7.
  const server = new StreamMirror('air', airSnapshot(30))
  server.apply(airEvent(6, 31).data)
  server.apply(airEvent(7, 32).data)
  const checksum = (over: Partial<StreamChecksum> = {}): StreamChecksum =>
    ({ stream: 'air', epoch: EPOCH, seq: 7, digest: server.digest(), ...(town !== undefined ? { town } : {}), ...over })
  return { socket, sub, snapshots, applied, resyncs, checksum }
}

describe(`${StreamSubscription.name}.verify`, () => {
  it('does nothing when the digest at the sequence held matches', () => {
    const { socket, sub, resyncs, checksum, applied } = subscribedAir()
    expect(sub.verify(checksum())).toBe(true)
    expect(resyncs).toEqual([])
    expect(socket.subscribes).toHaveLength(1)
    expect(sub.position).toEqual({ epoch: EPOCH, seq: 7 })
    sub.receive(airEvent(8, 33))
    expect(applied).toHaveLength(3)
  })

  it('ignores a checksum of another sequence, epoch, town or stream, however wrong its digest', () => {
    const { socket, sub, resyncs, checksum } = subscribedAir()
    const wrong = '00000000000000'
    for (const other of [
      checksum({ seq: 6, digest: wrong }),
      checksum({ seq: 8, digest: wrong }),
      checksum({ epoch: 'epoch-0', digest: wrong }),
      checksum({ town: SHATIAN, digest: wrong }),
      checksum({ stream: 'traffic', digest: wrong }),
    ])
      expect(sub.verify(other)).toBe(true)
    expect(resyncs).toEqual([])
    expect(socket.subscribes).toHaveLength(1)
    expect(sub.position).toEqual({ epoch: EPOCH, seq: 7 })
  })

  it('on a town\'s slice, ignores the city-wide checksum and another town\'s', () => {
    const { socket, sub, resyncs, checksum } = subscribedAir(SHATIAN)
    expect(socket.subscribes[0]?.request).toEqual({ stream: 'air', town: SHATIAN })
    const { town: _town, ...cityWide } = checksum({ digest: 'ffffffffffffff' })
    expect(sub.verify(cityWide)).toBe(true)
    expect(sub.verify(checksum({ town: '441900124', digest: 'ffffffffffffff' }))).toBe(true)
    expect(sub.verify(checksum())).toBe(true)
    expect(resyncs).toEqual([])
    expect(socket.subscribes).toHaveLength(1)
  })

  it('ignores checksums before its first snapshot and while a subscribe is in flight', () => {
    const socket = new FakeSocket()
    const resyncs: string[] = []
    const sub = new StreamSubscription(socket as unknown as IocSocket, 'air', { snapshot: () => {}, event: () => {}, resynced: r => resyncs.push(r) })
    const wrong: StreamChecksum = { stream: 'air', epoch: EPOCH, seq: 5, digest: 'ffffffffffffff' }
    expect(sub.verify(wrong)).toBe(true)
    sub.subscribe()
    expect(sub.verify(wrong)).toBe(true)
    // The connection dropped before the answer: still nothing to compare.
    sub.connectionLost()
    expect(sub.verify(wrong)).toBe(true)
    expect(resyncs).toEqual([])

    // A gap sends a resubscribe with the position held; until it is answered, checksums at that position are not judged.
    const held = subscribedAir()
    held.sub.receive(airEvent(9, 40))
    expect(held.resyncs).toEqual(['gap after 7 (got 9)'])
    expect(held.socket.subscribes[1]?.request).toEqual({ stream: 'air', epoch: EPOCH, lastSeq: 7 })
    expect(held.sub.verify(held.checksum({ digest: 'ffffffffffffff' }))).toBe(true)
    expect(held.resyncs).toEqual(['gap after 7 (got 9)'])
    expect(held.socket.subscribes).toHaveLength(2)
  })

  it.each([undefined, SHATIAN])('on a mismatch (town %s) forgets its position, subscribes afresh and applies the snapshot', (town) => {
    const { socket, sub, snapshots, applied, resyncs, checksum } = subscribedAir(town)
    expect(sub.verify(checksum({ digest: 'ffffffffffffff' }))).toBe(false)
    expect(resyncs).toHaveLength(1)
    expect(resyncs[0]).toMatch(/^checksum mismatch/)
    expect(sub.position).toEqual({ epoch: undefined, seq: undefined })
    // Without lastSeq: the answer is a snapshot, not a replay onto the state that diverged.
    expect(socket.subscribes).toHaveLength(2)
    expect(socket.subscribes[1]?.request).toEqual({ stream: 'air', ...(town !== undefined ? { town } : {}) })

    // Events while the subscribe is in flight are covered by its answer.
    sub.receive(airEvent(8, 33))
    expect(applied).toHaveLength(2)
    const fresh = airSnapshot(50)
    socket.answer(1, { stream: 'air', epoch: EPOCH, mode: 'snapshot', seq: 8, snapshot: fresh })
    expect(snapshots).toEqual([airSnapshot(30), fresh])
    expect(sub.position).toEqual({ epoch: EPOCH, seq: 8 })

    // The mirror now holds the snapshot: the server's digest of it at seq 8 agrees.
    expect(sub.verify(checksum({ seq: 8, digest: new StreamMirror('air', fresh).digest() }))).toBe(true)
    sub.receive(airEvent(9, 34))
    const server = new StreamMirror('air', fresh)
    server.apply(airEvent(9, 34).data)
    expect(sub.verify(checksum({ seq: 9, digest: server.digest() }))).toBe(true)
    expect(resyncs).toHaveLength(1)
    expect(socket.subscribes).toHaveLength(2)
    expect(applied.at(-1)).toEqual(airEvent(9, 34).data)
  })
})
