import { describe, expect, it } from 'vitest'
import type { CallEvidence, DrillWindow, MarkingEvidence } from './marking'
import { DRILL_AFTERMATH_MS, drillOfAlert } from './marking'

const MIN = 60_000
const T0 = Date.parse('2026-11-23T01:00:00.000Z')
const SHATIAN = '441900123'
const HUMEN = '441900121'

const smell: DrillWindow = { id: 'dr-smell', kind: 'chemical-smell', townCodes: [SHATIAN], startsAt: T0, endsAt: T0 + 120 * MIN }

function evidence(calls: CallEvidence[] = [], drills: DrillWindow[] = [smell]): MarkingEvidence {
  return { drills, call: id => calls.find(c => c.id === id), recentCalls: calls, simulatorFeed: 'simulator' }
}
const call = (id: string, town: string, minutesIn: number, drillId?: string, topic = 'environment'): CallEvidence =>
  ({ id, townCode: town, topic, reportedAt: T0 + minutesIn * MIN, ...(drillId ? { drillId } : {}) })

describe(drillOfAlert.name, () => {
  it('marks telemetry in the drill\'s towns, in a domain its scenario moves, while it runs and just after', () => {
    const ev = evidence()
    expect(drillOfAlert({ entityId: 'st-1', domain: 'air', townCode: SHATIAN, at: T0 + 30 * MIN }, ev)).toBe('dr-smell')
    expect(drillOfAlert({ entityId: 'st-1', domain: 'air', townCode: SHATIAN, at: T0 + 120 * MIN + DRILL_AFTERMATH_MS - 1 }, ev)).toBe('dr-smell')
  })

  it('leaves real what could be real: another town, another domain, before or long after, city-wide', () => {
    const ev = evidence()
    expect(drillOfAlert({ entityId: 'st-9', domain: 'air', townCode: HUMEN, at: T0 + 30 * MIN }, ev)).toBeUndefined()
    expect(drillOfAlert({ entityId: 'hall-1', domain: 'halls', townCode: SHATIAN, at: T0 + 30 * MIN }, ev)).toBeUndefined()
    expect(drillOfAlert({ entityId: 'st-1', domain: 'air', townCode: SHATIAN, at: T0 - MIN }, ev)).toBeUndefined()
    expect(drillOfAlert({ entityId: 'st-1', domain: 'air', townCode: SHATIAN, at: T0 + 120 * MIN + DRILL_AFTERMATH_MS }, ev)).toBeUndefined()
    expect(drillOfAlert({ entityId: 'dongguan', domain: 'air', townCode: null, at: T0 + 30 * MIN }, ev)).toBeUndefined()
  })

  it('marks a 12345 deadline by its order\'s own mark, whenever it fires', () => {
    const ev = evidence([call('simulator:T1', SHATIAN, 5, 'dr-smell'), call('hotline:T2', SHATIAN, 6)])
    expect(drillOfAlert({ entityId: 'simulator:T1', domain: 'hotline', townCode: SHATIAN, at: T0 + 3 * 24 * 60 * MIN }, ev)).toBe('dr-smell')
    expect(drillOfAlert({ entityId: 'hotline:T2', domain: 'hotline', townCode: SHATIAN, at: T0 + 30 * MIN }, ev)).toBeUndefined()
  })

  it('marks a 12345 cluster as the drill\'s only when its calls are at least half the drill\'s', () => {
    const drillCalls = [1, 2, 3].map(n => call(`simulator:D${n}`, SHATIAN, 10 + n, 'dr-smell'))
    const realCalls = [1, 2, 3, 4].map(n => call(`hotline:R${n}`, SHATIAN, 10 + n))
    const cluster = { entityId: `environment@${SHATIAN}`, domain: 'hotline' as const, townCode: SHATIAN, at: T0 + 20 * MIN }
    expect(drillOfAlert(cluster, evidence(drillCalls))).toBe('dr-smell')
    expect(drillOfAlert(cluster, evidence([...drillCalls, ...realCalls.slice(0, 3)]))).toBe('dr-smell')
    // More real callers than drill ones: a real emergency under the drill, and shown as one.
    expect(drillOfAlert(cluster, evidence([...drillCalls, ...realCalls]))).toBeUndefined()
    // Calls of another topic do not count either way.
    expect(drillOfAlert(cluster, evidence([...drillCalls, ...[1, 2, 3, 4].map(n => call(`hotline:W${n}`, SHATIAN, 10, undefined, 'utilities'))]))).toBe('dr-smell')
    // No drill running: real.
    expect(drillOfAlert({ ...cluster, at: T0 + 300 * MIN }, evidence(drillCalls.map(c => ({ ...c, reportedAt: c.reportedAt + 280 * MIN }))))).toBeUndefined()
  })

  it('marks the simulator\'s silence during a feed-outage drill, not another feed\'s', () => {
    const outage: DrillWindow = { id: 'dr-feed', kind: 'feed-outage', townCodes: [SHATIAN], startsAt: T0, endsAt: T0 + 30 * MIN }
    const ev = evidence([], [outage])
    expect(drillOfAlert({ entityId: 'simulator', domain: 'feeds', townCode: null, at: T0 + 10 * MIN }, ev)).toBe('dr-feed')
    expect(drillOfAlert({ entityId: 'dg-mqtt', domain: 'feeds', townCode: null, at: T0 + 10 * MIN }, ev)).toBeUndefined()
    expect(drillOfAlert({ entityId: 'st-1', domain: 'air', townCode: SHATIAN, at: T0 + 10 * MIN }, ev)).toBeUndefined()
  })
})
