import { describe, expect, it } from 'vitest'
import type { AirEventData } from '@shared/realtime/streams'
import { StreamEventSchema } from '@shared/realtime/events'
import { StreamLog } from './stream-log'

const EPOCH = 'epoch-1'

/** A distinguishable payload per event: the city's station total carries the event's index. */
function data(i: number): AirEventData {
  return {
    readings: [],
    city: {
      observedAt: new Date(Date.UTC(2026, 10, 23, 0, i)).toISOString(),
      indicators: { pm25: i },
      aqi: { aqi: i, level: 1, iaqi: {}, primary: [], exceeding: [], indicative: true, aboveScale: false },
      stationsReporting: 1,
      stationsTotal: i,
    },
    trend: [],
  }
}

function logWith(count: number, capacity = 100): StreamLog<'air'> {
  const log = new StreamLog('air', capacity, EPOCH)
  for (let i = 1; i <= count; i++)
    log.append(data(i))
  return log
}

const seqs = (events: { seq: number }[] | null): number[] | null => events && events.map(e => e.seq)

describe('StreamLog', () => {
  it('starts at seq 0 and numbers each appended event one higher', () => {
    const log = new StreamLog('air', 10, EPOCH)
    expect(log.seq).toBe(0)
    for (let i = 1; i <= 25; i++) {
      const event = log.append(data(i))
      expect(event.seq).toBe(i)
      expect(log.seq).toBe(i)
    }
  })

  it('makes envelopes that match the wire schema, with the epoch, the stream and the time given', () => {
    const log = new StreamLog('air', 10, EPOCH)
    const at = new Date('2026-11-23T01:02:03.456Z')
    const event = log.append(data(1), at)
    expect(event).toEqual({ stream: 'air', epoch: EPOCH, seq: 1, at: '2026-11-23T01:02:03.456Z', data: data(1) })
    expect(StreamEventSchema.parse(event)).toEqual(event)
  })

  it('draws a fresh epoch for each log unless one is given', () => {
    const a = new StreamLog('air', 1)
    const b = new StreamLog('air', 1)
    expect(a.epoch).not.toBe(b.epoch)
    expect(a.epoch.length).toBeGreaterThan(0)
  })

  it('refuses a capacity below 1', () => {
    expect(() => new StreamLog('air', 0)).toThrow(RangeError)
  })

  describe('since(epoch, lastSeq)', () => {
    it('returns exactly the events after lastSeq, in order, for every lastSeq still held', () => {
      const log = new StreamLog('air', 100, EPOCH)
      const appended = Array.from({ length: 12 }, (_, i) => log.append(data(i + 1)))
      for (let lastSeq = 0; lastSeq < 12; lastSeq++)
        expect(log.since(EPOCH, lastSeq)).toEqual(appended.slice(lastSeq))
    })

    it('returns [] when the client is up to date', () => {
      expect(logWith(7).since(EPOCH, 7)).toEqual([])
      expect(new StreamLog('air', 5, EPOCH).since(EPOCH, 0)).toEqual([])
    })

    it('returns null for another epoch', () => {
      const log = logWith(5)
      expect(log.since('epoch-0', 3)).toBeNull()
      expect(log.since('epoch-0', 5)).toBeNull()
      expect(log.since(undefined, 3)).toBeNull()
    })

    it('returns null for a sequence from the future', () => {
      const log = logWith(5)
      expect(log.since(EPOCH, 6)).toBeNull()
      expect(log.since(EPOCH, 1_000_000)).toBeNull()
    })

    it('returns null without a lastSeq', () => {
      expect(logWith(5).since(EPOCH, undefined)).toBeNull()
    })

    it('keeps only the newest `capacity` events and returns null once a missed event has fallen out', () => {
      const log = logWith(10, 3) // holds 8, 9, 10
      expect(seqs(log.since(EPOCH, 9))).toEqual([10])
      expect(seqs(log.since(EPOCH, 8))).toEqual([9, 10])
      expect(seqs(log.since(EPOCH, 7))).toEqual([8, 9, 10])
      expect(log.since(EPOCH, 6)).toBeNull()
      expect(log.since(EPOCH, 0)).toBeNull()
    })

    it('still returns the events with the same payloads after the ring has wrapped many times', () => {
      const log = new StreamLog('air', 4, EPOCH)
      for (let i = 1; i <= 1000; i++)
        log.append(data(i))
      const events = log.since(EPOCH, 996)
      expect(seqs(events)).toEqual([997, 998, 999, 1000])
      expect(events?.map(e => e.data)).toEqual([997, 998, 999, 1000].map(data))
    })

    it('with capacity 1, gives the last event only to a client one behind', () => {
      const log = logWith(3, 1)
      expect(seqs(log.since(EPOCH, 2))).toEqual([3])
      expect(log.since(EPOCH, 1)).toBeNull()
      expect(log.since(EPOCH, 3)).toEqual([])
    })

    it('returns a copy: changing it does not change the log', () => {
      const log = logWith(3)
      log.since(EPOCH, 0)?.splice(0)
      expect(seqs(log.since(EPOCH, 0))).toEqual([1, 2, 3])
    })
  })
})
