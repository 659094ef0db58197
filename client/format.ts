/** The city's time zone: a wall in Dongguan shows Beijing time whatever the PC is set to. */
export const CITY_TIME_ZONE = 'Asia/Shanghai'

const timeFormat = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: CITY_TIME_ZONE })
const dateFormat = new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', timeZone: CITY_TIME_ZONE })

export function formatTime(at: number | string): string {
  return timeFormat.format(typeof at === 'string' ? Date.parse(at) : at)
}

export function formatDate(at: number): string {
  return dateFormat.format(at)
}

const clockFormat = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: CITY_TIME_ZONE })

/** hh:mm in the city's time zone. */
export function formatClock(at: number | string): string {
  return clockFormat.format(typeof at === 'string' ? Date.parse(at) : at)
}
