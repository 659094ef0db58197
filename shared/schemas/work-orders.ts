import { z } from 'zod'
import { Instant, TownCode } from './common'
import { IncidentNature, IncidentTopic } from './incident-kinds'

/**
 * Work orders (issue 8): how the center handles a 12345 request, from intake
 * to close, after domain.md §3.4. One work order per incident, under the
 * incident's id. The transitions are in shared/dispatch/machine.ts, the
 * deadlines in shared/dispatch/sla.ts.
 */

/**
 * 受理 → 待签收 → 办理中 → 待回访 → 办结; 退单待审 while a return waits for
 * the center's review; 已合并 when it was a duplicate of another order.
 */
export const WORK_ORDER_STATES = ['accepted', 'dispatched', 'returned', 'in_progress', 'pending_revisit', 'closed', 'merged'] as const
export const WorkOrderState = z.enum(WORK_ORDER_STATES)
export type WorkOrderState = z.infer<typeof WorkOrderState>

/** States no command leaves. */
export const TERMINAL_STATES: readonly WorkOrderState[] = ['closed', 'merged']
export const isTerminal = (state: WorkOrderState): boolean => TERMINAL_STATES.includes(state)

/** The five-level scale of 好差评 (domain.md §3.6), best first. */
export const SATISFACTION_LEVELS = ['very_satisfied', 'satisfied', 'basic', 'unsatisfied', 'very_unsatisfied'] as const
export const Satisfaction = z.enum(SATISFACTION_LEVELS)
export type Satisfaction = z.infer<typeof Satisfaction>
/** 满意 for the satisfaction rate and for closing: the first three levels. */
export const isSatisfied = (s: Satisfaction): boolean => s === 'very_satisfied' || s === 'satisfied' || s === 'basic'

export const WorkOrderPriority = z.enum(['normal', 'urgent'])
export type WorkOrderPriority = z.infer<typeof WorkOrderPriority>

/** 0 none, 1 催办 (urged), 2 督办 (supervised), 3 通报 (publicly noted). */
export const SupervisionLevel = z.number().int().min(0).max(3)
export const MAX_SUPERVISION = 3

const Text = (max: number) => z.string().trim().min(1).max(max)
const DepartmentId = z.string().min(1).max(100)
const OrderId = z.string().min(1).max(200)
/** Who did something, as the timeline and the order keep it. */
export const WorkOrderActor = z.object({
  /** A user id; `system` for deadlines and upstream changes; `sim` for the simulated city's officers. */
  id: z.string().min(1).max(100),
  name: z.string().min(1).max(100),
  departmentId: z.string().nullable(),
})
export type WorkOrderActor = z.infer<typeof WorkOrderActor>

export const WorkOrder = z.object({
  /** The incident's id (`${source}:${ticketNo}`). */
  id: OrderId,
  state: WorkOrderState,
  /** Starts at 1; every committed command adds one. A command names the version it saw. */
  version: z.number().int().positive(),
  nature: IncidentNature,
  topic: IncidentTopic,
  townCode: TownCode.nullable(),
  priority: WorkOrderPriority,
  /** The lead department (承办单位); before dispatch, the one routing suggests. */
  departmentId: DepartmentId,
  /** Co-handling (协办) departments. */
  assistingDepartmentIds: z.array(DepartmentId).max(10),
  /** The citizen's call (受理时间): the handling deadline counts from here. */
  acceptedAt: Instant,
  dispatchedAt: Instant.nullable(),
  signedAt: Instant.nullable(),
  repliedAt: Instant.nullable(),
  closedAt: Instant.nullable(),
  /** Set at each dispatch. */
  signDueAt: Instant.nullable(),
  handleDueAt: Instant,
  /** An extension asked for and not yet reviewed. */
  extensionRequest: z.object({ workingDays: z.number().int().positive(), reason: z.string(), by: WorkOrderActor, at: Instant }).nullable(),
  extensionsGranted: z.number().int().nonnegative(),
  /** A return waiting for review, and the state it was returned from. */
  returnRequest: z.object({ reason: z.string(), from: z.enum(['dispatched', 'in_progress']), by: WorkOrderActor, at: Instant }).nullable(),
  /** 反馈: what the department did, and whether the problem is solved (解决率). A direct answer is a reply too. */
  reply: z.object({ summary: z.string(), resolved: z.boolean(), by: WorkOrderActor, at: Instant }).nullable(),
  /** 回访 */
  revisit: z.object({ satisfaction: Satisfaction, note: z.string(), by: WorkOrderActor, at: Instant }).nullable(),
  supervision: SupervisionLevel,
  returns: z.number().int().nonnegative(),
  reopens: z.number().int().nonnegative(),
  /** Set on an order merged into another. */
  mergedInto: OrderId.nullable(),
  /** Orders merged into this one. */
  mergedIds: z.array(OrderId),
  updatedAt: Instant,
  /** The drill whose call it is (issue 9): marked 演练 and left out of the real measures. */
  drillId: z.string().min(1).max(64).optional(),
})
export type WorkOrder = z.infer<typeof WorkOrder>

