/**
 * Drills on every store implementation: a drill's calls, their work orders
 * and its alerts carry its id end to end; the dispatch KPIs and the wall's
 * 12345 counts leave them out while counting the real ones; the drill's
 * after-action summary is made of its own rows and kept when it ends, once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Principal } from '@shared/auth/policy'
import { DEFAULT_SLA_POLICY } from '@shared/dispatch/sla'
import type { Alert } from '@shared/schemas/alerts'
import type { IncidentReport } from '@shared/schemas/incidents'
import type { ActiveScenario, ScenarioRequest } from '@shared/schemas/scenarios'
import { DomainBus } from '@server/bus'
import { loadCity } from '@server/city'
import { loadWorkingCalendar } from '@server/city/calendar'
import { hotlineCall } from '@server/dispatch/dispatch.support'
import { dispatchKpis } from '@server/dispatch/kpis'
import { DispatchService } from '@server/dispatch/dispatch-service'
import type { ScenarioControl } from '@server/http/scenarios.routes'
import { deriveIncident } from '@server/ingest/incident.derive'
import { IncidentState } from '@server/live/incident-state'
import type { Store } from '@server/store/repositories'
import type { OpenedStore } from '@server/store/store.backends'
import { contractBackends } from '@server/store/store.backends'
import { DrillNotRunning, DrillService } from './drill-service'

const { backends } = await contractBackends()
const city = loadCity('dongguan')
const calendar = loadWorkingCalendar()
/** Monday 2026-11-23, 09:00 in Dongguan. */
const T0 = Date.parse('2026-11-23T01:00:00.000Z')
const MINUTE_MS = 60_000
const SHATIAN = '441900123'
const eco = city.departments.find(d => d.id.endsWith('-eco-env'))!.id
const duty: Principal = { kind: 'user', userId: 'duty-1', username: 'duty-1', roles: ['duty_officer'], departmentId: null }

/** The simulator's scenario book, as far as drills use it: started scenarios play until cancelled. */
function fakeControl(clock: { t: number }): ScenarioControl & { playing: ActiveScenario[] } {
  const playing: ActiveScenario[] = []
  return {
    playing,
    scenarios: () => playing.filter(s => Date.parse(s.endsAt) > clock.t),
    injectScenario: (request: ScenarioRequest, drillId?: string) => {
      const s: ActiveScenario = { id: `sc${playing.length + 1}-${request.kind}`, kind: request.kind, area: { townCodes: [SHATIAN] }, startsAt: new Date(clock.t).toISOString(), endsAt: new Date(clock.t + (request.durationMin ?? 60) * MINUTE_MS).toISOString(), intensity: request.intensity, label: '沙田异味', location: { lng: 113.6, lat: 22.9 }, ...(drillId ? { drillId } : {}) }
      playing.push(s)
      return s
    },
    cancelScenario: (id) => {
      const i = playing.findIndex(s => s.id === id)
      if (i >= 0)
        playing.splice(i, 1)
      return i >= 0
    },
  }
}

/** Stores calls as ingestion does, from `source`; returns their ids. */
async function calls(store: Store, state: IncidentState, source: string, tickets: string[], fields: Partial<IncidentReport> = {}): Promise<string[]> {
  const at = new Date(T0).toISOString()
  const items = tickets.map((t) => {
    const report: IncidentReport = { urgency: 'normal', status: 'open', description: '', ...hotlineCall(t, at), ...fields }
    return { report, incident: deriveIncident(source, report, at, undefined, { city, calendar }) }
  })
  expect(await store.incidents.save(items)).toEqual(items.map(() => 'created'))
  state.apply(items.map(i => i.incident))
  return items.map(i => i.incident.id)
}

function alert(id: string, drillId?: string): Alert {
  const at = new Date(T0 + 5 * MINUTE_MS).toISOString()
  return { id, ruleId: 'hotline.smell', entityId: `environment@${SHATIAN}`, domain: 'hotline', severity: 'info', status: 'firing', title: `异味投诉 ${id}`, townCode: SHATIAN, groupKey: `town:${SHATIAN}`, value: 3, raisedAt: at, updatedAt: at, acknowledgedBy: null, acknowledgedAt: null, resolvedAt: null, escalationLevel: 0, muted: false, workOrderId: null, ...(drillId ? { drillId } : {}) }
}

