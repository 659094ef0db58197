import type { Action, Role } from '@shared/auth/policy'
import { ROLE_ACTIONS, ROLES } from '@shared/auth/policy'
import { runningDeadline } from '@shared/dispatch/sla'
import type { Alert, AlertEvent } from '@shared/schemas/alerts'
import type { Drill, DrillActorRole, DrillMoment, DrillStep, DrillSummary, DurationStats } from '@shared/schemas/drills'
import { DRILL_STEPS } from '@shared/schemas/drills'
import type { WorkOrder, WorkOrderActor, WorkOrderEvent } from '@shared/schemas/work-orders'
import { isTerminal } from '@shared/schemas/work-orders'

const MINUTE_MS = 60_000

/** What the summary is made of: the drill's own alerts and orders, with their histories. */
export interface DrillRecords {
  drill: Drill
  alerts: readonly Alert[]
  alertEvents: readonly AlertEvent[]
  orders: readonly WorkOrder[]
  orderEvents: readonly WorkOrderEvent[]
  /** The roles of the people who acted, by user id and by username (alert events name the username). */
  rolesOf: (idOrUsername: string) => readonly Role[] | undefined
}

/** The permission a step needs: the role that grants it is the one the person acted in. */
const STEP_PERMISSION: Readonly<Record<'dispatch' | 'sign' | 'reply' | 'close' | 'ack', Action>> = {
  dispatch: 'workorders.dispatch',
  sign: 'workorders.handle',
  reply: 'workorders.handle',
  close: 'workorders.dispatch',
  ack: 'alerts.ack',
}

/**
 * Who did something, as a role: the simulated city's officers (ids `sim-…`),
 * the system (deadlines, upstream closes), or the first of a person's roles,
 * in the policy's order, that grants the step (else their first role).
 */
export function actorRole(actorId: string, step: keyof typeof STEP_PERMISSION, rolesOf: DrillRecords['rolesOf']): DrillActorRole {
  if (actorId === 'system')
    return 'system'
  if (actorId.startsWith('sim-'))
    return 'simulated'
  const roles = rolesOf(actorId)
  if (!roles || roles.length === 0)
    return 'system'
  const granting = ROLES.find(r => roles.includes(r) && ROLE_ACTIONS[r].includes(STEP_PERMISSION[step]))
  return granting ?? roles[0] ?? 'system'
}

/** Median (the mean of the middle two for an even count) and maximum, in minutes to 0.1. */
export function durationStats(minutes: readonly number[]): DurationStats {
  if (minutes.length === 0)
    return { count: 0, medianMin: null, maxMin: null }
  const sorted = [...minutes].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  const round = (x: number): number => Math.round(x * 10) / 10
  return { count: sorted.length, medianMin: round(median), maxMin: round(sorted[sorted.length - 1]!) }
}

const minutesBetween = (a: string, b: string): number => Math.max(0, (Date.parse(b) - Date.parse(a)) / MINUTE_MS)

interface StepSample { step: DrillStep, role: DrillActorRole, minutes: number }

/** The first timeline entry of an action, in order. */
const firstOf = (events: readonly WorkOrderEvent[], action: string): WorkOrderEvent | undefined => events.find(e => e.action === action)

/**
 * One order's step times: call → first dispatch → first sign → first reply
 * → close, and call → close; each credited to the role of whoever finished
 * the step. A direct answer (直接答复) closes without a dispatch: it counts
 * for call → close only.
 */
function orderSamples(order: WorkOrder, events: readonly WorkOrderEvent[], rolesOf: DrillRecords['rolesOf']): StepSample[] {
  const out: StepSample[] = []
  const role = (actor: WorkOrderActor, step: keyof typeof STEP_PERMISSION): DrillActorRole => actorRole(actor.id, step, rolesOf)
  const dispatch = firstOf(events, 'dispatch')
  const sign = firstOf(events, 'sign')
  const reply = firstOf(events, 'reply')
  const close = order.state === 'closed' ? events.find(e => e.to === 'closed') : undefined
  if (dispatch)
    out.push({ step: 'call_to_dispatch', role: role(dispatch.actor, 'dispatch'), minutes: minutesBetween(order.acceptedAt, dispatch.at) })
  if (dispatch && sign)
    out.push({ step: 'dispatch_to_sign', role: role(sign.actor, 'sign'), minutes: minutesBetween(dispatch.at, sign.at) })
  if (sign && reply)
    out.push({ step: 'sign_to_reply', role: role(reply.actor, 'reply'), minutes: minutesBetween(sign.at, reply.at) })
  if (close) {
    const closer = role(close.actor, 'close')
    if (reply && close !== reply)
      out.push({ step: 'reply_to_close', role: closer, minutes: minutesBetween(reply.at, close.at) })
    out.push({ step: 'call_to_close', role: closer, minutes: minutesBetween(order.acceptedAt, close.at) })
  }
  return out
}

const byTime = (a: DrillMoment, b: DrillMoment): number => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)

