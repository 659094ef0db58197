import { describe, expect, it } from 'vitest'
import { alertFixture } from '@shared/schemas/alerts.fixture'
import type { AlertEvent } from '@shared/schemas/alerts'
import type { RoadSegment } from '@shared/schemas/city'
import type { Incident, IncidentReport } from '@shared/schemas/incidents'
import { REPLAY_STREAMS, ReplayAnswer } from '@shared/schemas/replay'
import { gradeForRatio, speedRatio } from '@shared/traffic/congestion'
import type { RollupRow } from '@server/store/repositories'
import type { ReplaySource } from './replay.builder'
import { buildReplay, REPLAY_LOOKBACK_MS } from './replay.builder'
import type { ReplayEvents } from './replay.reader'

const MIN = 60_000
const FROM = Date.parse('2026-11-23T02:00:00.000Z')
const TO = FROM + 10 * MIN
const iso = (t: number): string => new Date(t).toISOString()

const road = (id: string, freeFlowKmh: number): RoadSegment =>
  ({ id, name: id, roadClass: 'arterial', townCode: '441900003', lengthKm: 1, freeFlowKmh, path: [[113.7, 23.0], [113.71, 23.0]] })
const CITY = { roads: [road('s1', 60), road('s2', 40)], stationsTotal: 1, hallsTotal: 1 }

const row = (kind: RollupRow['kind'], entityId: string, metric: string, t: number, value: number): RollupRow =>
  ({ kind, entityId, metric, start: iso(t), n: 1, mean: value, min: value, max: value })

const report = (version: string, fields: Partial<IncidentReport> = {}): IncidentReport => ({
  ticketNo: 'T1', version, reportedAt: iso(FROM + 3 * MIN), nature: 'complaint', topic: 'environment', urgency: 'normal', status: 'open', title: '噪声扰民', description: '', ...fields,
})
const incidentNow = (r: IncidentReport): Incident => ({ ...r, id: 'sim:T1', source: 'sim', townCode: '441900003', departmentId: 'env', dueAt: iso(FROM + 10 * 24 * 60 * MIN), receivedAt: iso(FROM + 3 * MIN), updatedAt: iso(FROM + 6 * MIN) })

const NO_EVENTS: ReplayEvents = { incidents: [], versions: [], orderEvents: [], alertIds: [], alertEvents: [] }

function source(fields: Partial<ReplaySource>): ReplaySource {
  return { from: FROM, to: TO, telemetry: [], kpiHours: [], events: NO_EVENTS, alerts: [], ...fields }
}