describe.each(backends.map(b => [b.name, b] as const))('%s store: drills', (_name, backend) => {
  let opened: OpenedStore
  let store: Store
  const clock = { t: T0 }
  let state: IncidentState
  let dispatch: DispatchService
  beforeEach(async () => {
    opened = await backend.open()
    store = opened.store
    clock.t = T0
    state = new IncidentState(() => clock.t)
    dispatch = new DispatchService({ store, incidents: state, bus: new DomainBus(), city, calendar, policy: DEFAULT_SLA_POLICY, now: () => clock.t, scanIntervalMs: 3_600_000, onError: (err) => {
      throw err
    } })
  })
  afterEach(async () => {
    await opened.dispose()
  })

  it('marks a drill\'s calls, orders and alerts, and leaves them out of the real measures', { timeout: 60_000 }, async () => {
    const control = fakeControl(clock)
    const drills = new DrillService({ store, control: () => control, incidents: state, simulatorFeed: 'simulator', now: () => clock.t, checkIntervalMs: 3_600_000, onError: (err) => {
      throw err
    } })
    const { drill } = await drills.begin({ name: '2026年第4季度沙田异味应急演练', scenario: { kind: 'chemical-smell', area: { townCodes: [SHATIAN] }, durationMin: 60, intensity: 0.7 } }, duty, '127.0.0.1')
    expect(control.playing[0]?.drillId).toBe(drill.id)

    const drillIds = await calls(store, state, 'simulator', ['D-1', 'D-2', 'D-3'], { drillId: drill.id })
    const realIds = await calls(store, state, 'hotline', ['R-1', 'R-2'])
    // An outside feed cannot mark its calls as a drill's.
    const [forged] = await calls(store, state, 'hotline', ['F-1'], { drillId: drill.id })
    expect((await store.incidents.get(drillIds[0]!))?.drillId).toBe(drill.id)
    expect((await store.incidents.get(drillIds[0]!))?.handling?.drillId).toBe(drill.id)
    expect((await store.incidents.get(forged!))?.drillId).toBeUndefined()
    expect((await store.workOrders.get(realIds[0]!))?.drillId).toBeUndefined()

    // The wall's 12345 counts: the three real calls only (two real, one whose forged mark was dropped).
    expect(state.counts()).toMatchObject({ open: 3, intakeToday: 3 })

    // Everything dispatched and signed the same way.
    for (const id of [...drillIds, ...realIds, forged!]) {
      const r = await dispatch.command(id, { commandId: `dispatch-${id}`, expectedVersion: 1, command: { action: 'dispatch', departmentId: eco, assistingDepartmentIds: [], note: '' } }, duty, null)
      expect(r.kind).toBe('ok')
    }
    const period = { from: new Date(T0 - 60 * MINUTE_MS).toISOString(), to: new Date(T0 + 60 * MINUTE_MS).toISOString() }
    const orders = await store.workOrders.forKpis(period)
    expect(orders.map(o => o.id).sort()).toEqual([...realIds, forged!].sort())
    expect(dispatchKpis(orders, await store.workOrders.eventsBetween({ actions: ['dispatch'], ...period }), period, clock.t).city.dispatched).toBe(3)
    expect((await store.workOrders.eventsBetween({ actions: ['dispatch'], ...period })).map(e => e.orderId).sort()).toEqual([...realIds, forged!].sort())

    await store.alerts.write({ raised: [alert('a-drill', drill.id), alert('a-real')] })
    expect((await store.alerts.get('a-drill'))?.drillId).toBe(drill.id)
    expect((await store.alerts.get('a-real'))?.drillId).toBeUndefined()

    // So far: the drill's three orders and one alert, nothing of the real ones.
    clock.t = T0 + 20 * MINUTE_MS
    const sofar = await drills.detail(drill.id)
    expect(sofar?.summary).toMatchObject({ final: false, alerts: { raised: 1 }, orders: { total: 3, open: 3 } })
    expect(sofar?.summary.orders.steps[0]).toEqual({ step: 'call_to_dispatch', stats: { count: 3, medianMin: 0, maxMin: 0 } })

    // Ended by a person: the scenario stops, the summary is kept, a second end is refused.
    const ended = await drills.end(drill.id, duty, '127.0.0.1')
    expect(ended?.drill).toMatchObject({ status: 'ended', endedBy: 'duty-1', endedAt: new Date(T0 + 20 * MINUTE_MS).toISOString() })
    expect(control.playing).toEqual([])
    await expect(drills.end(drill.id, duty, null)).rejects.toBeInstanceOf(DrillNotRunning)
    clock.t = T0 + 90 * MINUTE_MS
    expect((await drills.detail(drill.id))?.summary).toEqual(ended?.summary)
    expect((await drills.detail(drill.id, true))?.summary.asOf).toBe(new Date(clock.t).toISOString())

    const audit = await store.audit.list({ limit: 100, targetId: drill.id })
    expect(audit.map(a => a.action).sort()).toEqual(['drill.end', 'drill.start'])
    expect((await store.audit.verify()).ok).toBe(true)
  })

  it('ends a drill when its scenario ends, once, with two services checking', { timeout: 60_000 }, async () => {
    const control = fakeControl(clock)
    const make = () => new DrillService({ store, control: () => control, incidents: state, simulatorFeed: 'simulator', now: () => clock.t, checkIntervalMs: 3_600_000, onError: (err) => {
      throw err
    } })
    const [a, b] = [make(), make()]
    const { drill } = await a.begin({ name: '暴雨演练', scenario: { kind: 'heavy-rain', area: { region: 'south' }, durationMin: 30, intensity: 0.5 } }, duty, null)
    clock.t = T0 + 29 * MINUTE_MS
    await a.endFinished()
    expect((await store.drills.get(drill.id))?.drill.status).toBe('running')
    clock.t = T0 + 45 * MINUTE_MS
    await Promise.all([a.endFinished(), b.endFinished()])
    const held = await store.drills.get(drill.id)
    // It ended when its scenario did, not when it was noticed.
    expect(held?.drill).toMatchObject({ status: 'ended', endedBy: null, endedAt: new Date(T0 + 30 * MINUTE_MS).toISOString() })
    expect(held?.summary?.final).toBe(true)
    expect((await store.audit.list({ limit: 100, targetId: drill.id })).filter(e => e.action === 'drill.end')).toHaveLength(1)
  })
})
