import { addDays, weekdayOf } from './periods'

/**
 * Day rows summed over whole weeks and calendar months (`rollup_span`,
 * migration 0011): a year read as 11 months and a few weeks and days
 * instead of 365 days of rows. These give which spans make up a range.
 */

export type SpanKind = 'week' | 'month'

/** A range [from, to] of local dates as whole months, then whole weeks (Monday to Sunday) in what is left, then days. */
export interface RangeSpans { months: string[], weeks: string[], days: Array<[from: string, to: string]> }

/** The Monday of a date's week. */
export const weekOf = (date: string): string => addDays(date, -weekdayOf(date))

/** The first day of a date's month. */
export const monthOf = (date: string): string => `${date.slice(0, 7)}-01`

/** The last day of a date's month. */
export function monthEnd(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number]
  return addDays(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`, -1)
}

/** The last day of the span of `kind` starting on `start`. */
export const spanEnd = (kind: SpanKind, start: string): string => (kind === 'week' ? addDays(start, 6) : monthEnd(start))

/** Whole weeks of [from, to], and the days before and after them. */
function weeksOf(from: string, to: string, out: RangeSpans): void {
  if (from > to)
    return
  let first = weekOf(from)
  if (first < from)
    first = addDays(first, 7)
  const weeks: string[] = []
  for (let w = first; addDays(w, 6) <= to; w = addDays(w, 7))
    weeks.push(w)
  if (weeks.length === 0) {
    out.days.push([from, to])
    return
  }
  if (first > from)
    out.days.push([from, addDays(first, -1)])
  out.weeks.push(...weeks)
  const after = addDays(weeks[weeks.length - 1]!, 7)
  if (after <= to)
    out.days.push([after, to])
}

export function spansOf(from: string, to: string): RangeSpans {
  const out: RangeSpans = { months: [], weeks: [], days: [] }
  const first = monthOf(from) < from ? addDays(monthEnd(from), 1) : from
  for (let m = first; monthEnd(m) <= to; m = addDays(monthEnd(m), 1))
    out.months.push(m)
  if (out.months.length === 0) {
    weeksOf(from, to, out)
    return out
  }
  weeksOf(from, addDays(out.months[0]!, -1), out)
  weeksOf(addDays(monthEnd(out.months[out.months.length - 1]!), 1), to, out)
  return out
}
