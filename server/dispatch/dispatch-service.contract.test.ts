/**
 * The dispatch service on every store implementation (reliability.md §6.1
 * C3, C4): deadline events fire exactly once per order and deadline, across
 * two nodes scanning together and across a restart; two officers on two
 * nodes dispatching the same orders at the same moment get exactly one
 * winner each time, both audited; an upstream close closes the order once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Principal } from '@shared/auth/policy'
import { DEFAULT_SLA_POLICY } from '@shared/dispatch/sla'
import type { Incident, IncidentsSummary } from '@shared/schemas/incidents'
import { DomainBus } from '@server/bus'
import { loadCity } from '@server/city'
import { loadWorkingCalendar } from '@server/city/calendar'
import { deriveIncident } from '@server/ingest/incident.derive'
import { IncidentState } from '@server/live/incident-state'
import type { Store } from '@server/store/repositories'
import type { OpenedStore } from '@server/store/store.backends'
import { contractBackends } from '@server/store/store.backends'
import { hotlineCall } from './dispatch.support'
import { DispatchService } from './dispatch-service'

const { backends } = await contractBackends()
const city = loadCity('dongguan')
const calendar = loadWorkingCalendar()
/** Monday 2026-11-23, 09:00 in Dongguan. */
const T0 = Date.parse('2026-11-23T01:00:00.000Z')
const MINUTE_MS = 60_000
const eco = city.departments.find(d => d.id.endsWith('-eco-env'))!.id

const officer = (n: number): Principal => ({ kind: 'user', userId: `duty-${n}`, username: `duty-${n}`, roles: ['duty_officer'], departmentId: null })

interface Node { service: DispatchService, published: Incident[][], clock: { t: number }, incidents: IncidentState, bus: DomainBus }

function node(store: Store, clock = { t: T0 }): Node {
  const bus = new DomainBus()
  const published: Incident[][] = []
  bus.on('incidents.updated', (data: { incidents: Incident[], summary: IncidentsSummary }) => published.push(data.incidents))
  const incidents = new IncidentState(() => clock.t)
  const service = new DispatchService({
    store,
    incidents,
    bus,
    city,
    calendar,
    policy: DEFAULT_SLA_POLICY,
    now: () => clock.t,
    scanIntervalMs: 3_600_000,
    onError: (err) => {
      throw err
    },
  })
  return { service, published, clock, incidents, bus }
}

/** Stores calls as ingestion does; returns their ids. */
async function calls(store: Store, n: number, fields: Parameters<typeof hotlineCall>[2] = {}): Promise<string[]> {
  const at = new Date(T0).toISOString()
  const items = Array.from({ length: n }, (_, i) => {
    const report = { urgency: 'normal' as const, status: 'open' as const, description: '', ...hotlineCall(`C-${i + 1}`, at, fields) }
    return { report, incident: deriveIncident('hotline', report, at, undefined, { city, calendar }) }
  })
  expect(await store.incidents.save(items)).toEqual(items.map(() => 'created'))
  return items.map(i => i.incident.id)
}

