import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { AirObservation } from '@shared/schemas/air'
import { TrafficObservation } from '@shared/schemas/traffic'
import { decodeNgsiEntities, decodeNgsiEntity } from './ngsi'
import { instant } from './ngsi-attrs'
import { decodeText } from './payload'

const FIWARE = new URL('../fixtures/fiware/', import.meta.url)
const text = (path: string): string => readFileSync(new URL(path, FIWARE), 'utf8')
type Json = Record<string, unknown>
const fixture = (path: string): Json => JSON.parse(text(path)) as Json
/** A fixture's value at a path of keys. */
function at(value: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Json)[k] : undefined), value)
}

const MADRID = { lng: -3.712247222222222, lat: 40.423852777777775 }
const stripUrn = (id: string): string => id.replace(/^urn:ngsi-ld:[^:]+:/, '')
/** The end of an interval, or the instant, read as UTC as the data model defines it. */
const utcEnd = (value: string): string => {
  const end = value.split('/').at(-1) ?? value
  return /Z|[+-]\d\d:\d\d$/.test(end) ? end : `${end}Z`
}

function decodeOk(entity: unknown): { kind: string, record: Json, location?: unknown } {
  const result = decodeNgsiEntity(entity, 'WGS84')
  if (!result.ok)
    throw new Error(`expected a record, got ${JSON.stringify(result.reasons)}`)
  return result
}

describe('AirQualityObserved fixtures (smart-data-models/dataModel.Environment)', () => {
  it('NGSI-v2 key-values (example.json): values without unitCode are taken in our units', () => {
    const fx = fixture('AirQualityObserved/example.json')
    const { kind, record, location } = decodeOk(fx)
    expect(kind).toBe('air')
    expect(record.stationId).toBe(at(fx, 'refPointOfInterest'))
    expect(record.observedAt).toBe(utcEnd(at(fx, 'dateObserved') as string))
    expect(record.observedAt).toBe('2016-03-15T12:00:00Z')
    // This example has co and so2, and co2 (not an indicator) but no no2.
    expect(record.indicators).toEqual({ co: at(fx, 'co'), so2: at(fx, 'so2') })
    expect(location).toEqual(MADRID)
    expect(AirObservation.safeParse(record).success).toBe(true)
  })

  it('NGSI-v2 normalized (example-normalized.json): metadata.unitCode GP and GQ', () => {
    const fx = fixture('AirQualityObserved/example-normalized.json')
    const { record, location } = decodeOk(fx)
    expect(at(fx, 'co', 'metadata', 'unitCode', 'value')).toBe('GP')
    expect(record.stationId).toBe(at(fx, 'refPointOfInterest', 'value'))
    expect(record.observedAt).toBe(`${at(fx, 'dateObserved', 'value') as string}Z`)
    // CO in mg/m³ (GP) is our unit; the GQ gases are µg/m³, ours too.
    expect(record.indicators).toEqual({ co: at(fx, 'co', 'value'), no2: at(fx, 'no2', 'value'), so2: at(fx, 'so2', 'value') })
    expect(location).toEqual(MADRID)
    expect(AirObservation.safeParse(record).success).toBe(true)
  })

  it('NGSI-LD key-values (example.jsonld): the URN prefix of the station reference is dropped', () => {
    const fx = fixture('AirQualityObserved/example.jsonld')
    const { record, location } = decodeOk(fx)
    expect(at(fx, 'refPointOfInterest')).toMatch(/^urn:ngsi-ld:PointOfInterest:/)
    expect(record.stationId).toBe(stripUrn(at(fx, 'refPointOfInterest') as string))
    expect(record.stationId).toBe('28079004-Pza.deEspanya')
    expect(record.observedAt).toBe(`${at(fx, 'dateObserved') as string}Z`)
    expect(record.indicators).toEqual({ co: at(fx, 'co'), no2: at(fx, 'no2'), so2: at(fx, 'so2') })
    expect(location).toEqual(MADRID)
    expect(AirObservation.safeParse(record).success).toBe(true)
  })

  it('NGSI-LD (example-normalized.jsonld, stored as key-values with the older formula names)', () => {
    const fx = fixture('AirQualityObserved/example-normalized.jsonld')
    const { record } = decodeOk(fx)
    expect(record.stationId).toBe(stripUrn(at(fx, 'refPointOfInterest') as string))
    expect(record.observedAt).toBe(utcEnd(at(fx, 'dateObserved') as string))
    expect(record.indicators).toEqual({ co: at(fx, 'CO'), no2: at(fx, 'NO2'), so2: at(fx, 'SO2') })
    expect(AirObservation.safeParse(record).success).toBe(true)
  })

  it('NGSI-LD normalized (example-normalized-ld.jsonld): Property/unitCode, Relationship/object, GeoProperty', () => {
    const fx = fixture('AirQualityObserved/example-normalized-ld.jsonld')
    const { record, location } = decodeOk(fx)
    expect(at(fx, 'refPointOfInterest', 'type')).toBe('Relationship')
    expect(record.stationId).toBe(stripUrn(at(fx, 'refPointOfInterest', 'object') as string))
    expect(record.observedAt).toBe(utcEnd(at(fx, 'dateObserved', 'value') as string))
    expect(at(fx, 'CO', 'unitCode')).toBe('GP')
    expect(record.indicators).toEqual({ co: at(fx, 'CO', 'value'), no2: at(fx, 'NO2', 'value'), so2: at(fx, 'SO2', 'value') })
    expect(location).toEqual(MADRID)
    expect(AirObservation.safeParse(record).success).toBe(true)
  })
})

