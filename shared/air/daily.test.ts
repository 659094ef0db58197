import { describe, expect, it } from 'vitest'
import type { DayIndicators, HoursFolded } from './daily'
import { dailyAqi, dailyValues, isValidDay } from './daily'

/** `hours` hourly values of mean `mean` and maximum `max`. */
const folded = (hours: number, mean: number, max = mean): HoursFolded => ({ hours, sum: hours * mean, max })

const cleanDay: DayIndicators = {
  so2: folded(24, 8),
  no2: folded(24, 30),
  co: folded(24, 0.74),
  pm25: folded(24, 20),
  pm10: folded(24, 40),
  o3: folded(24, 60, 120),
  o3_8h: folded(24, 55, 90),
}

describe('daily AQI (HJ 633-2012 日报)', () => {
  it('rates the 24-hour means on the 24h tables and the O3 maxima on the 1h and 8h tables', () => {
    // PM2.5 80 µg/m³: (150 − 100) / (115 − 75) × (80 − 75) + 100 = 106.25 → 107 (rounded up).
    // O3-8h max 170: (150 − 100) / (215 − 160) × (170 − 160) + 100 = 109.09 → 110, the primary pollutant.
    // O3-1h max 210: (150 − 100) / (300 − 200) × (210 − 200) + 100 = 105.
    // NO2 24h 85: (150 − 100) / (180 − 80) × 5 + 100 = 102.5 → 103 (the 1h table would give 43).
    const day = dailyAqi({ ...cleanDay, pm25: folded(24, 80), o3: folded(24, 90, 210), o3_8h: folded(24, 100, 170), no2: folded(24, 85) })
    expect(day.iaqi).toMatchObject({ pm25: 107, o3_8h: 110, o3_1h: 105, no2: 103 })
    expect(day).toMatchObject({ aqi: 110, level: 3, primary: ['o3_8h'], valid: true })
  })

  it('has no primary pollutant on a day of 优 (AQI ≤ 50)', () => {
    const day = dailyAqi(cleanDay)
    // PM10 40 → 40; PM2.5 20 → 50 / 35 × 20 = 28.6 → 29; O3-8h 90 → 45; CO 0.7 mg/m³ (one decimal) → 18.
    expect(day.values).toEqual({ so2: 8, no2: 30, co: 0.7, pm25: 20, pm10: 40, o3_1h_max: 120, o3_8h_max: 90 })
    expect(day).toMatchObject({ aqi: 45, level: 1, primary: [], valid: true })
  })

  it('rounds the means as reported (µg/m³ whole, CO one decimal) before rating', () => {
    // 35.4 rounds to 35: IAQI exactly 50; unrounded it would rate 51 (良).
    expect(dailyValues({ pm25: folded(24, 35.4) })).toEqual({ pm25: 35 })
    expect(dailyAqi({ ...cleanDay, pm25: folded(24, 35.4) }).iaqi.pm25).toBe(50)
  })

  it('a day needs 20 hourly values for each 24-hour mean and 14 for the 8-hour O3 (HJ 663)', () => {
    expect(isValidDay(cleanDay)).toBe(true)
    expect(isValidDay({ ...cleanDay, pm25: folded(19, 20) })).toBe(false)
    expect(isValidDay({ ...cleanDay, o3_8h: folded(13, 55, 90) })).toBe(false)
    expect(isValidDay({ ...cleanDay, o3_8h: folded(14, 55, 90) })).toBe(true)
    const { so2: _so2, ...withoutSo2 } = cleanDay
    expect(isValidDay(withoutSo2)).toBe(false)
    // Still rated from what there is, and marked invalid.
    expect(dailyAqi({ ...cleanDay, pm25: folded(10, 80) })).toMatchObject({ aqi: 107, valid: false })
  })
})
