import type { IncidentNature } from '@shared/schemas/incidents'
import type { Random } from '../random'
import { DAY_MS, HOUR_MS, isoSecond, MINUTE_MS } from './china-time'
import type { SimReport } from './incident-calls'
import type { WorkingHours } from './working-hours'
import { WORK_DAY_MS, WORK_START_MIN } from './working-hours'

/** How an order ends: answered on the call, handled by a department in time, or handled after its deadline. */
export type ClosureKind = 'direct' | 'handled' | 'overdue'

export interface ClosurePlan {
  /** When upstream reports the order closed (epoch ms): the closed version. */
  at: number
  kind: ClosureKind
}

/** What the planner needs of a filed order. */
export interface FiledOrder {
  nature: IncidentNature
  urgent: boolean
  /** When the call came in: the deadline counts from its local date. */
  reportedAt: number
  /** The first version's time: every closure comes after it. */
  filedAt: number
}

/** 直接答复: the share of 咨询 the operator answers at once, closed a few minutes after filing. */
export const DIRECT_ANSWER_SHARE = 0.6
const DIRECT_ANSWER_MIN = { min: 2, max: 15 }

/**
 * Department handling time in working days of office time (log-normal:
 * median and sigma), and the share closed after the deadline. Most orders
 * close well within the 2/10/15-working-day limits; Dongguan's ≥ 92 %
 * resolution target leaves a few percent late.
 */
interface Handling { medianWd: number, sigma: number, overdueShare: number }
export const HANDLING: Readonly<Record<IncidentNature, Handling>> = {
  consult: { medianWd: 0.45, sigma: 0.8, overdueShare: 0.08 },
  help: { medianWd: 2.5, sigma: 0.5, overdueShare: 0.06 },
  suggestion: { medianWd: 4, sigma: 0.5, overdueShare: 0.07 },
  complaint: { medianWd: 5.5, sigma: 0.45, overdueShare: 0.08 },
  report: { medianWd: 6, sigma: 0.45, overdueShare: 0.08 },
}
/** A department needs at least this long to look at an order. */
const MIN_HANDLING_WD = 0.05
/** Urgent orders are handled on call, nights and weekends too: a result within about a day (domain.md §3.3). */
const URGENT = { medianH: 8, sigma: 0.7, minH: 0.5, overdueFactor: 0.4 }
/** How far past the deadline a late order closes, in working days: a reminder (催办) usually does it. */
export const LATE = { medianWd: 1.5, sigma: 0.7, minWd: 0.1, maxWd: 6 }

function logNormal(rng: Random, median: number, sigma: number): number {
  return median * Math.exp(sigma * rng.normal())
}

const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, x))

/**
 * When and how the upstream platform closes a newly filed order. Deterministic
 * for the generator's state; every order gets exactly one closure.
 */
export function planClosure(order: FiledOrder, hours: WorkingHours, rng: Random): ClosurePlan {
  if (order.nature === 'consult' && rng.chance(DIRECT_ANSWER_SHARE))
    return { at: order.filedAt + rng.between(DIRECT_ANSWER_MIN.min, DIRECT_ANSWER_MIN.max) * MINUTE_MS, kind: 'direct' }
  const handling = HANDLING[order.nature]
  const deadline = hours.deadline(order.reportedAt, order.nature)
  const overdueShare = handling.overdueShare * (order.urgent ? URGENT.overdueFactor : 1)
  if (rng.chance(overdueShare)) {
    const lateWd = clamp(logNormal(rng, LATE.medianWd, LATE.sigma), LATE.minWd, LATE.maxWd)
    return { at: hours.addWorkingTime(deadline, lateWd * WORK_DAY_MS), kind: 'overdue' }
  }
  const at = order.urgent
    ? order.filedAt + Math.max(URGENT.minH, logNormal(rng, URGENT.medianH, URGENT.sigma)) * HOUR_MS
    : hours.addWorkingTime(order.filedAt, Math.max(MIN_HANDLING_WD, logNormal(rng, handling.medianWd, handling.sigma)) * WORK_DAY_MS)
  if (at < deadline)
    return { at, kind: 'handled' }
  // Drawn past the limit but not one of the late ones: closed in a rush on the due date itself.
  const dueDayStart = deadline - DAY_MS + WORK_START_MIN * MINUTE_MS
  return { at: Math.max(order.filedAt + MINUTE_MS, dueDayStart + rng.next() * WORK_DAY_MS), kind: 'handled' }
}

/** The reply upstream appends to the order when it closes it (办理结果). */
const RESULT_NOTE: Readonly<Record<IncidentNature, string>> = {
  consult: '【办结】承办单位已电话答复来电人。',
  help: '【办结】承办单位已协助处理并回复来电人。',
  complaint: '【办结】承办单位已核实处理并回复来电人。',
  report: '【办结】承办单位已核查处理并回复来电人。',
  suggestion: '【办结】承办单位已研究并回复来电人。',
}
const DIRECT_NOTE = '【直接答复】话务员已根据知识库答复来电人。'

/** The closed version of an order: the last version's fields, a newer version, status closed, the result appended. */
export function closedVersion(report: SimReport, plan: ClosurePlan): SimReport {
  const note = plan.kind === 'direct' ? DIRECT_NOTE : RESULT_NOTE[report.nature]
  return {
    ...structuredClone(report),
    version: isoSecond(plan.at),
    status: 'closed',
    description: `${report.description}${note}`,
  }
}