describe('TrafficFlowObserved fixtures (smart-data-models/dataModel.Transportation)', () => {
  const forms = [
    ['example.json', (fx: Json, name: string) => at(fx, name)],
    ['example-normalized.json', (fx: Json, name: string) => at(fx, name, 'value')],
    ['example.jsonld', (fx: Json, name: string) => at(fx, name, 'value', '@value') ?? at(fx, name, 'value')],
    ['example-normalized.jsonld', (fx: Json, name: string) => at(fx, name, 'value', '@value') ?? at(fx, name, 'value')],
  ] as const
  for (const [file, field] of forms) {
    it(`${file}`, () => {
      const fx = fixture(`TrafficFlowObserved/${file}`)
      const { kind, record, location } = decodeOk(fx)
      expect(kind).toBe('traffic')
      expect(record).toEqual({
        segmentId: stripUrn(at(fx, 'id') as string),
        observedAt: field(fx, 'dateObservedTo'),
        speedKmh: field(fx, 'averageVehicleSpeed'),
        volume: field(fx, 'intensity'),
        occupancy: field(fx, 'occupancy'),
      })
      expect(record).toMatchObject({ segmentId: 'TrafficFlowObserved-Valladolid-osm-60821110', observedAt: '2016-12-07T11:15:00Z', speedKmh: 52.6, volume: 197, occupancy: 0.76 })
      // A road's LineString has no single position.
      expect(location).toBeUndefined()
      expect(TrafficObservation.safeParse(record).success).toBe(true)
    })
  }

  it('a published example that is not JSON (Python False) is one parse reject', () => {
    const decoded = decodeText(text('TrafficFlowObserved/example.10c8edb.jsonld'), { format: 'ngsi-ld', crs: 'WGS84' })
    expect(decoded.batches.size).toBe(0)
    expect(decoded.rejects).toHaveLength(1)
    expect(decoded.rejects[0]).toMatchObject({ code: 'parse' })
  })
})

