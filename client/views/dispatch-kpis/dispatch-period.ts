import { CITY_TIME_ZONE } from '@client/format'

/** The periods a leader picks: today (since the city's midnight), the last 7 or 30 days, or dates of their own. */
export const PERIODS = ['today', 'week', 'month', 'custom'] as const
export type Period = typeof PERIODS[number]

const DAY_MS = 86_400_000
/** China has kept UTC+8 all year since 1991. */
const CITY_OFFSET_MS = 8 * 3_600_000

/** The city's midnight that starts the day of `at`. */
export function cityMidnight(at: number): number {
  return Math.floor((at + CITY_OFFSET_MS) / DAY_MS) * DAY_MS - CITY_OFFSET_MS
}

/** A yyyy-mm-dd date (an <input type="date">) as the instant its city day starts; null when not a date. */
export function cityDayStart(date: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
    return null
  const utc = Date.parse(`${date}T00:00:00Z`)
  return Number.isNaN(utc) ? null : utc - CITY_OFFSET_MS
}

/** yyyy-mm-dd of `at` on the city's clock. */
export function cityDate(at: number): string {
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: CITY_TIME_ZONE }).format(at)
}

/**
 * The instants GET /api/dispatch/kpis asks for: [from, to) ending `now` (the
 * server's clock), or the whole city days of a custom range, its last day
 * included. Null for a custom range that is not one (a date missing, or
 * the end before the start).
 */
export function periodRange(period: Period, now: number, custom: { from: string, to: string }): { from: string, to: string } | null {
  const iso = (t: number): string => new Date(t).toISOString()
  switch (period) {
    case 'today': return { from: iso(cityMidnight(now)), to: iso(now) }
    case 'week': return { from: iso(now - 7 * DAY_MS), to: iso(now) }
    case 'month': return { from: iso(now - 30 * DAY_MS), to: iso(now) }
    case 'custom': {
      const from = cityDayStart(custom.from)
      const lastDay = cityDayStart(custom.to)
      if (from === null || lastDay === null || lastDay < from)
        return null
      return { from: iso(from), to: iso(lastDay + DAY_MS) }
    }
  }
}
