import type { Incident } from '../schemas/incidents'
import type { WorkOrder } from '../schemas/work-orders'
import { isTerminal } from '../schemas/work-orders'

/**
 * An incident changes two ways: upstream sends a newer report (its
 * `version`), and the center handles its work order (the order's
 * `version`). These helpers keep the two apart, so that neither a late
 * report nor a late order replaces a newer one of the other.
 */

/**
 * The incident with its order: open until the order is closed (or merged),
 * whatever upstream says meanwhile (an upstream close closes the order
 * itself), with the order's department and deadline.
 */
export function withHandling(incident: Incident, order: WorkOrder | undefined): Incident {
  if (!order)
    return incident
  return { ...incident, handling: order, status: isTerminal(order.state) ? 'closed' : 'open', departmentId: order.departmentId, dueAt: order.handleDueAt }
}

/** The newer of two orders of one incident (either may be missing). */
export function newerOrder(a: WorkOrder | undefined, b: WorkOrder | undefined): WorkOrder | undefined {
  if (!a)
    return b
  if (!b)
    return a
  return b.version > a.version ? b : a
}

/**
 * What to hold after `incoming` arrives where `held` was: the newer report
 * with the newer order. `held` itself when `incoming` adds nothing.
 */
export function mergeIncident(held: Incident | undefined, incoming: Incident): Incident {
  if (!held)
    return incoming
  const report = incoming.version > held.version ? incoming : held
  const order = newerOrder(held.handling, incoming.handling)
  if (report === held && order === held.handling)
    return held
  return withHandling(report, order)
}

/** Whether `incoming` is at least as new as `held` in both its report and its order (what a mirror of published incidents takes). */
export function isNotOlder(held: Incident, incoming: Incident): boolean {
  return held.version <= incoming.version && (held.handling?.version ?? 0) <= (incoming.handling?.version ?? 0)
}
