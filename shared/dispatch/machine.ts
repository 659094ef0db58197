import type { WorkingCalendar } from '../calendar/working-days'
import type { IncidentNature } from '../schemas/incident-kinds'
import type { SystemAction, WorkOrder, WorkOrderAction, WorkOrderActor, WorkOrderCommand, WorkOrderEvent, WorkOrderPriority, WorkOrderState } from '../schemas/work-orders'
import { isSatisfied, isTerminal, MAX_SUPERVISION } from '../schemas/work-orders'
import type { SlaMark, SlaPolicy } from './sla'
import { endOfWorkingDay, extendedDueAt, handleDueAt, signDueAt } from './sla'

/**
 * The work-order cycle of domain.md §3.4 as one pure function: an order and
 * a command in, the order after it and its timeline entry out, or the
 * reason it cannot be done. The server runs it inside the transaction that
 * stores the result; the screens run `availableActions` to offer only what
 * would succeed.
 */

export interface MachineContext {
  actor: WorkOrderActor
  /** What the actor's roles allow (policy actions workorders.dispatch and workorders.handle). */
  may: { dispatch: boolean, handle: boolean }
  now: string
  calendar: WorkingCalendar
  policy: SlaPolicy
  /** Department ids an order may be sent to. */
  departments: ReadonlySet<string>
}

export type Refusal = { ok: false, code: 'state' | 'forbidden' | 'invalid', message: string }
/** A transition: the order after it and what the timeline records (seq is the store's). */
export type Transition = { ok: true, order: WorkOrder, event: Omit<WorkOrderEvent, 'seq'> }
export type Outcome = Transition | Refusal

/** Who does each command: the center (值班长) or the department the order is with. */
const CENTER_ACTIONS: ReadonlySet<WorkOrderAction> = new Set(['dispatch', 'answer', 'review_return', 'review_extension', 'revisit', 'supervise', 'merge'])

/** The states each command starts from. */
const FROM: Readonly<Record<WorkOrderAction, readonly WorkOrderState[]>> = {
  dispatch: ['accepted'],
  answer: ['accepted'],
  sign: ['dispatched'],
  return: ['dispatched', 'in_progress'],
  review_return: ['returned'],
  request_extension: ['in_progress'],
  review_extension: ['in_progress'],
  reply: ['in_progress'],
  revisit: ['pending_revisit'],
  supervise: ['dispatched', 'returned', 'in_progress', 'pending_revisit'],
  merge: ['accepted', 'dispatched'],
  assist_note: ['in_progress'],
}

const refuse = (code: Refusal['code'], message: string): Refusal => ({ ok: false, code, message })

/** Why the actor may not give this command at all (role or department), or null. */
function forbidden(order: WorkOrder, action: WorkOrderAction, ctx: Pick<MachineContext, 'actor' | 'may'>): string | null {
  if (CENTER_ACTIONS.has(action))
    return ctx.may.dispatch ? null : '只有值班长可以执行此操作 (needs workorders.dispatch)'
  if (!ctx.may.handle)
    return '只有承办部门可以执行此操作 (needs workorders.handle)'
  if (action === 'assist_note')
    return ctx.actor.departmentId !== null && order.assistingDepartmentIds.includes(ctx.actor.departmentId) ? null : '只有协办部门可以填写协办意见'
  return ctx.actor.departmentId === order.departmentId ? null : '工单不在本部门'
}

/** Why the order's state (or what is pending on it) rules the command out, or null. */
function blocked(order: WorkOrder, action: WorkOrderAction, policy: SlaPolicy): string | null {
  if (!FROM[action].includes(order.state))
    return `工单状态为 ${order.state}，不能执行 ${action}`
  if (action === 'request_extension') {
    if (order.extensionRequest)
      return '已有延期申请待审批'
    if (order.extensionsGranted >= policy.maxExtensions)
      return `延期次数已达上限 (${policy.maxExtensions})`
  }
  if (action === 'review_extension' && !order.extensionRequest)
    return '没有待审批的延期申请'
  if (action === 'supervise' && order.supervision >= MAX_SUPERVISION)
    return '已是最高督办级别 (通报)'
  return null
}

/** The commands this actor could give on this order now (what a screen offers). */
export function availableActions(order: WorkOrder, ctx: Pick<MachineContext, 'actor' | 'may' | 'policy'>): WorkOrderAction[] {
  return (Object.keys(FROM) as WorkOrderAction[]).filter(a => forbidden(order, a, ctx) === null && blocked(order, a, ctx.policy) === null)
}

