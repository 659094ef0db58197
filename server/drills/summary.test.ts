import { describe, expect, it } from 'vitest'
import type { Role } from '@shared/auth/policy'
import type { Alert, AlertEvent } from '@shared/schemas/alerts'
import type { Drill } from '@shared/schemas/drills'
import type { WorkOrder, WorkOrderEvent } from '@shared/schemas/work-orders'
import { actorRole, drillSummary, durationStats } from './summary'

/** Monday 2026-11-23; all times UTC, in whole minutes, so the figures below are counted by hand. */
const at = (hhmm: string): string => `2026-11-23T${hhmm}:00.000Z`

const drill: Drill = {
  id: 'dr-1',
  name: '2026年第4季度沙田异味应急演练',
  scenario: { id: 'sc1-chemical-smell', kind: 'chemical-smell', area: { townCodes: ['441900123'] }, startsAt: at('01:00'), endsAt: at('03:00'), intensity: 0.7, label: '沙田异味', location: { lng: 113.6, lat: 22.9 }, drillId: 'dr-1' },
  status: 'ended',
  startedAt: at('01:00'),
  endsAt: at('03:00'),
  endedAt: at('04:30'),
  startedBy: 'duty',
  endedBy: 'duty',
}

function order(id: string, fields: Partial<WorkOrder>): WorkOrder {
  return {
    id, state: 'accepted', version: 1, nature: 'complaint', topic: 'environment', townCode: '441900123', priority: 'normal',
    departmentId: 'dg-eco-env', assistingDepartmentIds: [], acceptedAt: at('01:00'), dispatchedAt: null, signedAt: null, repliedAt: null,
    closedAt: null, signDueAt: null, handleDueAt: at('23:00'), extensionRequest: null, extensionsGranted: 0, returnRequest: null, reply: null,
    revisit: null, supervision: 0, returns: 0, reopens: 0, mergedInto: null, mergedIds: [], updatedAt: at('01:00'), drillId: 'dr-1', ...fields,
  }
}

function event(orderId: string, seq: number, time: string, action: string, actorId: string, to: WorkOrder['state']): WorkOrderEvent {
  return { orderId, seq, at: at(time), action, actor: { id: actorId, name: actorId, departmentId: null }, departmentId: 'dg-eco-env', from: null, to, detail: {} }
}

/** A: the whole cycle, by people and the simulated sign; B: signed, overdue; C: answered directly at intake. */
const orders = [
  order('A', { state: 'closed', acceptedAt: at('01:00'), closedAt: at('04:00') }),
  order('B', { state: 'in_progress', acceptedAt: at('01:20'), handleDueAt: at('02:30') }),
  order('C', { state: 'closed', acceptedAt: at('01:30'), closedAt: at('01:35') }),
]
// Given out of order: the summary sorts each order's entries by seq.
const orderEvents = [
  event('A', 5, '04:00', 'revisit', 'u-duty', 'closed'),
  event('A', 1, '01:00', 'create', 'system', 'accepted'),
  event('A', 2, '01:10', 'dispatch', 'u-duty', 'dispatched'),
  event('A', 3, '01:40', 'sign', 'sim-dg-eco-env', 'in_progress'),
  event('A', 4, '03:40', 'reply', 'u-handler', 'pending_revisit'),
  event('B', 1, '01:20', 'create', 'system', 'accepted'),
  event('B', 2, '01:50', 'dispatch', 'sim-duty', 'dispatched'),
  event('B', 3, '02:10', 'sign', 'u-handler', 'in_progress'),
  event('B', 4, '02:30', 'handle_overdue', 'system', 'in_progress'),
  event('C', 1, '01:30', 'create', 'system', 'accepted'),
  event('C', 2, '01:35', 'answer', 'u-duty', 'closed'),
]

function alert(id: string, raisedAt: string, ack: { at: string, by: string } | null): Alert {
  return {
    id, ruleId: 'hotline.smell', entityId: 'environment@441900123', domain: 'hotline', severity: 'info', status: ack ? 'acknowledged' : 'firing',
    title: `异味投诉 ${id}`, townCode: '441900123', groupKey: 'town:441900123', value: 3, raisedAt: at(raisedAt), updatedAt: at(raisedAt),
    acknowledgedBy: ack?.by ?? null, acknowledgedAt: ack ? at(ack.at) : null, resolvedAt: null, escalationLevel: 0, muted: false, workOrderId: null, drillId: 'dr-1',
  }
}
const alerts = [alert('a1', '01:05', { at: '01:08', by: 'duty' }), alert('a2', '01:30', { at: '01:45', by: 'op' }), alert('a3', '02:00', null)]
const alertEvents: AlertEvent[] = [
  { alertId: 'a1', type: 'raised', at: at('01:05'), by: null, detail: null },
  { alertId: 'a1', type: 'acknowledged', at: at('01:08'), by: 'duty', detail: null },
  { alertId: 'a2', type: 'raised', at: at('01:30'), by: null, detail: null },
  { alertId: 'a2', type: 'acknowledged', at: at('01:45'), by: 'op', detail: null },
  { alertId: 'a3', type: 'raised', at: at('02:00'), by: null, detail: null },
]
const ROLES_OF: Record<string, Role[]> = { 'u-duty': ['duty_officer'], 'u-handler': ['dept_handler'], 'duty': ['duty_officer'], 'op': ['operator'] }
const rolesOf = (who: string): Role[] | undefined => ROLES_OF[who]

