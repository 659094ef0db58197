/**
 * China Standard Time for the simulated city: a fixed UTC+8 offset (China has
 * no daylight saving), computed from epoch milliseconds so that nothing
 * depends on the machine's time zone.
 */
export const MINUTE_MS = 60_000
export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000
export const CHINA_OFFSET_MS = 8 * HOUR_MS

/** The working-day calendar, injected (the server wires China's holidays and make-up days). */
export interface WorkCalendar {
  /** Whether a local date ('YYYY-MM-DD') is a working day: Mon–Fri except holidays, plus make-up weekend days. */
  isWorkingDay: (localDate: string) => boolean
  /**
   * Whether a local date is a public holiday. Optional: without it, a weekday
   * that is not a working day counts as a holiday, and weekends keep their
   * weekend hours even inside a holiday week.
   */
  isPublicHoliday?: (localDate: string) => boolean
}

/** Monday to Friday: the default calendar of tests. */
export const WEEKDAY_CALENDAR: WorkCalendar = {
  isWorkingDay: (date) => {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
    return weekday >= 1 && weekday <= 5
  },
}

/** What kind of day a local date is, for opening hours and traffic patterns. */
export type DayKind = 'workday' | 'saturday' | 'sunday' | 'holiday'

export interface LocalTime {
  /** 'YYYY-MM-DD' in China time. */
  date: string
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number
  /** Minutes after local midnight, fractional. */
  minute: number
  /** Epoch ms of the local midnight that starts this day. */
  midnight: number
}

export function localTime(t: number): LocalTime {
  const shifted = t + CHINA_OFFSET_MS
  const dayStart = Math.floor(shifted / DAY_MS) * DAY_MS
  const d = new Date(dayStart)
  return {
    date: d.toISOString().slice(0, 10),
    weekday: d.getUTCDay(),
    minute: (shifted - dayStart) / MINUTE_MS,
    midnight: dayStart - CHINA_OFFSET_MS,
  }
}

/** The local hour as a fraction, 0–24. */
export function localHour(t: number): number {
  return localTime(t).minute / 60
}

export function dayKind(local: LocalTime, calendar: WorkCalendar): DayKind {
  if (calendar.isWorkingDay(local.date))
    return 'workday'
  if (calendar.isPublicHoliday?.(local.date))
    return 'holiday'
  if (local.weekday === 6)
    return 'saturday'
  if (local.weekday === 0)
    return 'sunday'
  return 'holiday'
}

/**
 * A day's kind, memoised per local date: the calendar is consulted once a day,
 * not once per simulated minute.
 */
export class DayKinds {
  private date = ''
  private kind: DayKind = 'workday'

  constructor(private readonly calendar: WorkCalendar) {}

  of(local: LocalTime): DayKind {
    if (local.date !== this.date) {
      this.date = local.date
      this.kind = dayKind(local, this.calendar)
    }
    return this.kind
  }
}

/** A Gaussian bump around `peak` (hours), for daily rhythms. */
export function bump(hour: number, peak: number, width: number): number {
  const d = hour - peak
  return Math.exp(-(d * d) / (2 * width * width))
}

/** 'YYYYMMDD' of the local date, for ticket numbers. */
export function compactDate(local: LocalTime): string {
  return local.date.replaceAll('-', '')
}

/** Epoch ms to the ISO form every feed record uses (whole seconds, UTC). */
export function isoSecond(t: number): string {
  return new Date(Math.floor(t / 1000) * 1000).toISOString()
}
