import { describe, expect, it } from 'vitest'
import { AirObservation } from '@shared/schemas/air'
import type { RawBatch } from '@server/feeds/types'
import { validateAirBatch } from './air.ingest'
import { REJECT_RAW_MAX_CHARS, REJECT_REASON_MAX_CHARS } from './validate'

const KNOWN = new Set(['DG-AQ-HUMEN', 'DG-AQ-CHANGAN'])
const NOW = new Date('2026-11-23T02:00:00.000Z')

const indicators = { so2: 8, no2: 35, co: 0.7, o3: 120, o3_8h: 90, pm25: 30, pm10: 48, pm25_24h: 28, pm10_24h: 45 }
const valid = { stationId: 'DG-AQ-HUMEN', observedAt: '2026-11-23T09:00:00+08:00', indicators }
const valid2 = { stationId: 'DG-AQ-CHANGAN', observedAt: '2026-11-23T01:00:00Z', indicators: { pm25: 12 } }
/** What validateAirBatch makes of valid and valid2. */
const accepted = [
  { ...valid, observedAt: '2026-11-23T01:00:00.000Z' },
  { ...valid2, observedAt: '2026-11-23T01:00:00.000Z' },
]

const batch = (records: unknown[]): RawBatch => ({ source: 'test:air', kind: 'air', records })

function deeplyNested(depth: number): unknown {
  let value: unknown = 1
  for (let i = 0; i < depth; i++)
    value = { pm25: value }
  return value
}

const reasonsOf = (record: unknown): string[] =>
  validateAirBatch(batch([record]), KNOWN, NOW).rejections.flatMap(r => r.reasons.map(reason => `${reason.path}:${reason.code}`))

