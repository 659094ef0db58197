import { z } from 'zod'
// The package's own data (2004 onwards), read directly: plain JSON bundles the
// same in Node and in the browser build, with none of its date code. The package
// has no "exports" map, so this deep path is allowed.
import packageDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' }

const DAY_MS = 86_400_000
/** China keeps one zone, UTC+8, with no daylight saving: local dates need no tz database. */
const CHINA_OFFSET_MS = 8 * 3_600_000
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/
/** An instant given as text must say its offset, or its local date would depend on the machine. */
const HAS_OFFSET = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i

/** A whole day number (days since 1970-01-01) from 'YYYY-MM-DD', or NaN if it is no calendar date. */
function dayNumberOrNaN(date: string): number {
  if (!ISO_DATE.test(date))
    return Number.NaN
  const ms = Date.parse(`${date}T00:00:00Z`)
  // Date.parse may roll 02-30 over to March: a round trip catches it.
  return Number.isFinite(ms) && dateOfDay(ms / DAY_MS) === date ? ms / DAY_MS : Number.NaN
}

function dayNumber(date: string): number {
  const day = dayNumberOrNaN(date)
  if (Number.isNaN(day))
    throw new RangeError(`not a calendar date 'YYYY-MM-DD': ${JSON.stringify(date)}`)
  return day
}

function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10)
}

/** 1970-01-01 was a Thursday; Saturday is 6 and Sunday 0. */
function isWeekend(day: number): boolean {
  const weekday = (((day + 4) % 7) + 7) % 7
  return weekday === 0 || weekday === 6
}

/** The local calendar date in China (UTC+8) of an instant, as 'YYYY-MM-DD'. */
export function localDate(instant: Date | number | string): string {
  let ms: number
  if (typeof instant === 'string') {
    if (!HAS_OFFSET.test(instant.trim()))
      throw new RangeError(`instant needs an explicit offset (Z or ±hh:mm): ${JSON.stringify(instant)}`)
    ms = Date.parse(instant)
  }
  else {
    ms = typeof instant === 'number' ? instant : instant.getTime()
  }
  if (!Number.isFinite(ms))
    throw new RangeError(`not a valid instant: ${String(instant)}`)
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10)
}

/** The instant (epoch ms) at which a local date begins: 00:00 at UTC+8. */
export function localMidnight(date: string): number {
  return dayNumber(date) * DAY_MS - CHINA_OFFSET_MS
}

/** A local calendar date, 'YYYY-MM-DD'. */
export const CalendarDate = z.string().refine(d => !Number.isNaN(dayNumberOrNaN(d)), {
  error: issue => `not a calendar date 'YYYY-MM-DD': ${JSON.stringify(issue.input)}`,
})

/**
 * Days the package does not know yet, or gets wrong. The State Council
 * publishes next year's schedule each autumn; an operator adds it here.
 */
export const CalendarOverridesSchema = z.strictObject({
  /** Statutory days off (放假), weekends inside a holiday block included. */
  holidays: z.array(CalendarDate),
  /** Make-up working days (调休上班), usually a Saturday or Sunday. */
  workdays: z.array(CalendarDate),
  note: z.string().optional(),
}).superRefine((o, ctx) => {
  const holidays = new Set(o.holidays)
  for (const [i, d] of o.workdays.entries()) {
    if (holidays.has(d))
      ctx.addIssue({ code: 'custom', path: ['workdays', i], message: `${d} is listed both as a holiday and as a workday` })
  }
})

export interface CalendarOverrides {
  holidays: string[]
  workdays: string[]
  note?: string
}

interface PackageDays { holidays: Record<string, string>, workdays: Record<string, string> }

const PACKAGE = packageDays as PackageDays
const PACKAGE_HOLIDAYS: readonly number[] = Object.keys(PACKAGE.holidays).map(dayNumber)
const PACKAGE_WORKDAYS: readonly number[] = Object.keys(PACKAGE.workdays).map(dayNumber)

const yearOf = (day: number): number => new Date(day * DAY_MS).getUTCFullYear()
const lastYear = (days: Iterable<number>): number => {
  let max = Number.NEGATIVE_INFINITY
  for (const d of days)
    max = Math.max(max, yearOf(d))
  return max
}

/**
 * China's working days: Monday to Friday, less statutory holidays, plus the
 * make-up working weekend days (调休). Official data comes from the
 * `chinese-days` package and the overrides, which win; years that neither
 * knows follow the plain Monday-to-Friday rule.
 */
export class WorkingCalendar {
  /** The last year with official data, from the package or the overrides. */
  readonly knownThroughYear: number
  readonly #holidays: Set<number>
  readonly #workdays: Set<number>

  constructor(overrides?: CalendarOverrides) {
    this.#holidays = new Set(PACKAGE_HOLIDAYS)
    this.#workdays = new Set(PACKAGE_WORKDAYS)
    let known = lastYear([...PACKAGE_HOLIDAYS, ...PACKAGE_WORKDAYS])
    if (overrides) {
      const parsed = CalendarOverridesSchema.safeParse(overrides)
      if (!parsed.success)
        throw new Error(`invalid calendar overrides:\n${z.prettifyError(parsed.error)}`)
      const holidays = parsed.data.holidays.map(dayNumber)
      const workdays = parsed.data.workdays.map(dayNumber)
      for (const d of holidays) {
        this.#workdays.delete(d)
        this.#holidays.add(d)
      }
      for (const d of workdays) {
        this.#holidays.delete(d)
        this.#workdays.add(d)
      }
      known = Math.max(known, lastYear([...holidays, ...workdays]))
    }
    this.knownThroughYear = known
  }

  isWorkingDay(date: string): boolean {
    return this.#isWorking(dayNumber(date))
  }

  /** A statutory holiday (a day of a 放假 block), not a plain weekend. */
  isHoliday(date: string): boolean {
    return this.#holidays.has(dayNumber(date))
  }

  /** The n-th working day after `date`, which is not counted itself; n < 0 counts back. */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isSafeInteger(n))
      throw new RangeError(`n must be an integer, got ${n}`)
    let day = dayNumber(date)
    const step = n < 0 ? -1 : 1
    for (let left = Math.abs(n); left > 0;) {
      day += step
      if (this.#isWorking(day))
        left--
    }
    return dateOfDay(day)
  }

  /** Working days in (from, to]; negative when `to` is before `from`. */
  workingDaysBetween(from: string, to: string): number {
    const start = dayNumber(from)
    const end = dayNumber(to)
    const lo = Math.min(start, end)
    const hi = Math.max(start, end)
    let count = 0
    for (let day = lo + 1; day <= hi; day++) {
      if (this.#isWorking(day))
        count++
    }
    return end < start ? -count : count
  }

  #isWorking(day: number): boolean {
    if (this.#workdays.has(day))
      return true
    return !this.#holidays.has(day) && !isWeekend(day)
  }
}
