import { runningDeadline } from '@shared/dispatch/sla'
import type { Incident } from '@shared/schemas/incidents'
import type { WorkOrderState } from '@shared/schemas/work-orders'
import { isTerminal } from '@shared/schemas/work-orders'

/**
 * What the wall says of an incident's work order (issue 8): its state, the
 * department that holds it, and the 超期 and 督办 marks. Words come from
 * i18n (dispatch.state / .supervision, the dispatch screens' own words); these helpers pick which.
 */

/** The i18n key of a state's name: 受理 待签收 退单待审 办理中 待回访 办结 已合并. */
export const stateKey = (state: WorkOrderState): string => `dispatch.state.${state}`

export interface WorkOrderMarks {
  state: WorkOrderState
  departmentId: string
  /** Past the deadline now running (signing while unsigned, else handling); never for a closed or merged order. */
  overdue: boolean
  /** 0 none, 1 催办, 2 督办, 3 通报. */
  supervision: number
  /** Closed or merged: shown quieter. */
  done: boolean
}

/** The marks of an incident's order at `now` (the server's clock); null for an incident the center does not handle. */
export function workOrderMarks(incident: Incident, now: number): WorkOrderMarks | null {
  const order = incident.handling
  if (!order)
    return null
  const running = runningDeadline(order)
  return {
    state: order.state,
    departmentId: order.departmentId,
    overdue: running !== null && now >= Date.parse(running.dueAt),
    supervision: order.supervision,
    done: isTerminal(order.state),
  }
}

type Translate = (key: string) => string

/** The state's name in the wall's language (Chinese first: "待签收"), or null without an order. */
export function handlingLabel(incident: Incident, t: Translate): string | null {
  return incident.handling ? t(stateKey(incident.handling.state)) : null
}

/** The supervision level's name (催办 督办 通报), or null at level 0. */
export function supervisionLabel(level: number, t: Translate): string | null {
  return level > 0 ? t(`dispatch.supervision.${level}`) : null
}