function checkDepartments(ctx: MachineContext, lead: string, assisting: readonly string[]): string | null {
  for (const id of [lead, ...assisting]) {
    if (!ctx.departments.has(id))
      return `未知部门 ${id}`
  }
  if (assisting.includes(lead))
    return '主办部门不能同时为协办部门'
  if (new Set(assisting).size !== assisting.length)
    return '协办部门重复'
  return null
}

/** A command's fields as the timeline keeps them. */
function detailOf(command: WorkOrderCommand): Record<string, unknown> {
  const { action: _action, ...fields } = command
  return fields
}

/**
 * Applies one person's command. The version rises by one; `updatedAt` is
 * the context's now. Nothing here reads a clock or the store.
 */
export function applyCommand(order: WorkOrder, command: WorkOrderCommand, ctx: MachineContext): Outcome {
  const action = command.action
  const why = forbidden(order, action, ctx)
  if (why)
    return refuse('forbidden', why)
  const state = blocked(order, action, ctx.policy)
  if (state)
    return refuse('state', state)
  const now = ctx.now
  const next: WorkOrder = { ...order, version: order.version + 1, updatedAt: now }

  switch (command.action) {
    case 'dispatch': {
      const bad = checkDepartments(ctx, command.departmentId, command.assistingDepartmentIds)
      if (bad)
        return refuse('invalid', bad)
      const priority: WorkOrderPriority = command.priority ?? order.priority
      Object.assign(next, {
        state: 'dispatched',
        departmentId: command.departmentId,
        assistingDepartmentIds: command.assistingDepartmentIds,
        priority,
        dispatchedAt: now,
        signedAt: null,
        signDueAt: signDueAt(now, priority, ctx.policy, ctx.calendar),
        // A change of priority changes the handling limit (urgent: hours from the call).
        handleDueAt: priority === order.priority ? order.handleDueAt : handleDueAt(order.acceptedAt, order.nature, priority, ctx.policy, ctx.calendar),
      })
      break
    }
    case 'answer':
      Object.assign(next, { state: 'closed', reply: { summary: command.summary, resolved: true, by: ctx.actor, at: now }, repliedAt: now, closedAt: now })
      break
    case 'sign':
      Object.assign(next, { state: 'in_progress', signedAt: now })
      break
    case 'return':
      Object.assign(next, {
        state: 'returned',
        returns: order.returns + 1,
        returnRequest: { reason: command.reason, from: order.state as 'dispatched' | 'in_progress', by: ctx.actor, at: now },
        extensionRequest: null,
      })
      break
    case 'review_return': {
      const from = order.returnRequest?.from ?? 'dispatched'
      if (command.decision === 'reject') {
        Object.assign(next, { state: from, returnRequest: null })
        break
      }
      if (!command.departmentId)
        return refuse('invalid', '改派需要指定新的承办部门')
      if (command.departmentId === order.departmentId)
        return refuse('invalid', '改派需要指定另一个部门')
      const bad = checkDepartments(ctx, command.departmentId, command.assistingDepartmentIds)
      if (bad)
        return refuse('invalid', bad)
      Object.assign(next, {
        state: 'dispatched',
        departmentId: command.departmentId,
        assistingDepartmentIds: command.assistingDepartmentIds,
        returnRequest: null,
        dispatchedAt: now,
        signedAt: null,
        signDueAt: signDueAt(now, order.priority, ctx.policy, ctx.calendar),
      })
      break
    }
    case 'request_extension':
      if (command.workingDays > ctx.policy.maxExtensionWorkingDays)
        return refuse('invalid', `延期最多 ${ctx.policy.maxExtensionWorkingDays} 个工作日`)
      next.extensionRequest = { workingDays: command.workingDays, reason: command.reason, by: ctx.actor, at: now }
      break
    case 'review_extension': {
      const request = order.extensionRequest!
      next.extensionRequest = null
      if (command.approve) {
        next.handleDueAt = extendedDueAt(order.handleDueAt, request.workingDays, ctx.calendar)
        next.extensionsGranted = order.extensionsGranted + 1
      }
      break
    }
    case 'reply':
      Object.assign(next, { state: 'pending_revisit', reply: { summary: command.summary, resolved: command.resolved, by: ctx.actor, at: now }, repliedAt: now, extensionRequest: null })
      break
    case 'revisit': {
      const revisit = { satisfaction: command.satisfaction, note: command.note, by: ctx.actor, at: now }
      if (isSatisfied(command.satisfaction)) {
        Object.assign(next, { state: 'closed', revisit, closedAt: now })
        break
      }
      // 重办: back to the same department.
      Object.assign(next, {
        state: 'in_progress',
        revisit,
        reopens: order.reopens + 1,
        reply: null,
        repliedAt: null,
        // Fresh time to handle it again, never less than what was left.
        handleDueAt: [order.handleDueAt, endOfWorkingDay(now, ctx.policy.reopenWorkingDays, ctx.calendar)].sort().at(-1)!,
      })
      break
    }
    case 'supervise':
      next.supervision = order.supervision + 1
      break
    case 'merge':
      if (command.intoId === order.id)
        return refuse('invalid', '不能合并到自身')
      Object.assign(next, { state: 'merged', mergedInto: command.intoId, closedAt: now })
      break
    case 'assist_note':
      break
  }
  return { ok: true, order: next, event: { orderId: order.id, at: now, action, actor: ctx.actor, departmentId: order.departmentId, from: order.state, to: next.state, detail: detailOf(command) } }
}