describe('units, references and times', () => {
  const air = (attrs: Json): Json => ({ id: 'urn:ngsi-ld:AirQualityObserved:a1', type: 'AirQualityObserved', dateObserved: '2024-05-01T10:00:00+08:00', ...attrs })

  it('converts µg/m³ CO to mg/m³ and mg/m³ gases to µg/m³', () => {
    const { record } = decodeOk(air({ co: { type: 'Property', value: 600, unitCode: 'GQ' }, pm25: { type: 'Property', value: 0.035, unitCode: 'GP' }, o3: { value: 0.7, metadata: { unitCode: { value: 'GP' } } } }))
    expect(record.indicators).toEqual({ co: 0.6, pm25: 35, o3: 700 })
    expect(record.observedAt).toBe('2024-05-01T10:00:00+08:00')
  })

  it('refuses an entity whose unit it cannot convert, naming the attribute', () => {
    const result = decodeNgsiEntity(air({ co: { type: 'Property', value: 0.5, unitCode: '59' }, no2: 20 }), 'WGS84')
    expect(result).toMatchObject({ ok: false, kind: 'air', code: 'unsupported' })
    expect(!result.ok && result.reasons[0]?.path).toBe('co.unitCode')
  })

  it('leaves a missing or non-numeric value for validation to refuse with its path', () => {
    const { record } = decodeOk({ id: 'seg-1', type: 'TrafficFlowObserved', dateObserved: '2024-05-01T10:00:00Z', intensity: 12 })
    expect(record).not.toHaveProperty('speedKmh')
    const parsed = TrafficObservation.safeParse(record)
    expect(parsed.success ? [] : parsed.error.issues.map(i => i.path.join('.'))).toEqual(['speedKmh'])
    const { record: bad } = decodeOk(air({ pm10: 'n/a' }))
    const badParse = AirObservation.safeParse(bad)
    expect(badParse.success ? [] : badParse.error.issues.map(i => i.path.join('.'))).toEqual(['indicators.pm10'])
  })

  it('takes the station from refPointOfInterest, else refDevice, else the entity id', () => {
    expect(decodeOk(air({ no2: 1, refDevice: 'urn:ngsi-ld:Device:dev-9' })).record.stationId).toBe('dev-9')
    expect(decodeOk(air({ no2: 1, refDevice: ['urn:ngsi-ld:Device:d1', 'urn:ngsi-ld:Device:d2'] })).record.stationId).toBe('d1')
    expect(decodeOk(air({ no2: 1 })).record.stationId).toBe('a1')
    expect(decodeOk({ id: 'x', type: 'TrafficFlowObserved', refRoadSegment: { type: 'Relationship', object: 'urn:ngsi-ld:RoadSegment:G4-12' }, dateObserved: '2024-05-01T10:00:00Z', averageVehicleSpeed: 40 }).record.segmentId).toBe('G4-12')
  })

  it('reads attributes sent as full URIs when the broker had no @context for them', () => {
    const base = 'https://smartdatamodels.org/dataModel.Environment/'
    const { kind, record } = decodeOk({
      'id': 'urn:ngsi-ld:AirQualityObserved:dg-1',
      'type': `${base}AirQualityObserved`,
      [`${base}pm25`]: { type: 'Property', value: 41, unitCode: 'GQ' },
      'https://smartdatamodels.org/dateObserved': { type: 'Property', value: { '@type': 'DateTime', '@value': '2024-05-01T02:00:00Z' } },
    })
    expect(kind).toBe('air')
    expect(record).toEqual({ stationId: 'dg-1', observedAt: '2024-05-01T02:00:00Z', indicators: { pm25: 41 } })
  })

  it('converts a GCJ-02 station location to WGS-84', () => {
    const result = decodeNgsiEntity(air({ no2: 1, location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [113.7552, 23.0173] } } }), 'GCJ02')
    expect(result.ok && result.location?.lng).toBeCloseTo(113.75, 3)
    expect(result.ok && result.location?.lat).toBeCloseTo(23.02, 3)
  })

  it('reads ISO intervals by their end, and offset-less times as UTC', () => {
    expect(instant('2024-05-01T10:00:00Z/PT1H')).toBe('2024-05-01T11:00:00.000Z')
    expect(instant('PT5M/2024-05-01T10:05:00+08:00')).toBe('2024-05-01T10:05:00+08:00')
    expect(instant('2024-05-01T10:00:00.5')).toBe('2024-05-01T10:00:00.5Z')
    expect(instant('yesterday')).toBe('yesterday')
    expect(instant(42)).toBe(42)
  })
})

describe(decodeNgsiEntities.name, () => {
  it('groups by kind and dead-letters unsupported and malformed entities with reasons', () => {
    const decoded = decodeNgsiEntities([
      fixture('AirQualityObserved/example.json'),
      { id: 'p1', type: 'OffStreetParking', availableSpotNumber: 3 },
      fixture('TrafficFlowObserved/example.json'),
      'not an entity',
      { id: 'no-type' },
    ], 'WGS84')
    expect([...decoded.batches.keys()]).toEqual(['air', 'traffic'])
    expect(decoded.rejects.map(r => [r.code, r.reasons[0]?.path])).toEqual([['unsupported', 'type'], ['schema', '(entity)'], ['schema', 'type']])
    expect(decoded.rejects[0]?.reasons[0]?.message).toContain('OffStreetParking')
  })
})
