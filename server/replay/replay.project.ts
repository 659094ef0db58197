import { withHandling } from '@shared/dispatch/handled'
import type { Alert, AlertEvent } from '@shared/schemas/alerts'
import type { Incident } from '@shared/schemas/incidents'
import type { WorkOrder, WorkOrderEvent } from '@shared/schemas/work-orders'
import { isTerminal, MAX_SUPERVISION } from '@shared/schemas/work-orders'
import type { ReplayIncidentVersion } from './replay.reader'

/**
 * What an incident or an alert looked like at an instant of the past, from
 * its current document and its durable events. Pure: the replay's frames are
 * these projections at each instant something happened.
 */

const atOrBefore = (instant: string, t: number): boolean => Date.parse(instant) <= t
const lastOf = (events: readonly WorkOrderEvent[], match: (e: WorkOrderEvent) => boolean): WorkOrderEvent | undefined =>
  events.findLast(match)
const kept = <T extends { at: string } | null>(part: T, t: number): T | null => (part && atOrBefore(part.at, t) ? part : null)

/**
 * The order as its timeline up to `t` leaves it. The timeline names each
 * state and when it was entered; what it does not keep (an extension or
 * return request under review, the deadlines an extension moved) is taken
 * from the order as it is now when it was made by `t`.
 */
export function orderAt(now: WorkOrder, events: readonly WorkOrderEvent[], t: number): WorkOrder | undefined {
  const past = events.filter(e => atOrBefore(e.at, t))
  const last = past.at(-1)
  if (!last)
    return undefined
  const entered = (state: WorkOrder['state']): string | null => lastOf(past, e => e.to === state && e.from !== state)?.at ?? null
  const count = (action: string, match: (e: WorkOrderEvent) => boolean = () => true): number => past.filter(e => e.action === action && match(e)).length
  return {
    ...now,
    state: last.to,
    // The timeline's own counter: it grows with every entry, so a later projection is never "older" (shared/dispatch/handled.ts).
    version: last.seq,
    departmentId: last.departmentId,
    dispatchedAt: entered('dispatched'),
    signedAt: lastOf(past, e => e.action === 'sign')?.at ?? null,
    repliedAt: lastOf(past, e => e.action === 'reply' || e.action === 'answer')?.at ?? null,
    closedAt: isTerminal(last.to) ? (lastOf(past, e => isTerminal(e.to) && e.from !== e.to)?.at ?? last.at) : null,
    extensionRequest: last.to === now.state ? kept(now.extensionRequest, t) : null,
    returnRequest: last.to === now.state ? kept(now.returnRequest, t) : null,
    reply: kept(now.reply, t),
    revisit: kept(now.revisit, t),
    supervision: Math.min(MAX_SUPERVISION, count('supervise')),
    returns: count('return'),
    reopens: count('revisit', e => e.to !== 'closed'),
    mergedInto: last.to === 'merged' ? now.mergedInto : null,
    updatedAt: last.at,
  }
}

/**
 * The incident at `t`: its newest version by then, with its order as of
 * then; undefined before its first version. A version counts from its own
 * time (the upstream's last change), not from when it reached the server:
 * that is the clock the telemetry's observation times and the KPIs run on,
 * where a simulation's clock runs ahead of the server's own, and upstream
 * versions reach us within moments anyway. `versions` and `events` are this
 * incident's.
 */
export function incidentAt(now: Incident, versions: readonly ReplayIncidentVersion[], events: readonly WorkOrderEvent[], t: number): Incident | undefined {
  let newest: ReplayIncidentVersion | undefined
  let newestAt = Number.NEGATIVE_INFINITY
  for (const v of versions) {
    const at = Date.parse(v.version)
    if (at <= t && at > newestAt) {
      newest = v
      newestAt = at
    }
  }
  if (!newest)
    return undefined
  const { handling, ...current } = now
  const report = newest.report
  const incident: Incident = {
    ...current,
    ...report,
    // Derived when it first arrived, and the same for every version.
    townCode: current.townCode,
    status: report.status,
    updatedAt: newest.receivedAt,
  }
  return withHandling(incident, handling ? orderAt(handling, events, t) : undefined)
}

/** The alert at `t` from its events up to then; undefined before it was raised. */
export function alertAt(now: Alert, events: readonly AlertEvent[], t: number): Alert | undefined {
  if (!atOrBefore(now.raisedAt, t))
    return undefined
  const alert: Alert = { ...now, status: 'firing', updatedAt: now.raisedAt, acknowledgedBy: null, acknowledgedAt: null, resolvedAt: null, escalationLevel: 0, workOrderId: null }
  for (const e of events) {
    if (!atOrBefore(e.at, t))
      continue
    if (e.at > alert.updatedAt)
      alert.updatedAt = e.at
    switch (e.type) {
      case 'acknowledged':
        alert.acknowledgedBy = e.by
        alert.acknowledgedAt = e.at
        if (alert.status === 'firing')
          alert.status = 'acknowledged'
        break
      case 'escalated':
        alert.escalationLevel = 1
        break
      case 'resolved':
        alert.status = 'resolved'
        alert.resolvedAt = e.at
        break
      case 'work-order':
        alert.workOrderId = e.detail ?? now.workOrderId
        break
      case 'raised':
      case 'flapping':
      case 'steady':
        break
    }
  }
  return alert
}