/** The order a duplicate was merged into: it lists the duplicate; its state does not change. */
export function absorbDuplicate(target: WorkOrder, duplicateId: string, actor: WorkOrderActor, now: string): Outcome {
  if (isTerminal(target.state))
    return refuse('state', `目标工单 ${target.id} 已${target.state === 'closed' ? '办结' : '合并'}，不能再合并`)
  if (target.mergedIds.includes(duplicateId))
    return refuse('invalid', `${duplicateId} 已合并到 ${target.id}`)
  const order: WorkOrder = { ...target, version: target.version + 1, updatedAt: now, mergedIds: [...target.mergedIds, duplicateId] }
  return { ok: true, order, event: { orderId: target.id, at: now, action: 'merged_from' satisfies SystemAction, actor, departmentId: target.departmentId, from: target.state, to: target.state, detail: { duplicateId } } }
}

export const SYSTEM_ACTOR: WorkOrderActor = { id: 'system', name: '系统', departmentId: null }

/**
 * A deadline reached: warnings only write the timeline; an overdue sign is
 * urged (催办, level 1) and an overdue handling supervised (督办, level 2),
 * unless someone already went further.
 */
export function applyDeadline(order: WorkOrder, mark: SlaMark, dueAt: string, now: string): Transition {
  const level = mark === 'sign_overdue' ? 1 : mark === 'handle_overdue' ? 2 : 0
  const raises = level > order.supervision
  const next: WorkOrder = raises ? { ...order, supervision: level, version: order.version + 1, updatedAt: now } : order
  return { ok: true, order: next, event: { orderId: order.id, at: now, action: mark, actor: SYSTEM_ACTOR, departmentId: order.departmentId, from: order.state, to: order.state, detail: { dueAt, ...(raises ? { supervision: level } : {}) } } }
}

/** The upstream system closed the request (an Open311 server, say): the order closes with it. */
export function applyUpstreamClose(order: WorkOrder, upstreamVersion: string, now: string): Outcome {
  if (isTerminal(order.state))
    return refuse('state', 'already closed')
  const next: WorkOrder = { ...order, state: 'closed', closedAt: now, version: order.version + 1, updatedAt: now }
  return { ok: true, order: next, event: { orderId: order.id, at: now, action: 'upstream_close' satisfies SystemAction, actor: SYSTEM_ACTOR, departmentId: order.departmentId, from: order.state, to: 'closed', detail: { upstreamVersion } } }
}

/** The order made when a request arrives: 受理, with the department routing suggests. */
export function newWorkOrder(input: { id: string, nature: IncidentNature, topic: WorkOrder['topic'], townCode: string | null, acceptedAt: string, departmentId: string, priority: WorkOrderPriority }, policy: SlaPolicy, calendar: WorkingCalendar, now: string): WorkOrder {
  return {
    id: input.id,
    state: 'accepted',
    version: 1,
    nature: input.nature,
    topic: input.topic,
    townCode: input.townCode,
    priority: input.priority,
    departmentId: input.departmentId,
    assistingDepartmentIds: [],
    acceptedAt: input.acceptedAt,
    dispatchedAt: null,
    signedAt: null,
    repliedAt: null,
    closedAt: null,
    signDueAt: null,
    handleDueAt: handleDueAt(input.acceptedAt, input.nature, input.priority, policy, calendar),
    extensionRequest: null,
    extensionsGranted: 0,
    returnRequest: null,
    reply: null,
    revisit: null,
    supervision: 0,
    returns: 0,
    reopens: 0,
    mergedInto: null,
    mergedIds: [],
    updatedAt: now,
  }
}
