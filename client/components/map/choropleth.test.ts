import { describe, expect, it } from 'vitest'
import type { AirStation, StationReading } from '@shared/schemas/air'
import type { ServiceHall } from '@shared/schemas/city'
import type { HallReading } from '@shared/schemas/halls'
import type { TownTraffic } from '@shared/schemas/traffic'
import type { TownInputs } from './choropleth'
import { choroplethColor, choroplethScale, incidentClasses, niceFloor, NO_DATA_FILL, townValues } from './choropleth'

const station = (id: string, townCode: string): AirStation => ({ id, name: id, townCode, kind: 'town', lng: 113.7, lat: 23 })
const reading = (stationId: string, aqi: number | null): StationReading => ({
  stationId,
  observedAt: '2026-11-23T02:00:00.000Z',
  indicators: { pm25: 30 },
  aqi: { aqi, level: aqi === null ? null : aqi <= 50 ? 1 : 2, iaqi: {}, primary: [], exceeding: [], indicative: false, aboveScale: false },
})
const hall = (id: string, townCode: string): ServiceHall => ({
  id, name: id, level: 'town', townCode, lng: 113.7, lat: 23, approx: true, windows: 10, businessTypes: ['社保'],
  hours: { workday: [[540, 1020]], saturday: [], sunday: [] },
})
const hallReading = (hallId: string, waiting: number, windowsOpen: number): HallReading => ({
  hallId, observedAt: '2026-11-23T02:00:00.000Z', waiting, windowsOpen, windowsBusy: 0, ticketsToday: 0, servedToday: 0, avgWaitMin: 0, maxWaitMin: 0,
  ratingsToday: { verySatisfied: 0, satisfied: 0, basic: 0, dissatisfied: 0, veryDissatisfied: 0 },
  metrics: { waitingPerWindow: windowsOpen ? waiting / windowsOpen : null, utilization: null, ratingsTotal: 0, goodRate: null, badRatings: 0, pressure: null },
})
const towns = [{ code: '441900001' }, { code: '441900002' }, { code: '441900003' }]
const inputs = (over: Partial<TownInputs> = {}): TownInputs => ({
  stations: [], readings: new Map(), traffic: new Map(), tpiByTown: null, halls: [], hallReadings: new Map(), openByTown: null, ...over,
})

describe('town values', () => {
  it('rates a town\'s air by its worst station; towns without a rated reading have none', () => {
    const values = townValues('aqi', towns, inputs({
      stations: [station('a', '441900001'), station('b', '441900001'), station('c', '441900002')],
      readings: new Map([['a', reading('a', 40)], ['b', reading('b', 72)], ['c', reading('c', null)]]),
    }))
    expect(values).toEqual(new Map([['441900001', 72]]))
  })

  it('takes TPI from the traffic stream, and from the KPIs for towns the stream has not reported', () => {
    const traffic = new Map([['441900001', { townCode: '441900001', tpi: 3.2 } as TownTraffic]])
    const values = townValues('tpi', towns, inputs({ traffic, tpiByTown: { 441900001: 9, 441900002: 5.5 } }))
    expect(values).toEqual(new Map([['441900001', 3.2], ['441900002', 5.5]]))
  })

  it('divides a town\'s waiting by its open windows over all its halls; a town with none open has no value', () => {
    const values = townValues('waitingPerWindow', towns, inputs({
      halls: [hall('h1', '441900001'), hall('h2', '441900001'), hall('h3', '441900002')],
      hallReadings: new Map([['h1', hallReading('h1', 30, 2)], ['h2', hallReading('h2', 6, 4)], ['h3', hallReading('h3', 5, 0)]]),
    }))
    expect(values).toEqual(new Map([['441900001', 6]]))
  })

  it('counts no open orders for towns the KPIs leave out, but nothing at all before the first KPI set', () => {
    expect(townValues('openIncidents', towns, inputs({ openByTown: { 441900002: 7, '': 3 } })))
      .toEqual(new Map([['441900001', 0], ['441900002', 7], ['441900003', 0]]))
    expect(townValues('openIncidents', towns, inputs())).toEqual(new Map())
  })
})

describe('choropleth scales', () => {
  it('uses HJ 633\'s six AQI levels, starting at 0, 51, 101, 151, 201, 301', () => {
    const { classes } = choroplethScale('aqi', new Map())
    expect(classes.map(c => c.from)).toEqual([0, 51, 101, 151, 201, 301])
    expect(classes[0]?.color).toBe('#00E400')
  })

  it('uses GB/T 33171\'s grades for TPI, every 2 points', () => {
    expect(choroplethScale('tpi', new Map()).classes.map(c => c.from)).toEqual([0, 2, 4, 6, 8])
  })

  it('puts the queue thresholds (10 warn, 20 critical per window) at class boundaries', () => {
    expect(choroplethScale('waitingPerWindow', new Map()).classes.map(c => c.from)).toEqual([0, 5, 10, 20])
  })

  it('sizes the open-order classes so that the busiest town lands in the top one', () => {
    expect(niceFloor(0.4)).toBe(1)
    expect(niceFloor(17.3)).toBe(10)
    expect(niceFloor(250)).toBe(200)
    expect(niceFloor(730)).toBe(500)
    for (const max of [0, 1, 5, 12, 52, 130, 999, 4000]) {
      const froms = incidentClasses(max).map(c => c.from)
      // Strictly ascending: MapLibre's step expression refuses anything else.
      froms.slice(1).forEach((f, i) => expect(f).toBeGreaterThan(froms[i] as number))
      expect(froms.slice(0, 2)).toEqual([0, 1])
      if (max >= 6)
        expect(max).toBeGreaterThanOrEqual(froms.at(-1) as number)
    }
    expect(incidentClasses(52).map(c => c.from)).toEqual([0, 1, 10, 20, 30])
  })

  it('colours a town by the class its value falls in, and a town without a value as no data', () => {
    const scale = choroplethScale('tpi', new Map())
    const expression = choroplethColor(scale)
    // ['step', value, NO_DATA, 0, c0, 2, c1, …]: below 0 (no value) is the no-data colour.
    expect(expression.slice(2, 5)).toEqual([NO_DATA_FILL, 0, scale.classes[0]?.color])
    expect(expression.slice(5)).toEqual(scale.classes.slice(1).flatMap(c => [c.from, c.color]))
  })
})