/** What each command needs beyond its name. */
const Fields = {
  /** 派单 */
  dispatch: { departmentId: DepartmentId, assistingDepartmentIds: z.array(DepartmentId).max(10).default([]), priority: WorkOrderPriority.optional(), note: z.string().max(1000).default('') },
  /** 直接答复: answered at intake from the knowledge base. */
  answer: { summary: Text(2000) },
  /** 签收 */
  sign: {},
  /** 退单 (申请): the department says the order is not theirs. */
  return: { reason: Text(1000) },
  /** 退单审核: 改派 to another department, or 驳回 back to the one that returned it. */
  review_return: { decision: z.enum(['redispatch', 'reject']), departmentId: DepartmentId.optional(), assistingDepartmentIds: z.array(DepartmentId).max(10).default([]), note: z.string().max(1000).default('') },
  /** 延期申请 */
  request_extension: { workingDays: z.number().int().min(1).max(30), reason: Text(1000) },
  /** 延期审批 */
  review_extension: { approve: z.boolean(), note: z.string().max(1000).default('') },
  /** 反馈: the department's reply. */
  reply: { summary: Text(2000), resolved: z.boolean() },
  /** 回访: the citizen's rating; 不满意 reopens it (重办). */
  revisit: { satisfaction: Satisfaction, note: z.string().max(1000).default('') },
  /** 督办: one level up (催办 → 督办 → 通报). */
  supervise: { note: z.string().max(1000).default('') },
  /** 合并: this order reports the same problem as another. */
  merge: { intoId: OrderId },
  /** 协办意见: an assisting department's contribution. */
  assist_note: { text: Text(2000) },
} as const

const commandOf = <A extends keyof typeof Fields>(action: A) => z.strictObject({ action: z.literal(action), ...Fields[action] })

/** A person's command, as the REST body carries it (with the envelope below). */
export const WorkOrderCommand = z.discriminatedUnion('action', [
  commandOf('dispatch'),
  commandOf('answer'),
  commandOf('sign'),
  commandOf('return'),
  commandOf('review_return'),
  commandOf('request_extension'),
  commandOf('review_extension'),
  commandOf('reply'),
  commandOf('revisit'),
  commandOf('supervise'),
  commandOf('merge'),
  commandOf('assist_note'),
])
export type WorkOrderCommand = z.infer<typeof WorkOrderCommand>
export type WorkOrderCommandInput = z.input<typeof WorkOrderCommand>
export type WorkOrderAction = WorkOrderCommand['action']
export const WorkOrderActionName = z.enum(['dispatch', 'answer', 'sign', 'return', 'review_return', 'request_extension', 'review_extension', 'reply', 'revisit', 'supervise', 'merge', 'assist_note'])
// The list above and the commands name the same actions: each type must be assignable to the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
export const ACTIONS_MATCH: Same<WorkOrderAction, z.infer<typeof WorkOrderActionName>> = true
export const WORK_ORDER_ACTIONS: readonly WorkOrderAction[] = WorkOrderActionName.options

/** What the system itself records: the order made at intake, deadlines reached, an upstream close, a duplicate merged in. */
export const SYSTEM_ACTIONS = ['create', 'sign_warning', 'sign_overdue', 'handle_warning', 'handle_overdue', 'upstream_close', 'merged_from'] as const
export type SystemAction = typeof SYSTEM_ACTIONS[number]
export type TimelineAction = WorkOrderAction | SystemAction

/**
 * POST /api/work-orders/:id/commands. `commandId` is the idempotency key: a
 * repeat (a retry after a lost answer) gets the first answer and changes
 * nothing. `expectedVersion` is the version the officer saw: a command on a
 * newer order is refused with 409 and the order as it now is.
 */
export const WorkOrderCommandRequest = z.strictObject({
  commandId: z.string().min(8).max(100).regex(/^[\w.:-]+$/),
  expectedVersion: z.number().int().positive(),
  command: WorkOrderCommand,
})
export type WorkOrderCommandRequest = z.infer<typeof WorkOrderCommandRequest>
export type WorkOrderCommandRequestInput = z.input<typeof WorkOrderCommandRequest>

/** One timeline entry: every transition and every deadline event, in order. */
export const WorkOrderEvent = z.object({
  orderId: OrderId,
  /** 1, 2, 3… per order, every entry counted (deadline warnings too, which leave the version as it was). */
  seq: z.number().int().positive(),
  at: Instant,
  action: z.string(),
  actor: WorkOrderActor,
  /** The lead department when it happened: returns and revisits count for it. */
  departmentId: z.string(),
  from: WorkOrderState.nullable(),
  to: WorkOrderState,
  /** The command's fields, or what the system recorded (the deadline reached). */
  detail: z.record(z.string(), z.unknown()),
})
export type WorkOrderEvent = z.infer<typeof WorkOrderEvent>

