import type { AqiResult } from '../schemas/air'
import { computeAqi } from './aqi'

/**
 * The daily AQI of HJ 633-2012 (日报): 24-hour means of SO2, NO2, CO, PM10
 * and PM2.5 rated on the 24h tables, the day's maximum 1-hour O3 on the 1h
 * table and its maximum 8-hour sliding O3 on the 8h table.
 *
 * A day is valid (有效天) under the data-validity rule of HJ 663-2013 /
 * GB 3095-2012 §8: each 24-hour mean needs at least 20 hourly values, the
 * maximum 8-hour O3 at least 14 valid 8-hour values. Only valid days count
 * in the days per level and the share of 优良 days.
 */

/** How many hourly values a 24-hour mean needs, and a daily maximum 8-hour O3. */
export const MIN_HOURS_24H = 20
export const MIN_HOURS_O3_8H = 14

/** A day's hourly values of one indicator, folded: their count, sum and maximum. */
export interface HoursFolded { hours: number, sum: number, max: number }

export interface DayIndicators {
  so2?: HoursFolded
  no2?: HoursFolded
  co?: HoursFolded
  pm25?: HoursFolded
  pm10?: HoursFolded
  /** 1-hour O3: its maximum is the day's. */
  o3?: HoursFolded
  /** 8-hour sliding O3 as reported each hour: its maximum is the day's. */
  o3_8h?: HoursFolded
}

const MEAN_POLLUTANTS = ['so2', 'no2', 'co', 'pm25', 'pm10'] as const

/** The daily values as reported: µg/m³ to whole numbers, CO (mg/m³) to one decimal (HJ 663 修约). */
export interface DailyValues { so2?: number, no2?: number, co?: number, pm25?: number, pm10?: number, o3_1h_max?: number, o3_8h_max?: number }

export interface DailyAqi extends Pick<AqiResult, 'aqi' | 'level' | 'iaqi' | 'primary'> {
  values: DailyValues
  /** Every 24-hour mean and the 8-hour O3 had enough hours. */
  valid: boolean
}

const rounded = (value: number, digits: number): number => {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

export function dailyValues(day: DayIndicators): DailyValues {
  const values: DailyValues = {}
  for (const p of MEAN_POLLUTANTS) {
    const folded = day[p]
    if (folded && folded.hours > 0)
      values[p] = rounded(folded.sum / folded.hours, p === 'co' ? 1 : 0)
  }
  if (day.o3 && day.o3.hours > 0)
    values.o3_1h_max = Math.round(day.o3.max)
  if (day.o3_8h && day.o3_8h.hours > 0)
    values.o3_8h_max = Math.round(day.o3_8h.max)
  return values
}

export function isValidDay(day: DayIndicators): boolean {
  return MEAN_POLLUTANTS.every(p => (day[p]?.hours ?? 0) >= MIN_HOURS_24H) && (day.o3_8h?.hours ?? 0) >= MIN_HOURS_O3_8H
}

export function dailyAqi(day: DayIndicators): DailyAqi {
  const v = dailyValues(day)
  // Without 1h values computeAqi rates SO2, NO2 and CO on their 24h tables; PM is always on 24h.
  const result = computeAqi({
    ...(v.so2 !== undefined ? { so2_24h: v.so2 } : {}),
    ...(v.no2 !== undefined ? { no2_24h: v.no2 } : {}),
    ...(v.co !== undefined ? { co_24h: v.co } : {}),
    ...(v.pm25 !== undefined ? { pm25_24h: v.pm25 } : {}),
    ...(v.pm10 !== undefined ? { pm10_24h: v.pm10 } : {}),
    ...(v.o3_1h_max !== undefined ? { o3: v.o3_1h_max } : {}),
    ...(v.o3_8h_max !== undefined ? { o3_8h: v.o3_8h_max } : {}),
  })
  return { aqi: result.aqi, level: result.level, iaqi: result.iaqi, primary: result.primary, values: v, valid: isValidDay(day) }
}
