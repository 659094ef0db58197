import type { IncidentNature } from '@shared/schemas/incidents'
import { HANDLING_LIMIT_WORKING_DAYS } from '@shared/incidents/deadline'
import type { WorkCalendar } from './china-time'
import { CHINA_OFFSET_MS, DAY_MS, localTime, MINUTE_MS } from './china-time'

/** Government office hours (08:30–18:00 local), when departments handle and close work orders. */
export const WORK_START_MIN = 8 * 60 + 30
export const WORK_END_MIN = 18 * 60
/** One working day of handling time, for durations counted in working days. */
export const WORK_DAY_MS = (WORK_END_MIN - WORK_START_MIN) * MINUTE_MS
/** A calendar with no working day in this many days is broken: days then count as working, so nothing hangs. */
const MAX_DAYS_OFF = 31
/** Dates remembered per calendar; a few months of days, then the memo starts over. */
const MEMO_DATES = 400

/**
 * Working days and office hours on the injected calendar (holidays and
 * make-up days included): handling deadlines and handling time that only
 * runs while offices are open.
 */
export class WorkingHours {
  private readonly memo = new Map<number, boolean>()

  constructor(private readonly calendar: WorkCalendar) {}

  /** Whether the local day starting at `midnight` (epoch ms) is a working day. */
  isWorkingMidnight(midnight: number): boolean {
    let known = this.memo.get(midnight)
    if (known === undefined) {
      if (this.memo.size >= MEMO_DATES)
        this.memo.clear()
      known = this.calendar.isWorkingDay(new Date(midnight + CHINA_OFFSET_MS).toISOString().slice(0, 10))
      this.memo.set(midnight, known)
    }
    return known
  }

  /** Whether `t` falls within office hours on a working day. */
  isWorkingTime(t: number): boolean {
    const local = localTime(t)
    return local.minute >= WORK_START_MIN && local.minute < WORK_END_MIN && this.isWorkingMidnight(local.midnight)
  }

  /**
   * The handling deadline (epoch ms): the midnight that ends the N-th working
   * day after the local date of receipt, N by nature. The same reading as
   * `handlingDeadline` in shared/incidents/deadline.ts, so that what the
   * simulated platform closes late is what the server shows as overdue.
   */
  deadline(reportedAt: number, nature: IncidentNature): number {
    let midnight = localTime(reportedAt).midnight
    for (let n = 0; n < HANDLING_LIMIT_WORKING_DAYS[nature]; n++)
      midnight = this.nextWorkingMidnight(midnight)
    return midnight + DAY_MS
  }

  /**
   * The instant `workMs` of office time after `from`: evenings, nights,
   * weekends and holidays do not count. The result always lies within office
   * hours (a handler closes an order at their desk).
   */
  addWorkingTime(from: number, workMs: number): number {
    const local = localTime(from)
    let day = local.midnight
    let cursor = Math.max(from, day + WORK_START_MIN * MINUTE_MS)
    if (!this.isWorkingMidnight(day) || local.minute >= WORK_END_MIN) {
      day = this.nextWorkingMidnight(day)
      cursor = day + WORK_START_MIN * MINUTE_MS
    }
    let left = Math.max(0, workMs)
    for (;;) {
      const available = day + WORK_END_MIN * MINUTE_MS - cursor
      if (left < available)
        return cursor + left
      left -= available
      day = this.nextWorkingMidnight(day)
      cursor = day + WORK_START_MIN * MINUTE_MS
    }
  }

  /** The midnight starting the first working day after the day starting at `midnight`. */
  private nextWorkingMidnight(midnight: number): number {
    for (let k = 1; k <= MAX_DAYS_OFF; k++) {
      if (this.isWorkingMidnight(midnight + k * DAY_MS))
        return midnight + k * DAY_MS
    }
    return midnight + DAY_MS
  }
}