/** The answer to a command: the order after it and its timeline entry; `replayed` when it repeats an earlier command. */
export const WorkOrderCommandAnswer = z.object({ order: WorkOrder, event: WorkOrderEvent, replayed: z.boolean() })
export type WorkOrderCommandAnswer = z.infer<typeof WorkOrderCommandAnswer>

/** 409: someone acted first. */
export const WorkOrderConflict = z.object({ error: z.literal('conflict'), message: z.string(), order: WorkOrder })
export type WorkOrderConflict = z.infer<typeof WorkOrderConflict>

/** GET /api/work-orders: the queue. `due` filters by the nearest deadline. */
export const WorkOrderListQuery = z.object({
  state: z.union([WorkOrderState, z.array(WorkOrderState)]).optional().transform(s => (s === undefined ? undefined : Array.isArray(s) ? s : [s])),
  topic: IncidentTopic.optional(),
  nature: IncidentNature.optional(),
  townCode: TownCode.optional(),
  departmentId: DepartmentId.optional(),
  /** overdue: past a deadline; soon: past 80 % of one; ok: neither. */
  due: z.enum(['overdue', 'soon', 'ok']).optional(),
  supervised: z.coerce.boolean().optional(),
  q: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
})
export type WorkOrderListQuery = z.infer<typeof WorkOrderListQuery>

/** Where routing would send an order, and why (category, town): the duty officer confirms or overrides it. */
export const RoutingSuggestion = z.object({
  departmentId: DepartmentId,
  priority: WorkOrderPriority,
  /** Chinese, one line each. */
  reasons: z.array(z.string()),
})
export type RoutingSuggestion = z.infer<typeof RoutingSuggestion>

/** POST /api/work-orders/commands: several commands at once (bulk dispatch), each answered on its own. */
export const WorkOrderBatchRequest = z.strictObject({
  items: z.array(WorkOrderCommandRequest.extend({ orderId: OrderId })).min(1).max(200),
})
export type WorkOrderBatchRequest = z.infer<typeof WorkOrderBatchRequest>
export type WorkOrderBatchRequestInput = z.input<typeof WorkOrderBatchRequest>

export const WorkOrderBatchAnswer = z.object({
  results: z.array(z.discriminatedUnion('outcome', [
    z.object({ orderId: OrderId, outcome: z.literal('ok'), answer: WorkOrderCommandAnswer }),
    z.object({ orderId: OrderId, outcome: z.literal('conflict'), message: z.string(), order: WorkOrder }),
    z.object({ orderId: OrderId, outcome: z.literal('refused'), status: z.number().int(), message: z.string() }),
  ])),
})
export type WorkOrderBatchAnswer = z.infer<typeof WorkOrderBatchAnswer>

/** Counts of one department (or the city) over a period; rates are derived from them by the reader. */
export const DispatchCounts = z.object({
  /** Dispatched in the period. */
  dispatched: z.number().int().nonnegative(),
  /** …of those, signed; signed by the sign deadline. */
  signed: z.number().int().nonnegative(),
  signedOnTime: z.number().int().nonnegative(),
  /** Closed in the period (direct answers included); by the handling deadline. */
  closed: z.number().int().nonnegative(),
  closedOnTime: z.number().int().nonnegative(),
  /** Closed with the problem solved (解决率 = resolved / closed; Dongguan's target ≥ 92 %). */
  resolved: z.number().int().nonnegative(),
  /** Revisits in the period, and those rated 满意 or better (satisfied, basic included). */
  revisited: z.number().int().nonnegative(),
  satisfied: z.number().int().nonnegative(),
  /** Returns asked for and reopens (重办) in the period. */
  returned: z.number().int().nonnegative(),
  reopened: z.number().int().nonnegative(),
  /** Open now and past a deadline (超期工单数). */
  overdueOpen: z.number().int().nonnegative(),
})
export type DispatchCounts = z.infer<typeof DispatchCounts>

/** GET /api/dispatch/kpis?from&to (default: the last 7 days of the server's clock). */
export const DispatchKpiQuery = z.object({ from: Instant.optional(), to: Instant.optional() })
export const DispatchKpis = z.object({
  from: Instant,
  to: Instant,
  city: DispatchCounts,
  departments: z.array(DispatchCounts.extend({ departmentId: DepartmentId })),
})
export type DispatchKpis = z.infer<typeof DispatchKpis>

/** Rate of `part` in `whole`, or null when there is nothing to rate. */
export const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null)
