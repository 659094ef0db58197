import type { AirIndicators, AqiResult, Pollutant } from '../schemas/air'
import type { BreakpointTable } from './breakpoints'
import { BREAKPOINTS } from './breakpoints'
import { aqiLevel } from './levels'

/** Above this 1h SO2 or 8h O3 the standard stops rating that value (HJ 633 notes 2 and 3). */
const SO2_1H_LIMIT = 800
const O3_8H_LIMIT = 800
// Guards Math.ceil against floating-point noise such as 50.00000000000001.
const CEIL_EPSILON = 1e-9

export interface Iaqi { value: number, aboveScale: boolean }

/**
 * IAQI = (IAQI_Hi − IAQI_Lo) / (BP_Hi − BP_Lo) × (C − BP_Lo) + IAQI_Lo, rounded
 * up ("计算结果全部进位取整数"). Above the top of the table the table's top IAQI
 * is returned with `aboveScale` set.
 */
export function iaqiFromTable(table: BreakpointTable, concentration: number): Iaqi {
  const top = table[table.length - 1]
  if (!top || !(concentration >= 0))
    throw new RangeError(`concentration must be a non-negative number, got ${concentration}`)
  if (concentration > top[0])
    return { value: top[1], aboveScale: true }
  for (let i = 1; i < table.length; i++) {
    const hi = table[i]
    const lo = table[i - 1]
    if (hi && lo && concentration <= hi[0]) {
      const raw = ((hi[1] - lo[1]) * (concentration - lo[0])) / (hi[0] - lo[0]) + lo[1]
      return { value: Math.max(lo[1], Math.ceil(raw - CEIL_EPSILON)), aboveScale: false }
    }
  }
  return { value: top[1], aboveScale: true }
}

interface Rated { iaqi: Partial<Record<Pollutant, number>>, indicative: boolean, aboveScale: boolean }

function rate(rated: Rated, pollutant: Pollutant, table: BreakpointTable, c: number | undefined): void {
  if (c === undefined)
    return
  const r = iaqiFromTable(table, c)
  rated.iaqi[pollutant] = r.value
  rated.aboveScale ||= r.aboveScale
}

function rateSo2(rated: Rated, v: AirIndicators): void {
  if (v.so2 !== undefined && v.so2 <= SO2_1H_LIMIT)
    return rate(rated, 'so2', BREAKPOINTS.so2_1h, v.so2)
  if (v.so2_24h !== undefined)
    return rate(rated, 'so2', BREAKPOINTS.so2_24h, v.so2_24h)
  if (v.so2 !== undefined) {
    // 1h above 800 and no 24h average to report instead: keep the table's top
    // (IAQI 200) rather than hide a severe reading.
    rated.iaqi.so2 = 200
    rated.aboveScale = true
  }
}

function rateO3(rated: Rated, v: AirIndicators): void {
  rate(rated, 'o3_1h', BREAKPOINTS.o3_1h, v.o3)
  if (v.o3_8h === undefined)
    return
  if (v.o3_8h <= O3_8H_LIMIT)
    return rate(rated, 'o3_8h', BREAKPOINTS.o3_8h, v.o3_8h)
  if (v.o3 === undefined) {
    // 8h above 800 and no 1h value to rate instead: the 8h table's top, IAQI 300.
    rated.iaqi.o3_8h = 300
    rated.aboveScale = true
  }
}

/** PM has only 24h breakpoints: use the 24h sliding average, else the 1h value (indicative). */
function ratePm(rated: Rated, pollutant: 'pm25' | 'pm10', avg24h: number | undefined, hourly: number | undefined): void {
  const table = pollutant === 'pm25' ? BREAKPOINTS.pm25_24h : BREAKPOINTS.pm10_24h
  if (avg24h !== undefined)
    return rate(rated, pollutant, table, avg24h)
  if (hourly !== undefined) {
    rate(rated, pollutant, table, hourly)
    rated.indicative = true
  }
}

/** The real-time AQI of HJ 633-2012 from a set of indicators. */
export function computeAqi(v: AirIndicators): AqiResult {
  const rated: Rated = { iaqi: {}, indicative: false, aboveScale: false }
  rateSo2(rated, v)
  rate(rated, 'no2', v.no2 !== undefined ? BREAKPOINTS.no2_1h : BREAKPOINTS.no2_24h, v.no2 ?? v.no2_24h)
  rate(rated, 'co', v.co !== undefined ? BREAKPOINTS.co_1h : BREAKPOINTS.co_24h, v.co ?? v.co_24h)
  rateO3(rated, v)
  ratePm(rated, 'pm25', v.pm25_24h, v.pm25)
  ratePm(rated, 'pm10', v.pm10_24h, v.pm10)

  const entries = Object.entries(rated.iaqi) as [Pollutant, number][]
  if (entries.length === 0)
    return { aqi: null, level: null, iaqi: {}, primary: [], exceeding: [], indicative: false, aboveScale: false }
  const aqi = Math.max(...entries.map(([, value]) => value))
  return {
    aqi,
    level: aqiLevel(aqi).level,
    iaqi: rated.iaqi,
    primary: aqi > 50 ? entries.filter(([, value]) => value === aqi).map(([p]) => p) : [],
    exceeding: entries.filter(([, value]) => value > 100).map(([p]) => p),
    indicative: rated.indicative,
    aboveScale: rated.aboveScale,
  }
}
