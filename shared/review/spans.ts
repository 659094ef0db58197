import { addDays, weekdayOf } from './periods'

/**
 * Day rows summed over whole weeks and calendar months (`rollup_span`,
 * migration 0011): a year read as 11 months and a few weeks and days
 * instead of 365 days of rows. These give which spans make up a range.
 */

export type SpanKind = 'week' | 'month'

/** A range [from, to] of local dates as whole months, then whole weeks (Monday to Sunday) in what is left, then days; each list in date order. */
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

/** Whether a span's sums are stored (all its days folded): the others are read as their days. */
export type SpanBuilt = (kind: SpanKind, start: string) => boolean

const everyBuilt: SpanBuilt = () => true

/** The built whole weeks of [from, to], and the days between them. */
function weeksOf(from: string, to: string, out: RangeSpans, built: SpanBuilt): void {
  let rest = from
  let week = weekOf(from)
  if (week < from)
    week = addDays(week, 7)
  for (; addDays(week, 6) <= to; week = addDays(week, 7)) {
    if (!built('week', week))
      continue
    if (rest < week)
      out.days.push([rest, addDays(week, -1)])
    out.weeks.push(week)
    rest = addDays(week, 7)
  }
  if (rest <= to)
    out.days.push([rest, to])
}

/** A range as its built whole months, then the built whole weeks of what is left, then days. */
export function spansOf(from: string, to: string, built: SpanBuilt = everyBuilt): RangeSpans {
  const out: RangeSpans = { months: [], weeks: [], days: [] }
  let rest = from
  for (let month = monthOf(from) < from ? addDays(monthEnd(from), 1) : from; monthEnd(month) <= to; month = addDays(monthEnd(month), 1)) {
    if (!built('month', month))
      continue
    weeksOf(rest, addDays(month, -1), out, built)
    out.months.push(month)
    rest = addDays(monthEnd(month), 1)
  }
  weeksOf(rest, to, out, built)
  return out
}
