import { describe, expect, it } from 'vitest'
import type { Alert } from '@shared/schemas/alerts'
import { alertFixture } from '@shared/schemas/alerts.fixture'
import type { StationReading } from '@shared/schemas/air'
import type { RoadSegment, Town } from '@shared/schemas/city'
import type { HallReading } from '@shared/schemas/halls'
import type { Incident } from '@shared/schemas/incidents'
import type { SegmentUpdate } from '@shared/schemas/traffic'
import { loadCity } from '@server/city'
import { projector } from '../crs'
import { alertsByTown, AlertWatch, flyTarget } from './alerts-layer'
import { HallsLayer } from './halls-layer'
import { IncidentsLayer } from './incidents-layer'
import { GRADE_LEVEL, RoadsLayer } from './roads-layer'
import { NO_AQI, StationsLayer } from './stations-layer'
import { updateStrategyFrom } from './update-strategy'

const wgs84 = projector(null)
const city = loadCity('dongguan')

describe('the update strategy', () => {
  it('is partial unless the address asks for the naive one', () => {
    expect(updateStrategyFrom('')).toBe('partial')
    expect(updateStrategyFrom('?scene=air&mapUpdate=setData')).toBe('setData')
    expect(updateStrategyFrom('?mapUpdate=whatever')).toBe('partial')
  })
})

describe('road segments', () => {
  const roads: RoadSegment[] = city.roads.slice(0, 4)
  const seg = (i: number, grade: SegmentUpdate[2]): [string, SegmentUpdate] => [roads[i]!.id, [roads[i]!.id, 40, grade]]

  it('keep their static geometry with integer ids (feature-state needs them) and no grade', () => {
    const layer = new RoadsLayer(roads, wgs84)
    expect(layer.initial.features.map(f => f.id)).toEqual([0, 1, 2, 3])
    expect(layer.initial.features[0]?.geometry.coordinates).toEqual(roads[0]?.path)
    expect(layer.initial.features.every(f => f.properties.grade === undefined)).toBe(true)
  })

  it('change only where the grade differs from what was drawn', () => {
    const layer = new RoadsLayer(roads, wgs84)
    expect(layer.diff(new Map([seg(0, 'free'), seg(1, 'severe')]))).toEqual([[0, 1], [1, 5]])
    // The same grades again (a speed changed within its grade): nothing to draw.
    expect(layer.diff(new Map([seg(0, 'free'), seg(1, 'severe')]))).toEqual([])
    expect(layer.diff(new Map([seg(0, 'free'), seg(1, 'moderate'), seg(3, 'light')]))).toEqual([[1, 4], [3, 3]])
    expect(layer.drawnLevel(roads[1]!.id)).toBe(GRADE_LEVEL.moderate)
    // A segment the city model does not have is ignored.
    expect(layer.diff(new Map([['NOPE', ['NOPE', 10, 'severe']]]))).toEqual([])
  })
})

describe('air stations', () => {
  const stations = city.airStations.slice(0, 2)
  const reading = (stationId: string, aqi: number | null, level: 1 | 2 | null): StationReading => ({
    stationId, observedAt: '2026-11-23T02:00:00.000Z', indicators: { pm25: 30 },
    aqi: { aqi, level, iaqi: {}, primary: [], exceeding: [], indicative: false, aboveScale: false },
  })

  it('start with the readings the stores already hold, so the first frame shows values, not —', () => {
    const layer = new StationsLayer(stations, wgs84)
    const data = layer.initial(new Map([[stations[0]!.id, reading(stations[0]!.id, 57, 2)]]))
    expect(data.features.map(f => f.properties.aqi)).toEqual(['57', NO_AQI])
    expect(data.features[0]?.properties.color).toBe('#FFFF00')
    // What the style started with counts as drawn.
    expect(layer.diff(new Map([[stations[0]!.id, reading(stations[0]!.id, 57, 2)]]))).toEqual([])
  })

  it('update the text and colour of the stations whose value changed, by id', () => {
    const layer = new StationsLayer(stations, wgs84)
    layer.initial(new Map())
    const update = layer.diff(new Map([[stations[1]!.id, reading(stations[1]!.id, 42, 1)]]))
    expect(update).toHaveLength(1)
    expect(update[0]?.id).toBe(1)
    expect(update[0]?.addOrUpdateProperties).toContainEqual({ key: 'aqi', value: '42' })
    expect(update[0]?.addOrUpdateProperties).toContainEqual({ key: 'textColor', value: '#0b1526' })
  })
})

