import { afterEach, describe, expect, it, vi } from 'vitest'
import type { StreamEventData, StreamName } from '@shared/realtime/streams'
import type { SegmentUpdate } from '@shared/schemas/traffic'
import type { Incident } from '@shared/schemas/incidents'
import { Coalescer } from './coalesce'

const segment = (segmentId: string, speedKmh: number): SegmentUpdate => [segmentId, speedKmh, 'light']
const incident = (id: string): Incident => ({ id } as Incident)
const summary = { open: 1, overdue: 0, intakeToday: 1, byNature: {}, byTopic: {}, byTown: {} }

describe(Coalescer.name, () => {
  const published: { stream: StreamName, data: unknown }[] = []
  let coalescer: Coalescer | undefined
  const start = (tickMs: number): Coalescer => {
    coalescer = new Coalescer((stream, data) => published.push({ stream, data }), tickMs)
    return coalescer
  }
  afterEach(() => {
    coalescer?.close()
    published.length = 0
  })

  it('sends a quiet stream\'s first event at once, and what follows within the tick as one event with the newest value of every entity', () => {
    const c = start(60_000)
    c.offer('traffic', { segments: [segment('A', 30), segment('B', 40)], towns: [], city: null })
    expect(published).toHaveLength(1)
    c.offer('traffic', { segments: [segment('A', 20)], towns: [], city: null })
    c.offer('traffic', { segments: [segment('C', 50), segment('A', 10)], towns: [], city: null })
    expect(published).toHaveLength(1)
    c.flush()
    expect(published).toHaveLength(2)
    const data = published[1]?.data as StreamEventData<'traffic'>
    expect(data.segments.map(([id, speedKmh]) => [id, speedKmh])).toEqual([['A', 10], ['C', 50]])
    c.flush()
    expect(published).toHaveLength(2)
  })

  it('lets at most one event per stream leave per tick, whatever the rate, and the last of a burst at the end of its tick', () => {
    vi.useFakeTimers()
    try {
      const c = start(250)
      const offer = (speed: number) => c.offer('traffic', { segments: [segment('A', speed)], towns: [], city: null })
      const speeds = () => published.map(p => (p.data as StreamEventData<'traffic'>).segments[0]?.[1])
      offer(1) // quiet: leaves at 0
      for (let t = 10; t < 1000; t += 10) {
        vi.advanceTimersByTime(10)
        offer(t) // every 10 ms: 25 times the tick rate
      }
      expect(published.length).toBeLessThanOrEqual(1 + 1000 / 250)
      // Each tick's timer fires before that millisecond's offer: it sends what the tick held.
      expect(speeds().slice(0, 4)).toEqual([1, 240, 490, 740])
      vi.advanceTimersByTime(250)
      expect(speeds().at(-1)).toBe(990)
      // Quiet for a tick: the next one leaves at once again.
      vi.advanceTimersByTime(1000)
      const before = published.length
      offer(7)
      expect(published).toHaveLength(before + 1)
    }
    finally {
      vi.useRealTimers()
    }
  })

  it('never holds back or merges incidents', () => {
    const c = start(60_000)
    c.offer('incidents', { incidents: [incident('x:1')], summary })
    c.offer('incidents', { incidents: [incident('x:1')], summary })
    expect(published.map(p => p.stream)).toEqual(['incidents', 'incidents'])
  })

  it('passes everything straight through with a tick of 0', () => {
    const c = start(0)
    c.offer('feed-health', { feeds: [] })
    c.offer('feed-health', { feeds: [] })
    expect(published).toHaveLength(2)
  })

  it('keeps only the newest KPI set of a tick', () => {
    const c = start(60_000)
    const kpis = (at: string): StreamEventData<'kpis'> => ({ at } as StreamEventData<'kpis'>)
    c.offer('kpis', kpis('2026-11-23T01:00:00.000Z'))
    c.offer('kpis', kpis('2026-11-23T01:00:05.000Z'))
    c.offer('kpis', kpis('2026-11-23T01:00:10.000Z'))
    c.flush()
    expect(published).toEqual([{ stream: 'kpis', data: kpis('2026-11-23T01:00:00.000Z') }, { stream: 'kpis', data: kpis('2026-11-23T01:00:10.000Z') }])
  })

  it('sends what it holds when closed', () => {
    const c = start(60_000)
    c.offer('halls', { halls: [], summary: null })
    c.close()
    expect(published.map(p => p.stream)).toEqual(['halls'])
  })
})
