/**
 * Test support for the work-order machine suites: a small city of four
 * departments, the people who act on an order, valid commands for each
 * action, and orders driven into each state through the machine itself.
 */
import { WorkingCalendar } from '@shared/calendar/working-days'
import type { WorkOrder, WorkOrderAction, WorkOrderActor, WorkOrderCommand, WorkOrderCommandInput } from '@shared/schemas/work-orders'
import { WorkOrderCommand as CommandSchema } from '@shared/schemas/work-orders'
import type { MachineContext, Outcome } from './machine'
import { applyCommand, newWorkOrder } from './machine'
import { DEFAULT_SLA_POLICY } from './sla'

export const calendar = new WorkingCalendar()
export const policy = DEFAULT_SLA_POLICY

/** Four departments: a lead, up to two assisting, and always one more that has nothing to do with the order. */
export const DEPARTMENTS = ['urban', 'env', 'transport', 'market'] as const
export const UNKNOWN_DEPARTMENT = 'nowhere'
export const departments: ReadonlySet<string> = new Set(DEPARTMENTS)

/** Who acts, relative to an order: the duty officer, its lead department, an assisting one, another one, an operator without rights. */
export const ROLES = ['duty', 'lead', 'assisting', 'other', 'operator'] as const
export type Role = typeof ROLES[number]

export interface Person { actor: WorkOrderActor, may: MachineContext['may'] }

const DUTY: Person = { actor: { id: 'u-duty', name: '值班长', departmentId: null }, may: { dispatch: true, handle: false } }
const OPERATOR: Person = { actor: { id: 'u-op', name: '话务员', departmentId: null }, may: { dispatch: false, handle: false } }
export const handlerOf = (departmentId: string): Person =>
  ({ actor: { id: `u-${departmentId}`, name: `${departmentId} 承办人`, departmentId }, may: { dispatch: false, handle: true } })

/** The person in `role` for this order (assisting falls back to a non-lead department when there is none). */
export function personFor(role: Role, order: WorkOrder): Person {
  const free = DEPARTMENTS.filter(d => d !== order.departmentId && !order.assistingDepartmentIds.includes(d))
  switch (role) {
    case 'duty': return DUTY
    case 'operator': return OPERATOR
    case 'lead': return handlerOf(order.departmentId)
    case 'assisting': return handlerOf(order.assistingDepartmentIds[0] ?? free[0]!)
    case 'other': return handlerOf(free[free.length - 1]!)
  }
}

export const contextFor = (person: Person, now: string): MachineContext => ({ ...person, now, calendar, policy, departments })

/** A command as the REST layer hands it over: parsed, with its defaults filled in. */
export const command = (input: WorkOrderCommandInput): WorkOrderCommand => CommandSchema.parse(input)

/** Fields with which each action succeeds whenever it is offered. */
export function validCommand(action: WorkOrderAction, order: WorkOrder): WorkOrderCommand {
  const another = DEPARTMENTS.find(d => d !== order.departmentId)!
  switch (action) {
    case 'dispatch': return command({ action, departmentId: order.departmentId })
    case 'answer': return command({ action, summary: '已按知识库答复' })
    case 'sign': return command({ action })
    case 'return': return command({ action, reason: '不属本部门职责' })
    case 'review_return': return command({ action, decision: 'redispatch', departmentId: another })
    case 'request_extension': return command({ action, workingDays: 5, reason: '需现场勘查' })
    case 'review_extension': return command({ action, approve: true })
    case 'reply': return command({ action, summary: '已现场处理', resolved: true })
    case 'revisit': return command({ action, satisfaction: 'satisfied' })
    case 'supervise': return command({ action })
    case 'merge': return command({ action, intoId: 'hotline:other' })
    case 'assist_note': return command({ action, text: '已配合执法' })
  }
}

export const T0 = '2026-09-18T01:00:00.000Z'
const MINUTE_MS = 60_000
/** Minutes after T0 (Fri 09-18 09:00 in China), as an instant. */
export const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * MINUTE_MS).toISOString()

export const ORDER_ID = 'hotline:2026091800001'

export function freshOrder(overrides: Partial<Pick<WorkOrder, 'nature' | 'priority' | 'departmentId'>> = {}): WorkOrder {
  return newWorkOrder({ id: ORDER_ID, nature: 'complaint', topic: 'environment', townCode: '441900003', acceptedAt: T0, departmentId: 'env', priority: 'normal', ...overrides }, policy, calendar, T0)
}

/** Applies a command that must succeed (a fixture step), or throws with the refusal. */
export function must(order: WorkOrder, role: Role, input: WorkOrderCommandInput, now: string): WorkOrder {
  const outcome: Outcome = applyCommand(order, command(input), contextFor(personFor(role, order), now))
  if (!outcome.ok)
    throw new Error(`fixture step ${input.action} by ${role} refused: ${outcome.message}`)
  return outcome.order
}

/** Orders in each situation worth testing, each reached through the machine. */
export function fixtures(): Record<string, WorkOrder> {
  const accepted = freshOrder()
  const dispatched = must(accepted, 'duty', { action: 'dispatch', departmentId: 'env', assistingDepartmentIds: ['urban'] }, at(10))
  const inProgress = must(dispatched, 'lead', { action: 'sign' }, at(20))
  const extensionAsked = must(inProgress, 'lead', { action: 'request_extension', workingDays: 3, reason: '需协调' }, at(30))
  const extended = must(extensionAsked, 'duty', { action: 'review_extension', approve: true }, at(40))
  const returnedUnsigned = must(dispatched, 'lead', { action: 'return', reason: '不属本部门' }, at(20))
  const returnedSigned = must(inProgress, 'lead', { action: 'return', reason: '不属本部门' }, at(30))
  const pendingRevisit = must(inProgress, 'lead', { action: 'reply', summary: '已处理', resolved: true }, at(60))
  const reopened = must(pendingRevisit, 'duty', { action: 'revisit', satisfaction: 'unsatisfied' }, at(70))
  const closed = must(pendingRevisit, 'duty', { action: 'revisit', satisfaction: 'very_satisfied' }, at(70))
  const answered = must(accepted, 'duty', { action: 'answer', summary: '按知识库答复' }, at(5))
  const merged = must(dispatched, 'duty', { action: 'merge', intoId: 'hotline:other' }, at(15))
  let publiclyNoted = inProgress
  for (let i = 0; i < 3; i++)
    publiclyNoted = must(publiclyNoted, 'duty', { action: 'supervise' }, at(30 + i))
  return { accepted, dispatched, inProgress, extensionAsked, extended, returnedUnsigned, returnedSigned, pendingRevisit, reopened, closed, answered, merged, publiclyNoted }
}
