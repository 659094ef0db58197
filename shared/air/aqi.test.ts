import { describe, expect, it } from 'vitest'
import type { AirIndicators } from '../schemas/air'
import { computeAqi, iaqiFromTable } from './aqi'
import { BREAKPOINTS } from './breakpoints'
import { aqiLevel } from './levels'

/**
 * HJ 633-2012 表1, written out again here from ../shared/docs/domain.md §1.1
 * so that the calculator's own table is checked against an independent copy.
 * Each row: the indicator fed in, then the concentration at IAQI 0, 50, 100, …
 */
const IAQI = [0, 50, 100, 150, 200, 300, 400, 500]
const TABLE_1: [label: string, input: (c: number) => AirIndicators, concentrations: number[]][] = [
  ['SO2 24h', c => ({ so2_24h: c }), [0, 50, 150, 475, 800, 1600, 2100, 2620]],
  ['SO2 1h', c => ({ so2: c }), [0, 150, 500, 650, 800]],
  ['NO2 24h', c => ({ no2_24h: c }), [0, 40, 80, 180, 280, 565, 750, 940]],
  ['NO2 1h', c => ({ no2: c }), [0, 100, 200, 700, 1200, 2340, 3090, 3840]],
  ['PM10 24h', c => ({ pm10_24h: c }), [0, 50, 150, 250, 350, 420, 500, 600]],
  ['CO 24h', c => ({ co_24h: c }), [0, 2, 4, 14, 24, 36, 48, 60]],
  ['CO 1h', c => ({ co: c }), [0, 5, 10, 35, 60, 90, 120, 150]],
  ['O3 1h', c => ({ o3: c }), [0, 160, 200, 300, 400, 800, 1000, 1200]],
  ['O3 8h', c => ({ o3_8h: c }), [0, 100, 160, 215, 265, 800]],
  ['PM2.5 24h', c => ({ pm25_24h: c }), [0, 35, 75, 115, 150, 250, 350, 500]],
]

const aqiOf = (indicators: AirIndicators): number | null => computeAqi(indicators).aqi

describe('computeAqi at the breakpoints of HJ 633-2012 表1', () => {
  for (const [label, input, concentrations] of TABLE_1) {
    describe(label, () => {
      concentrations.forEach((c, i) => {
        const expected = IAQI[i] as number
        it(`C = ${c} gives IAQI ${expected}`, () => {
          expect(aqiOf(input(c))).toBe(expected)
        })
        const next = concentrations[i + 1]
        if (next === undefined)
          return
        // Half an IAQI step either side of the breakpoint shows the rounding: always up.
        const halfStep = ((next - c) / ((IAQI[i + 1] as number) - expected)) / 2
        it(`just above ${c} rounds up to ${expected + 1}`, () => {
          expect(aqiOf(input(c + halfStep))).toBe(expected + 1)
        })
        it(`the midpoint of ${c}–${next} interpolates linearly`, () => {
          expect(aqiOf(input((c + next) / 2))).toBe(Math.ceil((expected + (IAQI[i + 1] as number)) / 2))
        })
      })
    })
  }

  it('has the same tables as the calculator', () => {
    for (const key of Object.keys(BREAKPOINTS) as (keyof typeof BREAKPOINTS)[])
      expect(BREAKPOINTS[key].every(([, iaqi], i) => iaqi === IAQI[i])).toBe(true)
  })
})

describe('the worked examples of domain.md §1.2', () => {
  it('PM2.5 = 80 µg/m³ gives 106.25, rounded up to 107', () => {
    expect(aqiOf({ pm25_24h: 80 })).toBe(107)
  })
  it('O3 8h = 170 µg/m³ gives 109.1, rounded up to 110', () => {
    expect(aqiOf({ o3_8h: 170 })).toBe(110)
  })
  it('PM2.5 = 35 µg/m³ gives exactly 50', () => {
    expect(aqiOf({ pm25_24h: 35 })).toBe(50)
  })
})

