import type { NightMode } from '@shared/schemas/wall'
import { CITY_TIME_ZONE } from '@client/format'

/**
 * Night mode: the wall dims in the evening, when the hall's lights are low
 * and a bright wall glares. `auto` follows the city's clock (Beijing time
 * for a wall in Dongguan, whatever the PC is set to); the night may span
 * midnight (19:00–07:00).
 */

export interface NightHours { from: string, to: string }

const formats = new Map<string, Intl.DateTimeFormat>()
function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone })
    formats.set(timeZone, format)
  }
  return format
}

/** Minutes since midnight on the clock of `timeZone`. */
export function minuteOfDay(at: number, timeZone: string = CITY_TIME_ZONE): number {
  const parts = formatFor(timeZone).formatToParts(at)
  const part = (type: 'hour' | 'minute'): number => Number(parts.find(p => p.type === type)?.value ?? 0)
  return part('hour') * 60 + part('minute')
}

const minutesOf = (clock: string): number => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5))

/** Whether `at` falls in [from, to) on the city's clock. */
export function inNightHours(hours: NightHours, at: number, timeZone: string = CITY_TIME_ZONE): boolean {
  const m = minuteOfDay(at, timeZone)
  const from = minutesOf(hours.from)
  const to = minutesOf(hours.to)
  return from < to ? m >= from && m < to : m >= from || m < to
}

/** The wall's night state: an operator's choice (N) while it stands, else the preset's mode. */
export function nightOn(mode: NightMode, hours: NightHours, at: number, override: boolean | null = null, timeZone: string = CITY_TIME_ZONE): boolean {
  if (override !== null)
    return override
  switch (mode) {
    case 'on': return true
    case 'off': return false
    case 'auto': return inNightHours(hours, at, timeZone)
  }
}
