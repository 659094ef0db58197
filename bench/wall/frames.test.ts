import { encode } from 'notepack.io'
import { describe, expect, it } from 'vitest'
import { FrameTally } from './frames'

/** A socket.io packet as the server's msgpack parser writes it. */
const packet = (type: number, data: unknown[]): Buffer => encode({ type, data, nsp: '/' })

describe('FrameTally', () => {
  it('counts the entities each stream event changes, and the snapshots a subscribe answers with', () => {
    const tally = new FrameTally()
    tally.take(packet(2, ['stream:published', { stream: 'traffic', seq: 1, data: { segments: [['a', 30, 'free'], ['b', 20, 'light']], towns: [], city: null } }]), 1000)
    tally.take(packet(2, ['stream:published', { stream: 'air', seq: 1, data: { readings: [{}, {}, {}], city: null, trend: [] } }]), 2000)
    tally.take(packet(2, ['stream:published', { stream: 'kpis', seq: 1, data: { at: 'x' } }]), 3000)
    tally.take(packet(3, [{ ok: true, data: { stream: 'incidents', mode: 'snapshot', seq: 9, snapshot: { incidents: [{}, {}], summary: {} } } }]))
    tally.take(packet(3, [{ ok: true, data: { stream: 'traffic', mode: 'events', seq: 3, events: [{ stream: 'traffic', data: { segments: [['c', 1, 'severe']] } }] } }]))
    tally.take(Buffer.from([0xC1]))
    expect(tally.changes).toEqual({ traffic: 3, air: 3 })
    expect(tally.events).toEqual({ traffic: 1, air: 1, kpis: 1 })
    expect(tally.snapshots).toEqual({ incidents: 2 })
    expect(tally.lastEventAt).toBe(3000)
    expect(tally.undecodable).toBe(1)
  })

  it('gives the rate since its reset', () => {
    const tally = new FrameTally()
    tally.take(packet(2, ['stream:published', { stream: 'traffic', data: { segments: [['a', 1, 'free']] } }]))
    tally.reset()
    tally.since = 0
    tally.take(packet(2, ['stream:published', { stream: 'halls', data: { halls: Array.from({ length: 10 }, () => ({})) } }]))
    expect(tally.rate(2000)).toBe(5)
  })
})