describe('validateAirBatch', () => {
  it('passes valid records, with observedAt normalised to UTC with Z', () => {
    const result = validateAirBatch(batch([valid, valid2]), KNOWN, NOW)
    expect(result.rejections).toEqual([])
    expect(result.observations).toEqual(accepted)
    for (const o of result.observations)
      expect(AirObservation.parse(o)).toEqual(o)
  })

  it('gives nothing for an empty batch', () => {
    expect(validateAirBatch(batch([]), KNOWN, NOW)).toEqual({ observations: [], rejections: [] })
  })

  it('does not change the records it was given', () => {
    const record = structuredClone(valid)
    validateAirBatch(batch([record]), KNOWN, NOW)
    expect(record).toEqual(valid)
  })

  const hugeString = 'x'.repeat(1_000_000)
  const protoRecord: unknown = JSON.parse(`{"__proto__": {"stationId": "DG-AQ-HUMEN"}, "stationId": "DG-AQ-HUMEN", "observedAt": "2026-11-23T01:00:00Z", "indicators": {"pm25": 1}}`)
  const protoIndicators: unknown = JSON.parse(`{"stationId": "DG-AQ-HUMEN", "observedAt": "2026-11-23T01:00:00Z", "indicators": {"pm25": 1, "__proto__": {"pm10": 3}}}`)

  it.each<[string, unknown, string]>([
    ['a negative concentration', { ...valid, indicators: { ...indicators, pm25: -1 } }, 'indicators.pm25:too_small'],
    ['NaN', { ...valid, indicators: { ...indicators, no2: Number.NaN } }, 'indicators.no2:invalid_type'],
    ['Infinity', { ...valid, indicators: { ...indicators, co: Number.POSITIVE_INFINITY } }, 'indicators.co:invalid_type'],
    ['a value sent as a string', { ...valid, indicators: { ...indicators, o3: 'ERR' } }, 'indicators.o3:invalid_type'],
    ['a missing stationId', { ...valid, stationId: undefined }, 'stationId:invalid_type'],
    ['an unknown station', { ...valid, stationId: 'DG-AQ-ATLANTIS' }, 'stationId:unknown_station'],
    ['a timestamp that is not one', { ...valid, observedAt: 'not a time' }, 'observedAt:invalid_format'],
    ['a timestamp without offset', { ...valid, observedAt: '2026-11-23T09:00:00' }, 'observedAt:invalid_format'],
    ['a day that does not exist', { ...valid, observedAt: '2026-02-30T09:00:00Z' }, 'observedAt:invalid_format'],
    ['null', null, '(record):invalid_type'],
    ['a number', 42, '(record):invalid_type'],
    ['an array', [valid], '(record):invalid_type'],
    ['no indicators', { ...valid, indicators: {} }, 'indicators:custom'],
    ['deep nesting', { ...valid, indicators: deeplyNested(100_000) }, 'indicators.pm25:invalid_type'],
    ['a huge string', { ...valid, stationId: hugeString }, 'stationId:too_big'],
    ['a __proto__ key', protoRecord, '(record):unrecognized_keys'],
    ['a __proto__ key among the indicators', protoIndicators, 'indicators:unrecognized_keys'],
  ])('rejects %s with reasons, leaving the valid records of the batch unaffected', (_what, bad, expected) => {
    const result = validateAirBatch(batch([valid, bad, valid2]), KNOWN, NOW)
    expect(result.observations).toEqual(accepted)
    expect(result.rejections).toHaveLength(1)
    const [rejection] = result.rejections
    expect(rejection?.source).toBe('test:air')
    expect(rejection?.receivedAt).toBe(NOW.toISOString())
    expect(rejection?.reasons.map(r => `${r.path}:${r.code}`)).toContain(expected)
    for (const reason of rejection?.reasons ?? [])
      expect(reason.message.length).toBeGreaterThan(0)
    expect(rejection?.raw.length).toBeGreaterThan(0)
    expect(rejection?.raw.length).toBeLessThanOrEqual(REJECT_RAW_MAX_CHARS + 1)
  })

  it('caps the raw copy of a huge record at REJECT_RAW_MAX_CHARS, marked as cut', () => {
    const [rejection] = validateAirBatch(batch([{ ...valid, stationId: hugeString }]), KNOWN, NOW).rejections
    expect(rejection?.raw).toHaveLength(REJECT_RAW_MAX_CHARS + 1)
    expect(rejection?.raw.endsWith('…')).toBe(true)
    expect(rejection?.raw.startsWith('{"stationId":"xxx')).toBe(true)
  })

  it('keeps a raw copy that shows what arrived, NaN included', () => {
    const record = { ...valid, indicators: { ...indicators, no2: Number.NaN } }
    const [rejection] = validateAirBatch(batch([record]), KNOWN, NOW).rejections
    expect(JSON.parse(rejection?.raw ?? '')).toEqual({ ...valid, indicators: { ...indicators, no2: 'NaN' } })
  })

  it('caps each reason of a record with huge unknown keys', () => {
    const record = { ...valid, ['k'.repeat(100_000)]: 1, ['j'.repeat(100_000)]: 2 }
    const [rejection] = validateAirBatch(batch([record]), KNOWN, NOW).rejections
    expect(rejection?.reasons.map(r => `${r.path}:${r.code}`)).toEqual(['(record):unrecognized_keys'])
    for (const reason of rejection?.reasons ?? []) {
      expect(reason.message.length).toBeLessThanOrEqual(REJECT_REASON_MAX_CHARS + 1)
      expect(reason.path.length).toBeLessThanOrEqual(REJECT_REASON_MAX_CHARS + 1)
    }
  })

  it('names every problem of a record, with its path', () => {
    const record = { stationId: '', observedAt: 'x', indicators: { pm25: -3, o3: '1' } }
    expect(reasonsOf(record).sort()).toEqual([
      'indicators.o3:invalid_type',
      'indicators.pm25:too_small',
      'observedAt:invalid_format',
      'stationId:invalid_format',
      'stationId:too_small',
    ])
  })

  it('lets nothing through a __proto__ key, and pollutes no prototype', () => {
    const result = validateAirBatch(batch([protoRecord, protoIndicators]), KNOWN, NOW)
    expect(result.observations).toEqual([])
    expect(result.rejections).toHaveLength(2)
    expect(({} as Record<string, unknown>).stationId).toBeUndefined()
    expect(({} as Record<string, unknown>).pm10).toBeUndefined()
  })

  it('splits a batch of many records, keeping their order', () => {
    const records: unknown[] = []
    for (let i = 0; i < 200; i++) {
      const observedAt = new Date(Date.UTC(2026, 10, 23, 0, i)).toISOString()
      records.push(i % 7 === 3 ? { ...valid, observedAt, indicators: { pm25: -i } } : { ...valid, observedAt, indicators: { pm25: i } })
    }
    const result = validateAirBatch(batch(records), KNOWN, NOW)
    const rejectedAt = Array.from({ length: 200 }, (_, i) => i).filter(i => i % 7 === 3)
    expect(result.rejections).toHaveLength(rejectedAt.length)
    expect(result.observations).toHaveLength(200 - rejectedAt.length)
    expect(result.observations.map(o => o.indicators.pm25)).toEqual(Array.from({ length: 200 }, (_, i) => i).filter(i => i % 7 !== 3))
    expect(result.rejections.map(r => (JSON.parse(r.raw) as { indicators: { pm25: number } }).indicators.pm25)).toEqual(rejectedAt.map(i => -i))
  })
})
