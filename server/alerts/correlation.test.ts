import { describe, expect, it } from 'vitest'
import { emptyMemory, evaluateRuleSet } from './evaluate'
import type { CityFacts, IncidentFact } from './facts'
import { entity, facts, MINUTE_MS, ruleSet, T0 } from './test-support'

const set = ruleSet(
  { id: 'aqi', name: '中度污染', kind: 'threshold', domain: 'air', severity: 'major', entityKind: 'station', metric: 'aqi', op: '>', value: 150 },
  { id: 'smell', name: '异味投诉', kind: 'cluster', domain: 'hotline', severity: 'info', keywords: ['异味'], minCount: 3, radiusM: 3000, windowMin: 60 },
  { id: 'jam', name: '拥堵', kind: 'threshold', domain: 'traffic', severity: 'info', entityKind: 'town', metric: 'tpi', op: '>=', value: 8 },
  { id: 'corr', name: '空气与异味关联', kind: 'correlation', domain: 'cross', severity: 'critical', sourceRuleIds: ['aqi', 'smell'], minDomains: 2, windowMin: 60 },
)
const smell = (town: string, t: number): IncidentFact[] => [0, 1, 2].map(i =>
  ({ id: `${town}-${i}`, topic: 'environment', townCode: town, lng: 113.75, lat: 23 + i * 0.001, reportedAt: t, text: '异味' }))
const air = (town: string, aqi: number, t: number): CityFacts['entities'] => ({ station: [entity(`st-${town}`, { aqi }, { townCode: town, observedAt: t })] })

describe('correlation', () => {
  it('joins an AQI signal and smell complaints in the same town within the window', () => {
    const memory = emptyMemory()
    evaluateRuleSet(set, T0, facts({ entities: air('441900003', 170, T0) }), memory)
    const later = T0 + 40 * MINUTE_MS
    const out = evaluateRuleSet(set, later, facts({ entities: air('441900003', 120, later), incidents: smell('441900003', later) }), memory)
    expect(out.get('corr')!.map(c => [c.entityId, c.value, c.title])).toEqual([['441900003', 2, '莞城街道 空气质量 + 12345 热线 60 分钟内同时告警']])
  })

  it('does not join signals of different towns, or signals older than the window', () => {
    const memory = emptyMemory()
    evaluateRuleSet(set, T0, facts({ entities: air('441900003', 170, T0) }), memory)
    const t = T0 + 30 * MINUTE_MS
    expect(evaluateRuleSet(set, t, facts({ incidents: smell('441900004', t) }), memory).get('corr')).toEqual([])
    const late = T0 + 61 * MINUTE_MS
    expect(evaluateRuleSet(set, late, facts({ incidents: smell('441900003', late) }), memory).get('corr')).toEqual([])
  })

  it('ignores rules that are not its sources', () => {
    const memory = emptyMemory()
    const f = facts({ entities: { town: [entity('441900003', { tpi: 9 })] }, incidents: smell('441900003', T0) })
    expect(evaluateRuleSet(set, T0, f, memory).get('corr')).toEqual([])
  })
})