describe('service halls', () => {
  const halls = city.halls.slice(0, 2)
  const reading = (hallId: string, waiting: number, windowsOpen: number, pressure: 'warn' | 'critical' | null): HallReading => ({
    hallId, observedAt: '2026-11-23T02:00:00.000Z', waiting, windowsOpen, windowsBusy: 0, ticketsToday: 0, servedToday: 0, avgWaitMin: 0, maxWaitMin: 0,
    ratingsToday: { verySatisfied: 0, satisfied: 0, basic: 0, dissatisfied: 0, veryDissatisfied: 0 },
    metrics: { waitingPerWindow: null, utilization: null, ratingsTotal: 0, goodRate: null, badRatings: 0, pressure },
  })

  it('carry their queue as state: size by waiting, ring by pressure, closed when no window is open', () => {
    const layer = new HallsLayer(halls, wgs84)
    const first = layer.diff(new Map([[halls[0]!.id, reading(halls[0]!.id, 25, 2, 'critical')], [halls[1]!.id, reading(halls[1]!.id, 0, 0, null)]]))
    expect(first).toEqual([[0, { waiting: 25, pressure: 2, open: 1 }], [1, { waiting: 0, pressure: 0, open: 0 }]])
    expect(layer.diff(new Map([[halls[0]!.id, reading(halls[0]!.id, 25, 2, 'critical')]]))).toEqual([])
    expect(layer.diff(new Map([[halls[0]!.id, reading(halls[0]!.id, 12, 2, 'warn')]]))).toEqual([[0, { waiting: 12, pressure: 1, open: 1 }]])
  })
})

describe('12345 incidents', () => {
  const towns: Town[] = city.towns
  const town = towns[0]!
  const incident = (id: string, over: Partial<Incident> = {}): Incident => ({
    id, source: 'sim', ticketNo: id, version: '2026-11-23T02:00:00.000Z', reportedAt: '2026-11-23T01:00:00.000Z',
    nature: 'complaint', topic: 'environment', urgency: 'normal', status: 'open', title: id, description: '',
    townCode: town.code, departmentId: 'env', dueAt: '2026-11-25T01:00:00.000Z', receivedAt: '2026-11-23T01:00:00.000Z', updatedAt: '2026-11-23T02:00:00.000Z',
    ...over,
  })
  const now = Date.parse('2026-11-24T00:00:00.000Z')

  it('add, update and remove by id, each only when it changed', () => {
    const layer = new IncidentsLayer(towns, wgs84)
    const a = incident('a', { location: { lng: 113.8, lat: 23.0 } })
    const b = incident('b')
    const added = layer.diff(new Map([['a', a], ['b', b]]), now)
    expect(added.add?.map(f => [f.id, f.properties])).toEqual([
      [1, { id: 'a', open: 1, urgent: 0, overdue: 0, approx: 0 }],
      // No location: at its town's centre.
      [2, { id: 'b', open: 1, urgent: 0, overdue: 0, approx: 1 }],
    ])
    expect(added.add?.[1]?.geometry).toEqual({ type: 'Point', coordinates: [town.lng, town.lat] })
    expect(layer.diff(new Map([['a', a], ['b', b]]), now)).toEqual({})

    const closed = { ...a, status: 'closed' as const, version: '2026-11-23T03:00:00.000Z' }
    const next = layer.diff(new Map([['a', closed]]), now)
    expect(next.remove).toEqual([2])
    expect(next.update?.map(u => u.id)).toEqual([1])
    expect(next.update?.[0]?.addOrUpdateProperties).toContainEqual({ key: 'open', value: 0 })
    // Never removeAllProperties: MapLibre 6.17 then drops the point from its cluster's sums.
    expect(next.update?.[0]?.removeAllProperties).toBeUndefined()
    expect(layer.size).toBe(1)
  })

  it('turn overdue when the server\'s clock passes their deadline, with no new version', () => {
    const layer = new IncidentsLayer(towns, wgs84)
    const a = incident('a')
    layer.diff(new Map([['a', a]]), now)
    const later = layer.diff(new Map([['a', a]]), Date.parse('2026-11-26T00:00:00.000Z'))
    expect(later.update?.[0]?.addOrUpdateProperties).toContainEqual({ key: 'overdue', value: 1 })
  })

  it('leave out an incident with neither a location nor a town', () => {
    const layer = new IncidentsLayer(towns, wgs84)
    expect(layer.diff(new Map([['x', incident('x', { townCode: null })]]), now)).toEqual({})
  })
})

describe('alerts', () => {
  const alert = (id: string, severity: Alert['severity'], townCode: string | null = '441900006', status: Alert['status'] = 'firing'): Alert =>
    alertFixture({ id, severity, status, townCode })
  const held = (...alerts: Alert[]): Map<string, Alert> => new Map(alerts.map(a => [a.id, a]))

  it('take the first state as known (no flight), then report only alerts not seen before', () => {
    const watch = new AlertWatch()
    expect(watch.started).toBe(false)
    expect(watch.raised(held(alert('old', 'critical')))).toEqual([])
    expect(watch.started).toBe(true)
    const raised = watch.raised(held(alert('old', 'critical'), alert('w', 'warning'), alert('c', 'critical')))
    expect(raised.map(a => a.id)).toEqual(['c', 'w'])
    expect(flyTarget(raised)?.id).toBe('c')
    expect(watch.raised(held(alert('old', 'critical'), alert('w', 'warning'), alert('c', 'critical')))).toEqual([])
  })

  it('fly only to a firing critical one', () => {
    expect(flyTarget([alert('a', 'critical', null, 'acknowledged'), alert('b', 'major')])).toBeUndefined()
  })

  it('group by town, the most severe first, those without a town at the city\'s centre', () => {
    const groups = alertsByTown([alert('1', 'warning', 'A'), alert('2', 'critical', 'A'), alert('3', 'major', null)])
    expect(groups.map(g => [g.townCode, g.worst.id, g.count])).toEqual([['A', '2', 2], ['', '3', 1]])
  })
})
