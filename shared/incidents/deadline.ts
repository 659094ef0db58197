import type { WorkingCalendar } from '../calendar/working-days'
import { localDate, localMidnight } from '../calendar/working-days'
import type { IncidentNature } from '../schemas/incidents'

const DAY_MS = 86_400_000

/** Handling limits in working days, 《广东省12345政务服务便民热线管理办法》 (domain.md §3.2). */
export const HANDLING_LIMIT_WORKING_DAYS: Readonly<Record<IncidentNature, number>> = {
  consult: 2,
  help: 10,
  suggestion: 10,
  complaint: 15,
  report: 15,
}

/** domain.md §3.4 warns when this share of the time allowed has passed. */
export const WARN_AT_SHARE = 0.8

const toMs = (t: string | Date): number => {
  const ms = typeof t === 'string' ? Date.parse(t) : t.getTime()
  if (!Number.isFinite(ms))
    throw new RangeError(`not a valid instant: ${String(t)}`)
  return ms
}

/**
 * When a request must be handled: the end of the N-th working day after the
 * local date (UTC+8) it was received, N by its nature. The receipt day does not
 * count; a request received on a weekend or holiday therefore has the next
 * working day as its day 1, like one received after hours the working day
 * before. The Guangdong rules say "working days from receipt" without these
 * details: the day-counting and the end-of-day cut-off are our reading [U in
 * domain.md §3.4].
 *
 * The day ends at 24:00 local, returned as the next local midnight
 * (YYYY-MM-DD+1 T00:00+08:00, i.e. 16:00Z of the due date) so that overdue is
 * simply `now ≥ dueAt`.
 */
export function handlingDeadline(reportedAt: string | Date, nature: IncidentNature, calendar: WorkingCalendar): string {
  const received = localDate(reportedAt)
  const dueDate = calendar.addWorkingDays(received, HANDLING_LIMIT_WORKING_DAYS[nature])
  return new Date(localMidnight(dueDate) + DAY_MS).toISOString()
}

/** Overdue once the deadline instant has been reached. */
export function isOverdue(dueAt: string, now: number): boolean {
  return now >= toMs(dueAt)
}

/** The instant at which 80 % of the time from receipt to the deadline has passed (domain.md §3.4). */
export function warnAt(reportedAt: string | Date, dueAt: string | Date): string {
  const start = toMs(reportedAt)
  const end = toMs(dueAt)
  return new Date(start + Math.round((end - start) * WARN_AT_SHARE)).toISOString()
}
