/**
 * Office hours counted straight from a WorkingCalendar, day by day: the
 * reference the simulator's WorkingHours and its closures are checked against.
 */
import type { WorkingCalendar } from '@shared/calendar/working-days'
import { localDate, localMidnight } from '@shared/calendar/working-days'

const MIN = 60_000
const DAY = 24 * 60 * MIN
const OPEN_MIN = 8 * 60 + 30
const CLOSE_MIN = 18 * 60
/** One working day of office time. */
export const OFFICE_DAY_MS = (CLOSE_MIN - OPEN_MIN) * MIN

/** Office time in [a, b), counted day by day straight from the calendar: the reference for WorkingHours. */
export function officeMsBetween(a: number, b: number, cal: WorkingCalendar): number {
  let total = 0
  for (let midnight = localMidnight(localDate(a)); midnight < b; midnight += DAY) {
    if (!cal.isWorkingDay(localDate(midnight)))
      continue
    total += Math.max(0, Math.min(b, midnight + CLOSE_MIN * MIN) - Math.max(a, midnight + OPEN_MIN * MIN))
  }
  return total
}

/** Whether an instant is within 08:30–18:00 local on a working day, per the calendar. */
export function inOfficeHours(t: number, cal: WorkingCalendar): boolean {
  const minute = (t - localMidnight(localDate(t))) / MIN
  return cal.isWorkingDay(localDate(t)) && minute >= OPEN_MIN && minute < CLOSE_MIN
}
