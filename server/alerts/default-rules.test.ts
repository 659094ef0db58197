import { describe, expect, it } from 'vitest'
import { AlertRuleSet } from '@shared/schemas/alert-rules'
import { defaultRuleSet } from './default-rules'
import { AlertEngine } from './engine'
import { entity, facts, MINUTE_MS, T0 } from './test-support'

describe(defaultRuleSet.name, () => {
  it('validates, with 15–25 rules of every kind', () => {
    const set = defaultRuleSet()
    expect(AlertRuleSet.safeParse(set).success).toBe(true)
    expect(set.rules.length).toBeGreaterThanOrEqual(15)
    expect(set.rules.length).toBeLessThanOrEqual(25)
    expect(new Set(set.rules.map(r => r.kind))).toEqual(new Set(['threshold', 'rate', 'anomaly', 'absence', 'cluster', 'correlation', 'deadline']))
  })

  it('keeps the standards: AQI 150 and 200 for 20 min, hall per-window 10 and 20', () => {
    const byId = new Map(defaultRuleSet().rules.map(r => [r.id, r]))
    expect(byId.get('air.station.aqi-150')).toMatchObject({ op: '>', value: 150, forMin: 20 })
    expect(byId.get('air.station.aqi-200')).toMatchObject({ op: '>', value: 200, forMin: 20, severity: 'critical' })
    expect(byId.get('halls.per-window-10')).toMatchObject({ value: 10, severity: 'warning' })
    expect(byId.get('halls.per-window-20')).toMatchObject({ value: 20, severity: 'critical' })
    expect(byId.get('hotline.mass-incident')).toMatchObject({ severity: 'major', minCount: 8, radiusM: 500, windowMin: 30 })
  })

  it('raises the moderate-pollution alert of a station after 20 minutes, titled in Chinese', () => {
    const engine = new AlertEngine({ rules: defaultRuleSet() })
    const station = (t: number) => entity('dg-01', { aqi: 168, aqiLevel: 4 }, { name: '莞城街道', observedAt: t })
    const raisedAt: number[] = []
    for (let m = 0; m <= 25; m += 5) {
      const t = T0 + m * MINUTE_MS
      for (const tr of engine.step(t, facts({ entities: { station: [station(t)] } }))) {
        if (tr.type === 'raised' && tr.ruleId === 'air.station.aqi-150') {
          raisedAt.push(m)
          expect(tr.title).toBe('莞城街道 AQI 168（中度污染）持续 20 分钟')
        }
      }
    }
    expect(raisedAt).toEqual([20])
  })
})