/** The first (or last) moment of a kind among candidates: ties go to the smaller ref, so the result does not depend on input order. */
function extreme(candidates: readonly { at: string, ref: string }[], last = false): { at: string, ref: string } | undefined {
  let best: { at: string, ref: string } | undefined
  for (const c of candidates) {
    const t = Date.parse(c.at)
    const b = best ? Date.parse(best.at) : Number.NaN
    if (!best || (last ? t > b : t < b) || (t === b && c.ref < best.ref))
      best = c
  }
  return best
}

/**
 * The after-action summary of a drill at `asOf` (simulated time): its alerts
 * raised and how soon each was acknowledged, its orders' step times per step
 * and per role, what is still open or overdue, and the key moments. Pure.
 */
export function drillSummary(records: DrillRecords, asOf: number): DrillSummary {
  const { drill, alerts, alertEvents, orders, orderEvents, rolesOf } = records
  const eventsOf = new Map<string, WorkOrderEvent[]>()
  for (const e of orderEvents) {
    const list = eventsOf.get(e.orderId)
    if (list)
      list.push(e)
    else
      eventsOf.set(e.orderId, [e])
  }
  for (const list of eventsOf.values())
    list.sort((a, b) => a.seq - b.seq)

  const acks = new Map<string, AlertEvent>()
  for (const e of alertEvents) {
    const held = acks.get(e.alertId)
    if (e.type === 'acknowledged' && (!held || e.at < held.at))
      acks.set(e.alertId, e)
  }
  const alertItems = [...alerts].sort((a, b) => (a.raisedAt < b.raisedAt ? -1 : a.raisedAt > b.raisedAt ? 1 : a.id < b.id ? -1 : 1)).map((a) => {
    const ack = acks.get(a.id)
    const acknowledgedAt = ack?.at ?? a.acknowledgedAt
    const acknowledgedBy = ack?.by ?? a.acknowledgedBy
    return { alertId: a.id, title: a.title, raisedAt: a.raisedAt, acknowledgedAt, acknowledgedBy, ackMin: acknowledgedAt ? Math.round(minutesBetween(a.raisedAt, acknowledgedAt) * 10) / 10 : null }
  })
  const acked = alertItems.filter(a => a.ackMin !== null)
  const ackByRole = new Map<DrillActorRole, number[]>()
  for (const a of acked) {
    const role = actorRole(a.acknowledgedBy ?? 'system', 'ack', rolesOf)
    ackByRole.set(role, [...(ackByRole.get(role) ?? []), minutesBetween(a.raisedAt, a.acknowledgedAt!)])
  }

  const samples = orders.flatMap(o => orderSamples(o, eventsOf.get(o.id) ?? [], rolesOf))
  const steps = DRILL_STEPS.map(step => ({ step, stats: durationStats(samples.filter(s => s.step === step).map(s => s.minutes)) }))
  const byRole: DrillSummary['orders']['byRole'] = []
  for (const step of DRILL_STEPS) {
    const roles = [...new Set(samples.filter(s => s.step === step).map(s => s.role))].sort()
    for (const role of roles)
      byRole.push({ step, role, stats: durationStats(samples.filter(s => s.step === step && s.role === role).map(s => s.minutes)) })
  }
  const open = orders.filter(o => !isTerminal(o.state))
  const overdue = open.filter((o) => {
    const running = runningDeadline(o)
    return running !== null && asOf >= Date.parse(running.dueAt)
  })

  const timeline: DrillMoment[] = [{ at: drill.startedAt, kind: 'drill-start', ref: null }]
  if (drill.endedAt)
    timeline.push({ at: drill.endedAt, kind: 'drill-end', ref: null })
  const moment = (kind: DrillMoment['kind'], candidates: readonly { at: string, ref: string }[], last = false): void => {
    const found = extreme(candidates, last)
    if (found)
      timeline.push({ at: found.at, kind, ref: found.ref })
  }
  const allEvents = [...eventsOf.values()].flat()
  const eventsNamed = (action: string): { at: string, ref: string }[] => allEvents.filter(e => e.action === action).map(e => ({ at: e.at, ref: e.orderId }))
  const closes = allEvents.filter(e => e.to === 'closed').map(e => ({ at: e.at, ref: e.orderId }))
  moment('first-call', orders.map(o => ({ at: o.acceptedAt, ref: o.id })))
  moment('first-alert', alerts.map(a => ({ at: a.raisedAt, ref: a.id })))
  moment('first-ack', acked.map(a => ({ at: a.acknowledgedAt!, ref: a.alertId })))
  moment('first-dispatch', eventsNamed('dispatch'))
  moment('first-sign', eventsNamed('sign'))
  moment('first-reply', eventsNamed('reply'))
  moment('first-close', closes)
  moment('last-close', closes, true)

  return {
    drillId: drill.id,
    asOf: new Date(asOf).toISOString(),
    final: drill.status === 'ended',
    alerts: {
      raised: alerts.length,
      acknowledged: acked.length,
      ack: durationStats(acked.map(a => minutesBetween(a.raisedAt, a.acknowledgedAt!))),
      byRole: [...ackByRole.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([role, minutes]) => ({ role, ack: durationStats(minutes) })),
      items: alertItems,
    },
    orders: {
      total: orders.length,
      open: open.length,
      closed: orders.filter(o => o.state === 'closed').length,
      overdue: overdue.length,
      steps,
      byRole,
    },
    timeline: timeline.sort(byTime),
  }
}