describe('values past the tables', () => {
  it('caps PM2.5 above 500 at IAQI 500 and says so', () => {
    const r = computeAqi({ pm25_24h: 650 })
    expect(r.aqi).toBe(500)
    expect(r.aboveScale).toBe(true)
    expect(r.level).toBe(6)
  })
  it('is not above scale inside the table', () => {
    expect(computeAqi({ pm25_24h: 500 }).aboveScale).toBe(false)
  })
  it('rates SO2 from its 24h average when the 1h value is above 800', () => {
    const r = computeAqi({ so2: 900, so2_24h: 100 })
    expect(r.iaqi.so2).toBe(75)
  })
  it('keeps SO2 1h above 800 at IAQI 200 when there is no 24h average', () => {
    const r = computeAqi({ so2: 900, pm25_24h: 10 })
    expect(r.iaqi.so2).toBe(200)
    expect(r.aboveScale).toBe(true)
  })
  it('does not rate O3 8h above 800 and uses the 1h value instead', () => {
    const r = computeAqi({ o3: 500, o3_8h: 900 })
    expect(r.iaqi.o3_8h).toBeUndefined()
    expect(r.iaqi.o3_1h).toBe(225)
    expect(r.aqi).toBe(225)
  })
  it('rejects negative or missing concentrations in the table look-up', () => {
    expect(() => iaqiFromTable(BREAKPOINTS.pm25_24h, -1)).toThrow(RangeError)
    expect(() => iaqiFromTable(BREAKPOINTS.pm25_24h, Number.NaN)).toThrow(RangeError)
  })
})

describe('primary and exceeding pollutants, levels', () => {
  it('names no primary pollutant at AQI ≤ 50', () => {
    const r = computeAqi({ pm25_24h: 35, o3_8h: 100 })
    expect(r.aqi).toBe(50)
    expect(r.primary).toEqual([])
  })
  it('names the pollutant with the largest IAQI above 50', () => {
    const r = computeAqi({ pm25_24h: 80, o3_8h: 120, no2: 40 })
    expect(r.aqi).toBe(107)
    expect(r.primary).toEqual(['pm25'])
    expect(r.exceeding).toEqual(['pm25'])
  })
  it('names every pollutant tied for the largest IAQI', () => {
    const r = computeAqi({ pm25_24h: 75, pm10_24h: 150 })
    expect(r.aqi).toBe(100)
    expect(r.primary.sort()).toEqual(['pm10', 'pm25'])
    expect(r.exceeding).toEqual([])
  })
  it('prefers the PM 24h sliding average and marks 1h-only PM as indicative', () => {
    expect(computeAqi({ pm25: 200, pm25_24h: 80 }).aqi).toBe(107)
    expect(computeAqi({ pm25: 80 })).toMatchObject({ aqi: 107, indicative: true })
    expect(computeAqi({ pm25: 80, pm25_24h: 80 }).indicative).toBe(false)
  })
  it('rates O3 by the larger of its 1h and 8h IAQI', () => {
    const r = computeAqi({ o3: 180, o3_8h: 170 })
    expect(r.iaqi).toMatchObject({ o3_1h: 75, o3_8h: 110 })
    expect(r.primary).toEqual(['o3_8h'])
  })
  it('gives null when nothing can be rated', () => {
    expect(computeAqi({})).toMatchObject({ aqi: null, level: null, primary: [] })
  })
  it.each([
    [0, '优'], [50, '优'], [51, '良'], [100, '良'], [101, '轻度污染'], [150, '轻度污染'],
    [151, '中度污染'], [200, '中度污染'], [201, '重度污染'], [300, '重度污染'], [301, '严重污染'], [500, '严重污染'],
  ])('AQI %i is %s', (aqi, name) => {
    expect(aqiLevel(aqi).zh).toBe(name)
  })
  it('uses the colours of 表2', () => {
    expect([25, 75, 125, 175, 250, 400].map(a => aqiLevel(a).color)).toEqual(['#00E400', '#FFFF00', '#FF7E00', '#FF0000', '#99004C', '#7E0023'])
  })
})
