/**
 * Date and time for the administration screens, in the browser's own time
 * zone: an administrator compares audit entries with their own clock and
 * with the from/to filters, which the browser reads as local time too.
 */
const dateTime = new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })
const clock = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false })

/** `2026/03/14 09:26:53`; empty for null. */
export function formatLocalDateTime(at: string | number | null): string {
  return at === null ? '' : dateTime.format(typeof at === 'string' ? Date.parse(at) : at)
}

/** `09:26`, for "try again after". */
export function formatLocalClock(at: number): string {
  return clock.format(at)
}

/** A datetime-local input's value (`2026-03-14T09:26`, local time) as an ISO instant; undefined when empty or invalid. */
export function localInputToIso(value: string): string | undefined {
  const at = value ? new Date(value).getTime() : Number.NaN
  return Number.isNaN(at) ? undefined : new Date(at).toISOString()
}
