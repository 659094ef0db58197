import { describe, expect, it } from 'vitest'
import { IncidentReport } from '@shared/schemas/incidents'
import { classifyService, mapServiceRequest } from './open311'

/** Shaped like a GeoReport v2 GET /requests.json item. */
const REQUEST = {
  service_request_id: 638344,
  status: 'open',
  status_notes: null,
  service_name: '噪声扰民投诉',
  service_code: 'TS-0101',
  description: '南城街道某工地夜间施工，噪音持续到凌晨两点，严重影响附近居民休息，请尽快处理。',
  agency_responsible: '东莞市生态环境局南城分局',
  service_notice: null,
  requested_datetime: '2024-05-01T22:15:00+08:00',
  updated_datetime: '2024-05-02T08:30:00+08:00',
  expected_datetime: '2024-05-16T22:15:00+08:00',
  address: '南城街道宏图路 88 号',
  address_id: null,
  zipcode: '523000',
  lat: 23.0173,
  long: 113.7552,
  media_url: null,
}

function mapped(request: unknown, crs: 'WGS84' | 'GCJ02' = 'WGS84', services = {}): Record<string, unknown> {
  const result = mapServiceRequest(request, { crs, services })
  if (!result.ok)
    throw new Error(JSON.stringify(result.reasons))
  return result.record
}

describe(mapServiceRequest.name, () => {
  it('maps every GeoReport field it has a place for', () => {
    const record = mapped(REQUEST)
    expect(record).toMatchObject({
      ticketNo: '638344',
      version: REQUEST.updated_datetime,
      reportedAt: REQUEST.requested_datetime,
      nature: 'complaint',
      topic: 'environment',
      status: 'open',
      description: REQUEST.description,
      address: REQUEST.address,
      agency: REQUEST.agency_responsible,
      location: { lng: REQUEST.long, lat: REQUEST.lat },
    })
    expect(record.title).toMatch(/^噪声扰民投诉 — 南城街道某工地夜间施工/)
    expect((record.title as string).length).toBeLessThan(70)
    expect(IncidentReport.safeParse(record).success).toBe(true)
  })

  it('converts a GCJ-02 position to WGS-84', () => {
    const { location } = mapped(REQUEST, 'GCJ02') as { location: { lng: number, lat: number } }
    expect(location.lng).toBeCloseTo(113.75, 3)
    expect(location.lat).toBeCloseTo(23.02, 3)
  })

  it('uses requested_datetime as the version when never updated, and omits what is missing', () => {
    const { updated_datetime: _u, lat: _lat, address: _a, agency_responsible: _ag, ...rest } = REQUEST
    const record = mapped({ ...rest, status: 'Closed', service_request_id: 'DG-2024-1' })
    expect(record.version).toBe(REQUEST.requested_datetime)
    expect(record.status).toBe('closed')
    expect(record.ticketNo).toBe('DG-2024-1')
    expect(record).not.toHaveProperty('location')
    expect(record).not.toHaveProperty('address')
    expect(record).not.toHaveProperty('agency')
  })

  it('does not invent a ticket number or a time: validation refuses with the path', () => {
    const { service_request_id: _id, requested_datetime: _r, updated_datetime: _u, ...rest } = REQUEST
    const parsed = IncidentReport.safeParse(mapped(rest))
    expect(parsed.success ? [] : parsed.error.issues.map(i => i.path.join('.')).sort()).toEqual(['reportedAt', 'ticketNo', 'version'])
  })

  it('cuts long texts to the schema instead of losing the incident', () => {
    const record = mapped({ ...REQUEST, description: '长'.repeat(5000), address: '址'.repeat(300) })
    expect((record.description as string).length).toBe(4000)
    expect((record.address as string).length).toBe(200)
    expect(IncidentReport.safeParse(record).success).toBe(true)
  })

  it('refuses what is not a service request object', () => {
    expect(mapServiceRequest('x', { crs: 'WGS84', services: {} }).ok).toBe(false)
    expect(mapServiceRequest([REQUEST], { crs: 'WGS84', services: {} }).ok).toBe(false)
  })
})

describe(classifyService.name, () => {
  it('prefers the configured service table', () => {
    expect(classifyService('TS-0101', '噪声扰民投诉', { 'TS-0101': { nature: 'report', topic: 'public-security' } })).toEqual({ nature: 'report', topic: 'public-security' })
  })

  it('finds nature and topic keywords in the name and code', () => {
    expect(classifyService('ZX-01', '供水咨询', {})).toEqual({ nature: 'consult', topic: 'utilities' })
    expect(classifyService('JB', '违建举报', {})).toEqual({ nature: 'report', topic: 'city-management' })
    expect(classifyService('x', '公交线路建议', {})).toEqual({ nature: 'suggestion', topic: 'transport' })
    expect(classifyService('x', '油烟扰民', {})).toEqual({ nature: 'help', topic: 'environment' })
    expect(classifyService('x', 'Noise complaint', {})).toEqual({ nature: 'complaint', topic: 'environment' })
  })

  it('falls back to help / local', () => {
    expect(classifyService('misc', '其他', {})).toEqual({ nature: 'help', topic: 'local' })
  })
})
