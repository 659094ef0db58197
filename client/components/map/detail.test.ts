import { describe, expect, it } from 'vitest'
import { HistoryQuery } from '@shared/schemas/history'
import { LAYER } from './city-style'
import { historyMetric, historyQuery, selectionOf } from './detail'
import { historySeries } from './detail-chart.option'

const index = { segments: [{ id: 'S0' }, { id: 'S1' }], towns: [{ code: '441900006' }], halls: [{ id: 'H0' }] }

describe('what a click selects', () => {
  it('names the entity behind each clickable layer', () => {
    expect(selectionOf({ layer: LAYER.stations, id: 3, properties: { id: 'DG-AQ-X' } }, index)).toEqual({ kind: 'station', id: 'DG-AQ-X' })
    expect(selectionOf({ layer: LAYER.roads, id: 1, properties: { w: 1 } }, index)).toEqual({ kind: 'segment', id: 'S1' })
    expect(selectionOf({ layer: LAYER.halls, id: 0, properties: {} }, index)).toEqual({ kind: 'hall', id: 'H0' })
    expect(selectionOf({ layer: LAYER.townFill, id: 0, properties: {} }, index)).toEqual({ kind: 'town', id: '441900006' })
    expect(selectionOf({ layer: LAYER.incidentPoints, id: 7, properties: { id: 'sim:1' } }, index)).toEqual({ kind: 'incident', id: 'sim:1' })
    expect(selectionOf({ layer: LAYER.incidentClusters, id: 9, properties: { cluster: true } }, index)).toBeNull()
    expect(selectionOf({ layer: LAYER.roads, id: 5, properties: {} }, index)).toBeNull()
  })
})

describe('a detail\'s history', () => {
  it('asks for a metric the server keeps for that kind of entity', () => {
    expect(historyMetric({ kind: 'station', id: 'x' })).toBe('air.aqi')
    expect(historyMetric({ kind: 'segment', id: 'x' })).toBe('traffic.speedKmh')
    expect(historyMetric({ kind: 'hall', id: 'x' })).toBe('hall.waiting')
    expect(historyMetric({ kind: 'town', id: 'x' })).toBe('traffic.tpi')
    expect(historyMetric({ kind: 'incident', id: 'x' })).toBeNull()
  })

  it('covers the day before the server\'s clock in 10-minute buckets, a query the server accepts', () => {
    const end = Date.parse('2026-11-23T02:00:00.000Z')
    const params = Object.fromEntries(new URLSearchParams(historyQuery('air.aqi', 'DG-AQ-X', end)))
    expect(params).toMatchObject({ metric: 'air.aqi', entity: 'DG-AQ-X', from: '2026-11-22T02:00:00.000Z', resolution: 'minute', step: '10' })
    expect(HistoryQuery.safeParse(params).success).toBe(true)
  })

  it('breaks the line where buckets are missing', () => {
    const row = (t: string, mean: number) => ({ t, n: 1, mean, min: mean, max: mean })
    expect(historySeries([row('2026-11-23T00:00:00.000Z', 41.4), row('2026-11-23T00:10:00.000Z', 42.6), row('2026-11-23T01:00:00.000Z', 40)], 0)).toEqual([
      [Date.parse('2026-11-23T00:00:00.000Z'), 41],
      [Date.parse('2026-11-23T00:10:00.000Z'), 43],
      [Date.parse('2026-11-23T00:20:00.000Z'), null],
      [Date.parse('2026-11-23T01:00:00.000Z'), 40],
    ])
  })
})
