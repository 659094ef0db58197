import { describe, expect, it } from 'vitest'
import { kpiSet } from '@shared/realtime/mirror.support'
import { KPI_TILES, kpiTiles } from './kpi-tiles'

describe(kpiTiles.name, () => {
  it('shows the seven headline figures in order, "—" for each before the first KPI set', () => {
    const tiles = kpiTiles(null)
    expect(tiles.map(t => t.spec.key)).toEqual(['air.aqi', 'traffic.tpi', 'halls.waiting', 'incidents.intakeToday', 'incidents.open', 'incidents.onTimeRate', 'halls.goodRate'])
    expect(tiles.every(t => t.value === '—' && !t.known && t.change === null && t.badge === null)).toBe(true)
  })

  it('writes each figure to its digits, ratios in percent, with the HJ 633 level and the GB/T 33171 grade beside AQI and TPI', () => {
    const set = kpiSet(0, 72)
    set.traffic.tpi = { value: 6.25, dayAgo: 5.5, weekAgo: null }
    set.incidents.onTimeRate = { value: 0.9123, dayAgo: 0.95, weekAgo: null }
    const byKey = new Map(kpiTiles(set).map(t => [t.spec.key, t]))
    expect(byKey.get('air.aqi')).toMatchObject({ value: '72', badge: { zh: '良', color: '#FFFF00' }, change: null })
    expect(byKey.get('traffic.tpi')).toMatchObject({ value: '6.3', badge: { zh: '中度拥堵' }, change: { arrow: '▲', text: '+0.8', tone: 'worse' } })
    expect(byKey.get('incidents.onTimeRate')).toMatchObject({ value: '91.2', change: { arrow: '▼', text: '−3.8', tone: 'worse' } })
    // 好评率 not known yet (no rating today): no figure, no badge, no comparison.
    expect(byKey.get('halls.goodRate')).toMatchObject({ value: '—', known: false, change: null })
  })

  it('has a rule for which way each figure gets better', () => {
    expect(Object.fromEntries(KPI_TILES.map(t => [t.key, t.better]))).toEqual({
      'air.aqi': 'lower',
      'traffic.tpi': 'lower',
      'halls.waiting': 'lower',
      'incidents.intakeToday': 'neither',
      'incidents.open': 'lower',
      'incidents.onTimeRate': 'higher',
      'halls.goodRate': 'higher',
    })
  })
})
