import type { ReviewPeriod, ReviewRange, ReviewScope } from '@shared/schemas/review'
import { REVIEW_RANGES } from '@shared/schemas/review'
import { CITY_TIME_ZONE } from '@client/format'

/** The page's scope from its route: /review, /review/town/:code, /review/dept/:id. */
export function scopeOfRoute(name: unknown, params: Record<string, unknown>): ReviewScope {
  const one = (v: unknown): string => {
    const first: unknown = Array.isArray(v) ? v[0] : v
    return typeof first === 'string' ? first : ''
  }
  if (name === 'review-town')
    return `town:${one(params.code)}`
  if (name === 'review-dept')
    return `dept:${one(params.id)}`
  return 'city'
}

/** The range an address asks for (?range=30d); 7 days when absent or unknown, as the server defaults. */
export function rangeOfQuery(query: Record<string, unknown>): ReviewRange {
  const asked: unknown = Array.isArray(query.range) ? query.range[0] : query.range
  return (REVIEW_RANGES as readonly unknown[]).includes(asked) ? asked as ReviewRange : '7d'
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

/**
 * The query of GET /api/review for a scope and range; null for a custom
 * range that is not one yet (a date missing, or the end before the start),
 * which is not asked for.
 */
export function reviewQuery(scope: ReviewScope, range: ReviewRange, custom: { from: string, to: string }): string | null {
  const query = new URLSearchParams({ scope, range })
  if (range === 'custom') {
    if (!DATE.test(custom.from) || !DATE.test(custom.to) || custom.to < custom.from)
      return null
    query.set('from', custom.from)
    query.set('to', custom.to)
  }
  return query.toString()
}

/** How the period bar writes a span of days: the full date, or month-day when the year is understood. */
function dayText(date: string, withYear: boolean): string {
  return withYear ? date : date.slice(5)
}

export interface SpanWords {
  /** "{from} 至 {to}". */
  span: (from: string, to: string) => string
  /** "（截至 {time}）", after a period that ends now. */
  until: (time: string) => string
}

const clock = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: CITY_TIME_ZONE })

/**
 * A period as the bar writes it: "2026-11-27 至 2026-12-03", one day as
 * "2026-12-04", a period that ends now with the time it ends. The compared
 * period leaves out the year when it is the period's own year.
 */
export function periodText(period: ReviewPeriod, words: SpanWords, reference?: ReviewPeriod): string {
  const withYear = reference === undefined || reference.from.slice(0, 4) !== period.from.slice(0, 4) || period.from.slice(0, 4) !== period.to.slice(0, 4)
  const text = period.from === period.to
    ? dayText(period.from, withYear)
    : words.span(dayText(period.from, withYear), dayText(period.to, withYear))
  return period.partial ? `${text}${words.until(clock.format(Date.parse(period.toAt)))}` : text
}
