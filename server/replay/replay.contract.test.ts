/** Replay determinism on every store implementation: the same window of the same store plays the same sequence. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RoadSegment } from '@shared/schemas/city'
import type { Incident, IncidentReport } from '@shared/schemas/incidents'
import type { RollupSample, Store } from '@server/store/repositories'
import type { OpenedStore } from '@server/store/store.backends'
import { contractBackends } from '@server/store/store.backends'
import { buildReplay } from './replay.builder'
import { loadReplaySource } from './replay.source'

const { backends } = await contractBackends()

const MIN = 60_000
const FROM = Date.parse('2026-11-23T02:00:00.000Z')
const TO = FROM + 30 * MIN
const iso = (t: number): string => new Date(t).toISOString()
const ROADS: RoadSegment[] = Array.from({ length: 6 }, (_, i) =>
  ({ id: `s${i}`, name: `路段${i}`, roadClass: 'arterial', townCode: i < 3 ? '441900003' : '441900004', lengthKm: 0.5 + i / 10, freeFlowKmh: 50, path: [[113.7, 23], [113.71, 23]] }))
const CITY = { roads: ROADS, stationsTotal: 2, hallsTotal: 1 }

/** An hour and a half of telemetry, several samples a minute, spread over the window and the hour before it. */
function samples(): RollupSample[] {
  const out: RollupSample[] = []
  for (let t = FROM - 60 * MIN; t < TO; t += 20_000) {
    const k = (t - FROM) / MIN
    for (const road of ROADS)
      out.push({ kind: 'traffic', entityId: road.id, metric: 'speedKmh', observedAt: iso(t), value: 30 + 15 * Math.sin(k / 7 + Number(road.id.slice(1))) })
    for (const station of ['st1', 'st2']) {
      out.push({ kind: 'air', entityId: station, metric: 'pm25', observedAt: iso(t), value: 40 + (k % 13) })
      out.push({ kind: 'air', entityId: station, metric: 'no2', observedAt: iso(t), value: 30 + (k % 5) })
    }
    out.push({ kind: 'hall', entityId: 'h1', metric: 'waiting', observedAt: iso(t), value: 10 + (k % 9) })
    out.push({ kind: 'hall', entityId: 'h1', metric: 'ticketsToday', observedAt: iso(t), value: 200 + k })
  }
  return out
}

function version(ticketNo: string, versionAt: number, status: 'open' | 'closed' = 'open'): { incident: Incident, report: IncidentReport } {
  const report: IncidentReport = { ticketNo, version: iso(versionAt), reportedAt: iso(FROM - 10 * MIN), nature: 'complaint', topic: 'environment', urgency: 'normal', status, title: `噪声 ${ticketNo}`, description: '' }
  return { report, incident: { ...report, id: `hotline:${ticketNo}`, source: 'hotline', townCode: '441900003', departmentId: 'DG-DEPT-ENV', dueAt: iso(FROM + 2 * 24 * 60 * MIN), receivedAt: iso(FROM - 10 * MIN), updatedAt: iso(versionAt + 1000) } }
}

describe.each(backends.map(b => [b.name, b] as const))('%s store: replay', (_name, backend) => {
  let opened: OpenedStore | undefined
  let store: Store
  beforeEach(async () => {
    opened = await backend.open()
    store = opened.store
  })
  afterEach(() => opened?.dispose())

  it('builds the same window twice, and again after a restart, to the same sequence', async () => {
    await store.history.add(samples())
    await store.incidents.save([version('A', FROM - 10 * MIN), version('B', FROM + 5 * MIN)])
    await store.incidents.save([version('A', FROM + 12 * MIN, 'closed')])

    const play = async (s: Store): Promise<string> => JSON.stringify(buildReplay(await loadReplaySource(s, FROM, TO), CITY))
    const first = await play(store)
    expect(await play(store)).toBe(first)
    expect(await play(await opened!.restart())).toBe(first)

    const answer = JSON.parse(first) as ReturnType<typeof buildReplay>
    expect(answer.start.traffic.segments).toHaveLength(ROADS.length)
    expect(answer.start.incidents.incidents.map(i => i.id)).toEqual(['hotline:A'])
    const incidentFrames = answer.frames.filter(f => f.stream === 'incidents').map(f => f.stream === 'incidents' && f.data.incidents.map(i => [i.id, i.status]))
    expect(incidentFrames).toEqual([[['hotline:B', 'open']], [['hotline:A', 'closed']]])
    expect(answer.frames.filter(f => f.stream === 'kpis')).toHaveLength(29)
  })
})
