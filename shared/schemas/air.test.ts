import { describe, expect, it } from 'vitest'
import { AirObservation } from './air'

const valid = {
  stationId: 'DG-AQ-HUMEN',
  observedAt: '2026-11-23T09:00:00+08:00',
  indicators: { so2: 8, no2: 35, co: 0.7, o3: 120, o3_8h: 90, pm25: 30, pm10: 48, pm25_24h: 28, pm10_24h: 45 },
}

function issuesOf(record: unknown): string[] {
  const result = AirObservation.safeParse(record)
  return result.success ? [] : result.error.issues.map(i => `${i.path.join('.')}:${i.code}`)
}

describe('AirObservation', () => {
  it('accepts a full real-time report record', () => {
    expect(AirObservation.parse(valid)).toEqual(valid)
  })

  it.each([
    ['a negative concentration', { ...valid, indicators: { ...valid.indicators, pm25: -1 } }, 'indicators.pm25:too_small'],
    ['NaN', { ...valid, indicators: { ...valid.indicators, no2: Number.NaN } }, 'indicators.no2:invalid_type'],
    ['Infinity', { ...valid, indicators: { ...valid.indicators, co: Number.POSITIVE_INFINITY } }, 'indicators.co:invalid_type'],
    ['a number sent as text', { ...valid, indicators: { ...valid.indicators, o3: '120' } }, 'indicators.o3:invalid_type'],
    ['an absurd concentration', { ...valid, indicators: { ...valid.indicators, pm10: 1e9 } }, 'indicators.pm10:too_big'],
    ['an unknown indicator', { ...valid, indicators: { ...valid.indicators, pm1: 3 } }, 'indicators:unrecognized_keys'],
    ['no indicator at all', { ...valid, indicators: {} }, 'indicators:custom'],
    ['a missing station', { ...valid, stationId: undefined }, 'stationId:invalid_type'],
    ['a station id with markup', { ...valid, stationId: '<script>' }, 'stationId:invalid_format'],
    ['a time without offset', { ...valid, observedAt: '2026-11-23 09:00' }, 'observedAt:invalid_format'],
    ['a time that is not a time', { ...valid, observedAt: 'yesterday' }, 'observedAt:invalid_format'],
    ['an extra top-level key', { ...valid, __proto__x: 1 }, ':unrecognized_keys'],
  ])('rejects %s with its path and code', (_what, record, expected) => {
    expect(issuesOf(record)).toContain(expected)
  })

  it('rejects what is not an object', () => {
    for (const record of [null, 42, 'text', [valid]])
      expect(AirObservation.safeParse(record).success).toBe(false)
  })
})
