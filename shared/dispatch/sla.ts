import { z } from 'zod'
import type { WorkingCalendar } from '../calendar/working-days'
import { localDate, localMidnight } from '../calendar/working-days'
import { HANDLING_LIMIT_WORKING_DAYS, WARN_AT_SHARE } from '../incidents/deadline'
import { IncidentNature } from '../schemas/incident-kinds'
import type { WorkOrder, WorkOrderPriority } from '../schemas/work-orders'

/**
 * The deadlines of a work order (domain.md §3.2–3.4). Handling limits are
 * Guangdong's (咨询 2, 求助/建议 10, 投诉/举报 15 working days from receipt);
 * no rule states a sign deadline, so the suggested defaults are used (1
 * working day, urgent 30 min; urgent handling 24 h). Every figure can be
 * changed by the city (IOC_SLA_FILE).
 */
export const SlaPolicy = z.strictObject({
  handleWorkingDays: z.record(IncidentNature, z.number().int().min(1).max(60)).default({ ...HANDLING_LIMIT_WORKING_DAYS }),
  signWorkingDays: z.number().int().min(1).max(10).default(1),
  urgentSignMinutes: z.number().int().min(5).max(24 * 60).default(30),
  urgentHandleHours: z.number().int().min(1).max(240).default(24),
  /** Extensions one order may be granted, and the longest each may be. */
  maxExtensions: z.number().int().min(0).max(5).default(1),
  maxExtensionWorkingDays: z.number().int().min(1).max(30).default(15),
  /** Handling time given again when an unsatisfied revisit reopens an order (重办). */
  reopenWorkingDays: z.number().int().min(1).max(30).default(5),
})
export type SlaPolicy = z.infer<typeof SlaPolicy>
export type SlaPolicyInput = z.input<typeof SlaPolicy>

export const DEFAULT_SLA_POLICY: SlaPolicy = SlaPolicy.parse({})

const DAY_MS = 86_400_000
const MINUTE_MS = 60_000

/**
 * The end (24:00 local, as the next local midnight) of the n-th working day
 * after the local date of `from`; that date itself does not count, so a
 * request received on a holiday has the next working day as its day 1.
 */
export function endOfWorkingDay(from: string | number, n: number, calendar: WorkingCalendar): string {
  return new Date(localMidnight(calendar.addWorkingDays(localDate(from), n)) + DAY_MS).toISOString()
}

/** When the order must be handled and replied to: from the citizen's call, by nature, or in hours when urgent. */
export function handleDueAt(acceptedAt: string, nature: IncidentNature, priority: WorkOrderPriority, policy: SlaPolicy, calendar: WorkingCalendar): string {
  if (priority === 'urgent')
    return new Date(Date.parse(acceptedAt) + policy.urgentHandleHours * 60 * MINUTE_MS).toISOString()
  return endOfWorkingDay(acceptedAt, policy.handleWorkingDays[nature], calendar)
}

/** When the department must sign for it: from each dispatch. */
export function signDueAt(dispatchedAt: string, priority: WorkOrderPriority, policy: SlaPolicy, calendar: WorkingCalendar): string {
  if (priority === 'urgent')
    return new Date(Date.parse(dispatchedAt) + policy.urgentSignMinutes * MINUTE_MS).toISOString()
  return endOfWorkingDay(dispatchedAt, policy.signWorkingDays, calendar)
}

/** An approved extension: N more working days after the day the deadline ended. */
export function extendedDueAt(dueAt: string, workingDays: number, calendar: WorkingCalendar): string {
  return endOfWorkingDay(Date.parse(dueAt) - 1, workingDays, calendar)
}

/** 80 % of the time from `start` to `due` (domain.md §3.4). */
export function warningAt(start: string, due: string): number {
  const s = Date.parse(start)
  return s + Math.round((Date.parse(due) - s) * WARN_AT_SHARE)
}

export type SlaMark = 'sign_warning' | 'sign_overdue' | 'handle_warning' | 'handle_overdue'

/** A deadline event that is due, and the deadline it is about (its idempotency key with the order and kind). */
export interface DueMark { mark: SlaMark, dueAt: string }

/** States in which the handling clock runs: dispatched and not yet replied to. */
export const HANDLING: readonly WorkOrder['state'][] = ['dispatched', 'returned', 'in_progress']

/**
 * When the handling time now running began: the call, or the latest 重办
 * (unsatisfied revisit), which gives fresh time; counted from the call, a
 * reopened order would be past 80 % and warned of at once.
 */
function handlingStart(order: WorkOrder): string {
  return order.reopens > 0 && order.revisit ? order.revisit.at : order.acceptedAt
}

/**
 * The deadline events an order has reached by `now`. Each is fired once per
 * order, kind and deadline (the store keeps the key), so a deadline moved
 * by an extension or a new dispatch warns again.
 */
export function dueMarks(order: WorkOrder, now: number): DueMark[] {
  const marks: DueMark[] = []
  if (order.state === 'dispatched' && order.signDueAt && order.dispatchedAt) {
    if (now >= Date.parse(order.signDueAt))
      marks.push({ mark: 'sign_overdue', dueAt: order.signDueAt })
    else if (now >= warningAt(order.dispatchedAt, order.signDueAt))
      marks.push({ mark: 'sign_warning', dueAt: order.signDueAt })
  }
  if (HANDLING.includes(order.state)) {
    if (now >= Date.parse(order.handleDueAt))
      marks.push({ mark: 'handle_overdue', dueAt: order.handleDueAt })
    else if (now >= warningAt(handlingStart(order), order.handleDueAt))
      marks.push({ mark: 'handle_warning', dueAt: order.handleDueAt })
  }
  return marks
}

/** The nearest deadline still running: the sign deadline while unsigned, else the handling one; null once replied to or closed. */
export function runningDeadline(order: WorkOrder): { kind: 'sign' | 'handle', start: string, dueAt: string } | null {
  if (order.state === 'dispatched' && order.signDueAt && order.dispatchedAt && order.signDueAt < order.handleDueAt)
    return { kind: 'sign', start: order.dispatchedAt, dueAt: order.signDueAt }
  if (order.state === 'accepted' || HANDLING.includes(order.state))
    return { kind: 'handle', start: handlingStart(order), dueAt: order.handleDueAt }
  return null
}

/** overdue: past its running deadline; soon: past 80 % of it; ok otherwise (and when none runs). */
export function dueStatus(order: WorkOrder, now: number): 'overdue' | 'soon' | 'ok' {
  const running = runningDeadline(order)
  if (!running)
    return 'ok'
  if (now >= Date.parse(running.dueAt))
    return 'overdue'
  return now >= warningAt(running.start, running.dueAt) ? 'soon' : 'ok'
}
