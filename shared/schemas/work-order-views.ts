import { z } from 'zod'
import { Instant } from './common'
import { Incident } from './incidents'
import { RoutingSuggestion, WorkOrder, WorkOrderActionName, WorkOrderEvent, WorkOrderState } from './work-orders'

/**
 * What the dispatch screens read (apart from work-orders.ts, which
 * incidents.ts imports: these name incidents themselves).
 */

/** An incident with its work order: what the queue lists. */
export const HandledIncident = Incident.extend({ handling: WorkOrder })
export type HandledIncident = z.infer<typeof HandledIncident>

/** GET /api/work-orders: newest call first; `now` is the server's clock, which due times are judged by. */
export const WorkOrderList = z.object({
  items: z.array(HandledIncident),
  /** Matching orders, beyond the limit too. */
  total: z.number().int().nonnegative(),
  /** Matching orders per state (the queue's tabs), before the state filter. */
  byState: z.partialRecord(WorkOrderState, z.number().int().nonnegative()),
  now: Instant,
})
export type WorkOrderList = z.infer<typeof WorkOrderList>

/** GET /api/work-orders/:id */
export const WorkOrderDetail = z.object({
  incident: HandledIncident,
  timeline: z.array(WorkOrderEvent),
  /** Where routing would send it, and why. */
  suggestion: RoutingSuggestion,
  /** Open orders of the same topic near it (1 km, or its town when it has no location), nearest first. */
  similar: z.array(HandledIncident.extend({ distanceM: z.number().nonnegative().nullable() })),
  /** The commands the asking user could give now. */
  actions: z.array(WorkOrderActionName),
  now: Instant,
})
export type WorkOrderDetail = z.infer<typeof WorkOrderDetail>