describe(buildReplay.name, () => {
  it('starts from the state the hour before the window left, and sends only what changed after', () => {
    const telemetry = [
      row('traffic', 's1', 'speedKmh', FROM - 30 * MIN, 55),
      row('traffic', 's2', 'speedKmh', FROM - 2 * MIN, 10),
      row('traffic', 's1', 'speedKmh', FROM + 2 * MIN, 20.4),
      // Older than the lookback: not part of the replay at all.
      row('traffic', 's2', 'speedKmh', FROM - REPLAY_LOOKBACK_MS - MIN, 99),
    ]
    const answer = buildReplay(source({ telemetry }), CITY)
    expect(ReplayAnswer.parse(answer)).toEqual(answer)
    expect(answer.start.traffic.segments).toEqual([
      ['s1', 55, gradeForRatio(speedRatio(55, 60))],
      ['s2', 10, gradeForRatio(speedRatio(10, 40))],
    ])
    const traffic = answer.frames.filter(f => f.stream === 'traffic')
    expect(traffic.map(f => f.at)).toEqual([iso(FROM + 2 * MIN)])
    expect(traffic[0]?.stream === 'traffic' && traffic[0].data.segments).toEqual([['s1', 20, 'moderate']]) // 20.4 / 60 = 0.34: (0.3, 0.4] is 中度拥堵
  })

  it('orders frames by time, then by stream, with one KPI set per minute and nothing for an empty minute but the KPIs', () => {
    const telemetry = [
      row('air', 'st1', 'pm25', FROM + MIN, 80),
      row('hall', 'h1', 'waiting', FROM + MIN, 12),
      row('traffic', 's1', 'speedKmh', FROM + MIN, 30),
    ]
    const answer = buildReplay(source({ telemetry }), CITY)
    const at1 = answer.frames.filter(f => f.at === iso(FROM + MIN)).map(f => f.stream)
    expect(at1).toEqual(['air', 'traffic', 'halls', 'kpis'])
    expect(answer.frames.filter(f => f.at === iso(FROM + 5 * MIN)).map(f => f.stream)).toEqual(['kpis'])
    const keys = answer.frames.map(f => [Date.parse(f.at), REPLAY_STREAMS.indexOf(f.stream)] as const)
    expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]))
    expect(answer.frames.filter(f => f.stream === 'kpis')).toHaveLength(9)
  })

  it('shows an incident when its first version arrives and its newer version mid-window, with the counts then', () => {
    const versions = [
      { incidentId: 'sim:T1', version: iso(FROM + 3 * MIN), receivedAt: iso(FROM + 3 * MIN + 500), report: report(iso(FROM + 3 * MIN)) },
      { incidentId: 'sim:T1', version: iso(FROM + 6 * MIN), receivedAt: iso(FROM + 6 * MIN + 500), report: report(iso(FROM + 6 * MIN), { status: 'closed' }) },
    ]
    const now = incidentNow(report(iso(FROM + 6 * MIN), { status: 'closed' }))
    const answer = buildReplay(source({ events: { ...NO_EVENTS, incidents: [now], versions } }), CITY)
    expect(answer.start.incidents.incidents).toEqual([])
    const frames = answer.frames.filter(f => f.stream === 'incidents')
    // At each version's own time, not its arrival (a simulation's clock runs apart from the server's).
    expect(frames.map(f => f.at)).toEqual([iso(FROM + 3 * MIN), iso(FROM + 6 * MIN)])
    const [first, second] = frames.map(f => (f.stream === 'incidents' ? f.data : null))
    expect(first?.incidents[0]).toMatchObject({ id: 'sim:T1', status: 'open', updatedAt: iso(FROM + 3 * MIN + 500) })
    expect(first?.summary.open).toBe(1)
    expect(second?.incidents[0]).toMatchObject({ status: 'closed', updatedAt: iso(FROM + 6 * MIN + 500) })
    expect(second?.summary.open).toBe(0)
  })

  it('raises an alert, then acknowledges it, each at its own instant', () => {
    const alert = alertFixture({ id: 'a1', severity: 'critical', status: 'resolved', raisedAt: iso(FROM - 5 * MIN), acknowledgedBy: 'duty', acknowledgedAt: iso(FROM + 4 * MIN), resolvedAt: iso(FROM + 12 * MIN) })
    const alertEvents: AlertEvent[] = [
      { alertId: 'a1', type: 'raised', at: iso(FROM - 5 * MIN), by: null, detail: null },
      { alertId: 'a1', type: 'acknowledged', at: iso(FROM + 4 * MIN + 250), by: 'duty', detail: null },
    ]
    const answer = buildReplay(source({ events: { ...NO_EVENTS, alertIds: ['a1'], alertEvents }, alerts: [alert] }), CITY)
    expect(answer.start.alerts.alerts).toMatchObject([{ id: 'a1', status: 'firing', acknowledgedBy: null, resolvedAt: null }])
    expect(answer.start.alerts.summary).toEqual({ firing: 1, acknowledged: 0 })
    const frames = answer.frames.filter(f => f.stream === 'alerts')
    expect(frames).toHaveLength(1)
    expect(frames[0]).toMatchObject({ at: iso(FROM + 4 * MIN + 250), data: { alerts: [{ status: 'acknowledged', acknowledgedBy: 'duty' }], summary: { firing: 0, acknowledged: 1 } } })
  })

  it('is deterministic: the same source gives the same frames', () => {
    const telemetry = Array.from({ length: 20 }, (_, i) => row('traffic', i % 2 ? 's1' : 's2', 'speedKmh', FROM - 5 * MIN + i * MIN, 20 + i))
    const a = buildReplay(source({ telemetry }), CITY)
    const b = buildReplay(source({ telemetry: [...telemetry].reverse() }), CITY)
    expect(JSON.stringify(b)).toBe(JSON.stringify(a))
  })
})
