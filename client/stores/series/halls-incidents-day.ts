export const MINUTE_MS = 60_000
export const HOUR_MS = 3_600_000
export const DAY_MS = 24 * HOUR_MS
/** China keeps UTC+8 all year: the city's days and hours need no time-zone database. */
const CITY_OFFSET_MS = 8 * HOUR_MS

/** Local midnight (Asia/Shanghai) of the day holding `at`, epoch ms. */
export function cityDayStart(at: number): number {
  return Math.floor((at + CITY_OFFSET_MS) / DAY_MS) * DAY_MS - CITY_OFFSET_MS
}

/** The city day holding `at` as a key (its midnight in ISO): a series asked for another day answers another question. */
export const cityDayKey = (at: number): string => new Date(cityDayStart(at)).toISOString()