describe.each(backends.map(b => [b.name, b] as const))('%s store: the dispatch service', (_name, backend) => {
  let opened: OpenedStore
  let store: Store
  beforeEach(async () => {
    opened = await backend.open()
    store = opened.store
  })
  afterEach(async () => {
    await opened.dispose()
  })

  it('fires each deadline event once per order, with two nodes scanning at once and after a restart', { timeout: 60_000 }, async () => {
    const ids = await calls(store, 20, { urgency: 'urgent', nature: 'help' })
    const a = node(store)
    const b = node(store, a.clock)
    for (const id of ids) {
      const r = await a.service.command(id, { commandId: `dispatch-${id}`, expectedVersion: 1, command: { action: 'dispatch', departmentId: eco, assistingDepartmentIds: [], note: '' } }, officer(1), null)
      expect(r.kind).toBe('ok')
    }
    // Urgent: sign within 30 minutes. At 25 minutes (past 80 %) a warning; at 31 the deadline, urged (催办).
    a.clock.t = T0 + 25 * MINUTE_MS
    const [wa, wb] = await Promise.all([a.service.scanDeadlines(), b.service.scanDeadlines()])
    expect(wa + wb).toBe(20)
    a.clock.t = T0 + 31 * MINUTE_MS
    const [oa, ob] = await Promise.all([a.service.scanDeadlines(), b.service.scanDeadlines()])
    expect(oa + ob).toBe(20)
    // (The test store's audit key lives as long as this open of it: the chain is checked before the restart.)
    expect((await store.audit.verify()).ok).toBe(true)
    // A restarted node finds nothing left to fire at the same moment.
    store = await opened.restart()
    const c = node(store, a.clock)
    expect(await c.service.scanDeadlines()).toBe(0)
    for (const id of ids) {
      const timeline = await store.workOrders.timeline(id)
      expect(timeline.map(e => e.action)).toEqual(['create', 'dispatch', 'sign_warning', 'sign_overdue'])
      expect(timeline.map(e => e.seq)).toEqual([1, 2, 3, 4])
      expect((await store.workOrders.get(id))?.supervision).toBe(1)
    }
    // The overdue sign raised supervision: audited once per order; the warnings change nothing and are not.
    const audit = await store.audit.list({ limit: 500, action: 'workorder.sign_overdue' })
    expect(audit).toHaveLength(20)
    expect(new Set(audit.map(e => e.targetId)).size).toBe(20)
    // Urgent handling (24 h) overdue later: supervised (督办, level 2), once.
    c.clock.t = T0 + 25 * 60 * MINUTE_MS
    expect(await c.service.scanDeadlines()).toBe(20)
    expect(await c.service.scanDeadlines()).toBe(0)
    expect((await store.workOrders.get(ids[0]!))?.supervision).toBe(2)
  })

  it('gives exactly one winner when two officers on two nodes dispatch the same order at once, and audits both', { timeout: 60_000 }, async () => {
    const ids = await calls(store, 50)
    const a = node(store)
    const b = node(store, a.clock)
    const dispatch = (n: Node, who: number, id: string) => n.service.command(id, { commandId: `n${who}-${id}`, expectedVersion: 1, command: { action: 'dispatch', departmentId: eco, assistingDepartmentIds: [], note: `by ${who}` } }, officer(who), null)
    const results = await Promise.all(ids.map(id => Promise.all([dispatch(a, 1, id), dispatch(b, 2, id)])))
    for (const [x, y] of results) {
      expect([x.kind, y.kind].sort()).toEqual(['conflict', 'ok'])
    }
    for (const id of ids) {
      const timeline = await store.workOrders.timeline(id)
      expect(timeline.filter(e => e.action === 'dispatch')).toHaveLength(1)
      const order = await store.workOrders.get(id)
      expect(order).toMatchObject({ state: 'dispatched', version: 2 })
    }
    const audit = await store.audit.list({ limit: 500, action: 'workorder.dispatch' })
    expect(audit.filter(e => e.outcome === 'ok')).toHaveLength(50)
    expect(audit.filter(e => e.outcome === 'failed')).toHaveLength(50)
    expect((await store.audit.verify()).ok).toBe(true)
    // Each node published the orders it won, with their work order on the incident.
    const won = [...a.published, ...b.published].flat().filter(i => i.handling?.state === 'dispatched')
    expect(new Set(won.map(i => i.id))).toEqual(new Set(ids))
  })

  it('closes an order once when upstream closes the request, and keeps it closed when a later report arrives', { timeout: 30_000 }, async () => {
    const [id] = await calls(store, 1)
    const n = node(store)
    await n.service.start()
    try {
      const held = (await store.incidents.get(id!))!
      n.incidents.restore([held])
      const closedReport = { ...hotlineCall('C-1', new Date(T0 + MINUTE_MS).toISOString()), reportedAt: held.reportedAt, status: 'closed' as const, urgency: 'normal' as const, description: '' }
      const closed = deriveIncident('hotline', closedReport, new Date(T0 + MINUTE_MS).toISOString(), held.receivedAt, { city, calendar })
      expect(await store.incidents.save([{ incident: closed, report: closedReport }])).toEqual(['updated'])
      // As ingestion passes it on: the service closes the order; the held incident stays open until it has.
      n.incidents.apply([closed])
      expect(n.incidents.get(id!)?.status).toBe('open')
      n.service.closedUpstream([closed])
      await expect.poll(async () => (await store.workOrders.get(id!))?.state).toBe('closed')
      expect((await store.workOrders.timeline(id!)).map(e => e.action)).toEqual(['create', 'upstream_close'])
      await expect.poll(() => n.incidents.get(id!)?.status).toBe('closed')
      // A newer open report does not reopen what was closed.
      const reopened = { ...closedReport, version: new Date(T0 + 2 * MINUTE_MS).toISOString(), status: 'open' as const }
      await store.incidents.save([{ incident: deriveIncident('hotline', reopened, reopened.version, held.receivedAt, { city, calendar }), report: reopened }])
      expect((await store.incidents.get(id!))?.status).toBe('closed')
    }
    finally {
      await n.service.stop()
    }
  })
})