describe(drillSummary.name, () => {
  const summary = drillSummary({ drill, alerts, alertEvents, orders, orderEvents, rolesOf }, Date.parse(at('05:00')))

  it('times each step of the cycle over the orders that reached it', () => {
    expect(summary.orders.steps).toEqual([
      // A 10, B 30
      { step: 'call_to_dispatch', stats: { count: 2, medianMin: 20, maxMin: 30 } },
      // A 30, B 20
      { step: 'dispatch_to_sign', stats: { count: 2, medianMin: 25, maxMin: 30 } },
      // A 120
      { step: 'sign_to_reply', stats: { count: 1, medianMin: 120, maxMin: 120 } },
      // A 20 (C's direct answer has no reply step)
      { step: 'reply_to_close', stats: { count: 1, medianMin: 20, maxMin: 20 } },
      // A 180, C 5
      { step: 'call_to_close', stats: { count: 2, medianMin: 92.5, maxMin: 180 } },
    ])
  })

  it('credits each step to the role of whoever finished it', () => {
    expect(summary.orders.byRole).toEqual([
      { step: 'call_to_dispatch', role: 'duty_officer', stats: { count: 1, medianMin: 10, maxMin: 10 } },
      { step: 'call_to_dispatch', role: 'simulated', stats: { count: 1, medianMin: 30, maxMin: 30 } },
      { step: 'dispatch_to_sign', role: 'dept_handler', stats: { count: 1, medianMin: 20, maxMin: 20 } },
      { step: 'dispatch_to_sign', role: 'simulated', stats: { count: 1, medianMin: 30, maxMin: 30 } },
      { step: 'sign_to_reply', role: 'dept_handler', stats: { count: 1, medianMin: 120, maxMin: 120 } },
      { step: 'reply_to_close', role: 'duty_officer', stats: { count: 1, medianMin: 20, maxMin: 20 } },
      { step: 'call_to_close', role: 'duty_officer', stats: { count: 2, medianMin: 92.5, maxMin: 180 } },
    ])
  })

  it('counts orders open, closed and overdue at the time asked', () => {
    expect(summary.orders).toMatchObject({ total: 3, open: 1, closed: 2, overdue: 1 })
    const before = drillSummary({ drill, alerts, alertEvents, orders, orderEvents, rolesOf }, Date.parse(at('02:00')))
    expect(before.orders.overdue).toBe(0)
  })

  it('times the acknowledgement of each alert, overall and per role', () => {
    expect(summary.alerts).toMatchObject({ raised: 3, acknowledged: 2, ack: { count: 2, medianMin: 9, maxMin: 15 } })
    expect(summary.alerts.byRole).toEqual([
      { role: 'duty_officer', ack: { count: 1, medianMin: 3, maxMin: 3 } },
      { role: 'operator', ack: { count: 1, medianMin: 15, maxMin: 15 } },
    ])
    expect(summary.alerts.items.map(a => [a.alertId, a.ackMin])).toEqual([['a1', 3], ['a2', 15], ['a3', null]])
  })

  it('lists the key moments in time order', () => {
    expect(summary.timeline.map(m => [m.kind, m.at.slice(11, 16), m.ref])).toEqual([
      ['drill-start', '01:00', null],
      ['first-call', '01:00', 'A'],
      ['first-alert', '01:05', 'a1'],
      ['first-ack', '01:08', 'a1'],
      ['first-dispatch', '01:10', 'A'],
      ['first-close', '01:35', 'C'],
      ['first-sign', '01:40', 'A'],
      ['first-reply', '03:40', 'A'],
      ['last-close', '04:00', 'A'],
      ['drill-end', '04:30', null],
    ])
    expect(summary).toMatchObject({ drillId: 'dr-1', final: true, asOf: at('05:00') })
  })

  it('is the same whatever order the records come in', () => {
    const shuffled = drillSummary({ drill, alerts: [...alerts].reverse(), alertEvents: [...alertEvents].reverse(), orders: [...orders].reverse(), orderEvents: [...orderEvents].reverse(), rolesOf }, Date.parse(at('05:00')))
    expect(shuffled).toEqual(summary)
  })

  it('has nothing to time for a drill that caused nothing yet', () => {
    const empty = drillSummary({ drill: { ...drill, status: 'running', endedAt: null }, alerts: [], alertEvents: [], orders: [], orderEvents: [], rolesOf }, Date.parse(at('01:30')))
    expect(empty.final).toBe(false)
    expect(empty.orders.steps.every(s => s.stats.count === 0 && s.stats.medianMin === null)).toBe(true)
    expect(empty.timeline).toEqual([{ at: at('01:00'), kind: 'drill-start', ref: null }])
  })
})

describe(actorRole.name, () => {
  it('names the role that grants the step, the simulated officers and the system', () => {
    const roles = (who: string): Role[] | undefined => ({ both: ['operator', 'duty_officer'] as Role[], lead: ['leader'] as Role[] })[who]
    expect(actorRole('both', 'ack', roles)).toBe('operator')
    expect(actorRole('both', 'dispatch', roles)).toBe('duty_officer')
    expect(actorRole('lead', 'dispatch', roles)).toBe('leader')
    expect(actorRole('sim-duty', 'dispatch', roles)).toBe('simulated')
    expect(actorRole('system', 'close', roles)).toBe('system')
    expect(actorRole('gone', 'close', roles)).toBe('system')
  })
})

describe(durationStats.name, () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(durationStats([7, 1, 4])).toEqual({ count: 3, medianMin: 4, maxMin: 7 })
    expect(durationStats([1, 2, 3, 10])).toEqual({ count: 4, medianMin: 2.5, maxMin: 10 })
    expect(durationStats([])).toEqual({ count: 0, medianMin: null, maxMin: null })
  })
})
