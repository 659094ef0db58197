import { runningDeadline } from '@shared/dispatch/sla'
import type { DispatchCounts, DispatchKpis, WorkOrder, WorkOrderEvent } from '@shared/schemas/work-orders'
import { isSatisfied, Satisfaction } from '@shared/schemas/work-orders'

/**
 * The dispatch indicators of Guangdong and Dongguan reporting (domain.md
 * §3.4) over a period, per department and for the city: on-time sign and
 * close, resolution, satisfaction, returns, reopens, overdue orders. Counts
 * only; the screens divide. A return or a reopen counts for the department
 * that held the order when it happened.
 */

const zero = (): DispatchCounts => ({ dispatched: 0, signed: 0, signedOnTime: 0, closed: 0, closedOnTime: 0, resolved: 0, revisited: 0, satisfied: 0, returned: 0, reopened: 0, overdueOpen: 0 })

const within = (t: string | null, from: number, to: number): t is string => t !== null && Date.parse(t) >= from && Date.parse(t) < to

export function dispatchKpis(orders: readonly WorkOrder[], events: readonly WorkOrderEvent[], period: { from: string, to: string }, now: number): DispatchKpis {
  const from = Date.parse(period.from)
  const to = Date.parse(period.to)
  const city = zero()
  const byDepartment = new Map<string, DispatchCounts>()
  const add = (departmentId: string, key: keyof DispatchCounts): void => {
    city[key]++
    let counts = byDepartment.get(departmentId)
    if (!counts)
      byDepartment.set(departmentId, counts = zero())
    counts[key]++
  }
  for (const o of orders) {
    if (within(o.dispatchedAt, from, to)) {
      add(o.departmentId, 'dispatched')
      if (o.signedAt !== null) {
        add(o.departmentId, 'signed')
        if (o.signDueAt !== null && o.signedAt <= o.signDueAt)
          add(o.departmentId, 'signedOnTime')
      }
    }
    if (o.state === 'closed' && within(o.closedAt, from, to)) {
      add(o.departmentId, 'closed')
      // Closed by the deadline: the department's reply, or the close itself for a direct answer or an upstream close.
      const finished = o.repliedAt ?? o.closedAt
      if (finished <= o.handleDueAt)
        add(o.departmentId, 'closedOnTime')
      if (o.reply?.resolved ?? true)
        add(o.departmentId, 'resolved')
    }
    const running = runningDeadline(o)
    if (running && now >= Date.parse(running.dueAt))
      add(o.departmentId, 'overdueOpen')
  }
  for (const e of events) {
    if (!within(e.at, from, to))
      continue
    if (e.action === 'return')
      add(e.departmentId, 'returned')
    if (e.action === 'revisit') {
      const departmentId = e.departmentId
      add(departmentId, 'revisited')
      const rating = Satisfaction.safeParse(e.detail.satisfaction)
      if (rating.success && isSatisfied(rating.data))
        add(departmentId, 'satisfied')
      else
        add(departmentId, 'reopened')
    }
  }
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    city,
    departments: [...byDepartment.entries()].map(([departmentId, counts]) => ({ departmentId, ...counts })).sort((a, b) => (a.departmentId < b.departmentId ? -1 : 1)),
  }
}
