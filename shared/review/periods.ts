import { localDate, localMidnight } from '../calendar/working-days'
import type { ReviewPeriod, ReviewQuery } from '../schemas/review'
import { REVIEW_MAX_DAYS } from '../schemas/review'

const DAY_MS = 86_400_000

/** The local date `n` days after `date` (before, when negative). */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)
}

/** Local dates from `from` to `to`, inclusive. */
export function daysOf(from: string, to: string): string[] {
  const days: string[] = []
  for (let d = from; d <= to; d = addDays(d, 1))
    days.push(d)
  return days
}

/** 0 Monday … 6 Sunday, of a local date. */
export function weekdayOf(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7
}

const PRESET_DAYS = { '7d': 7, '30d': 30, 'quarter': 90 } as const

/** A period of whole days [from, to], cut at `now` when it reaches today. */
function wholeDays(from: string, to: string, now: number): ReviewPeriod {
  const end = localMidnight(addDays(to, 1))
  const toAt = Math.min(end, now)
  return {
    from,
    to,
    fromAt: new Date(localMidnight(from)).toISOString(),
    toAt: new Date(toAt).toISOString(),
    days: daysOf(from, to).length,
    partial: toAt < end,
  }
}

export class ReviewPeriodError extends Error {}

/**
 * The period a query asks for on the server's clock, and the one before it
 * of the same length: today against yesterday up to the same time of day;
 * whole days against as many whole days before them.
 */
export function reviewPeriods(q: ReviewQuery, now: number): { period: ReviewPeriod, previous: ReviewPeriod } {
  const today = localDate(now)
  if (q.range === 'today') {
    const yesterday = addDays(today, -1)
    const elapsed = now - localMidnight(today)
    return { period: wholeDays(today, today, now), previous: wholeDays(yesterday, yesterday, localMidnight(yesterday) + elapsed) }
  }
  let from: string
  let to: string
  if (q.range === 'custom') {
    if (q.from === undefined || q.to === undefined)
      throw new ReviewPeriodError('range=custom needs from and to')
    ;[from, to] = [q.from, q.to]
    if (from > today)
      throw new ReviewPeriodError(`from ${from} is after today (${today})`)
    if (to > today)
      to = today
  }
  else {
    to = addDays(today, -1)
    from = addDays(to, 1 - PRESET_DAYS[q.range])
  }
  const period = wholeDays(from, to, now)
  if (period.days > REVIEW_MAX_DAYS)
    throw new ReviewPeriodError(`${period.days} days: at most ${REVIEW_MAX_DAYS}`)
  const previousTo = addDays(from, -1)
  return { period, previous: wholeDays(addDays(previousTo, 1 - period.days), previousTo, now) }
}
