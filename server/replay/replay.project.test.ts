import { describe, expect, it } from 'vitest'
import { calendar, policy } from '@shared/dispatch/machine.support'
import { newWorkOrder } from '@shared/dispatch/machine'
import type { WorkOrder, WorkOrderEvent } from '@shared/schemas/work-orders'
import { orderAt } from './replay.project'

const MIN = 60_000
const T = Date.parse('2026-11-23T02:00:00.000Z')
const iso = (t: number): string => new Date(t).toISOString()
const actor = { id: 'u-duty', name: '值班长', departmentId: null }

function event(seq: number, minute: number, action: string, from: WorkOrder['state'] | null, to: WorkOrder['state'], departmentId = 'env'): WorkOrderEvent {
  return { orderId: 'sim:T1', seq, at: iso(T + minute * MIN), action, actor, departmentId, from, to, detail: {} }
}

/** Made at 0, dispatched at 5, signed at 9, supervised at 12, replied at 20 and closed at 30; today it is closed. */
const EVENTS = [
  event(1, 0, 'create', null, 'accepted', 'routing'),
  event(2, 5, 'dispatch', 'accepted', 'dispatched'),
  event(3, 9, 'sign', 'dispatched', 'in_progress'),
  event(4, 12, 'supervise', 'in_progress', 'in_progress'),
  event(5, 20, 'reply', 'in_progress', 'pending_revisit'),
  event(6, 30, 'revisit', 'pending_revisit', 'closed'),
]
const opened = newWorkOrder({ id: 'sim:T1', nature: 'complaint', topic: 'environment', townCode: null, acceptedAt: iso(T), departmentId: 'env', priority: 'normal' }, policy, calendar, iso(T))
const NOW: WorkOrder = {
  ...opened,
  state: 'closed',
  version: 6,
  dispatchedAt: iso(T + 5 * MIN),
  signedAt: iso(T + 9 * MIN),
  repliedAt: iso(T + 20 * MIN),
  closedAt: iso(T + 30 * MIN),
  reply: { summary: '已处理', resolved: true, by: actor, at: iso(T + 20 * MIN) },
  revisit: { satisfaction: 'satisfied', note: '', by: actor, at: iso(T + 30 * MIN) },
  supervision: 1,
  updatedAt: iso(T + 30 * MIN),
}

describe(orderAt.name, () => {
  it('has no order before its first timeline entry', () => {
    expect(orderAt(NOW, EVENTS, T - 1)).toBeUndefined()
  })

  it('is in the state its timeline had reached, with only what had happened by then', () => {
    expect(orderAt(NOW, EVENTS, T + 6 * MIN)).toMatchObject({ state: 'dispatched', departmentId: 'env', dispatchedAt: iso(T + 5 * MIN), signedAt: null, repliedAt: null, closedAt: null, reply: null, revisit: null, supervision: 0 })
    expect(orderAt(NOW, EVENTS, T + 15 * MIN)).toMatchObject({ state: 'in_progress', signedAt: iso(T + 9 * MIN), supervision: 1, updatedAt: iso(T + 12 * MIN) })
    expect(orderAt(NOW, EVENTS, T + 25 * MIN)).toMatchObject({ state: 'pending_revisit', repliedAt: iso(T + 20 * MIN), reply: NOW.reply, closedAt: null })
    expect(orderAt(NOW, EVENTS, T + 31 * MIN)).toMatchObject({ state: 'closed', closedAt: iso(T + 30 * MIN), revisit: NOW.revisit })
  })

  it('grows its version with every entry, so a later projection never reads as older', () => {
    const versions = [0, 5, 9, 12, 20, 30].map(m => orderAt(NOW, EVENTS, T + m * MIN)?.version)
    expect(versions).toEqual([1, 2, 3, 4, 5, 6])
  })
})
