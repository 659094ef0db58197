import { describe, expect, it } from 'vitest'
import { learnBaseline, seriesKey } from './baseline'
import { emptyMemory, evaluateRule, evaluateRuleSet, pushWindowMin } from './evaluate'
import { context, entity, facts, MINUTE_MS, rule, ruleSet, T0 } from './test-support'

describe('threshold', () => {
  const r = rule({ id: 'aqi', name: '中度污染', kind: 'threshold', domain: 'air', severity: 'major', entityKind: 'station', metric: 'aqi', op: '>', value: 150, clearValue: 140, forMin: 20 })

  it('holds above the value, sustains down to the clear value, and says so in Chinese', () => {
    const f = facts({ entities: { station: [
      entity('s1', { aqi: 168 }, { name: '莞城街道' }),
      entity('s2', { aqi: 145 }),
      entity('s3', { aqi: 120 }),
      entity('s4', {}),
    ] } })
    const out = evaluateRule(r, context(T0, f))
    expect(out.map(c => [c.entityId, c.holds, c.sustains, c.value])).toEqual([['s1', true, true, 168], ['s2', false, true, 145]])
    expect(out[0]!.title).toBe('莞城街道 AQI 168（中度污染）持续 20 分钟')
  })

  it('compares with every operator', () => {
    const low = rule({ id: 'slow', name: '慢', kind: 'threshold', domain: 'traffic', severity: 'info', entityKind: 'segment', metric: 'speedKmh', op: '<=', value: 10 })
    const f = facts({ entities: { segment: [entity('a', { speedKmh: 10 }), entity('b', { speedKmh: 10.5 })] } })
    expect(evaluateRule(low, context(T0, f)).map(c => c.entityId)).toEqual(['a'])
  })
})

describe('rate', () => {
  const r = rule({ id: 'rise', name: '升级', kind: 'rate', domain: 'air', severity: 'warning', entityKind: 'station', metric: 'aqiLevel', riseBy: 1, windowMin: 60 })

  it('fires on a rise of a whole level within the window, not over a longer span', () => {
    const memory = emptyMemory()
    const run = (minute: number, level: number) => {
      const t = T0 + minute * MINUTE_MS
      const f = facts({ entities: { station: [entity('s1', { aqiLevel: level }, { observedAt: t, name: '东城' })] } })
      return evaluateRule(r, { ...context(t, f), memory })
    }
    expect(run(0, 2)).toEqual([])
    expect(run(30, 2)).toEqual([])
    const up = run(50, 3)
    expect(up.map(c => c.value)).toEqual([1])
    expect(up[0]!.title).toBe('东城 60 分钟内由空气质量良升至空气质量轻度污染')
    // Slow drift: 3 → 4 takes more than an hour after the last 3 was first seen at minute 50.
    expect(run(130, 3)).toEqual([])
    expect(run(200, 4)).toEqual([])
  })

  it('keeps only what the sliding minimum needs', () => {
    const series: number[] = []
    expect(pushWindowMin(series, 0, 5, 10)).toBe(5)
    expect(pushWindowMin(series, 1, 3, 10)).toBe(3)
    expect(pushWindowMin(series, 2, 4, 10)).toBe(3)
    expect(series).toEqual([1, 3, 2, 4])
    expect(pushWindowMin(series, 12, 6, 10)).toBe(4)
    expect(pushWindowMin(series, 12, 1, 10)).toBe(4) // the same observation time again is not a new sample
  })

  it('drops every larger sample when a lower one arrives, in place', () => {
    const series: number[] = []
    for (const [t, v] of [[0, 1], [1, 2], [2, 3], [3, 4]] as const)
      pushWindowMin(series, t, v, 100)
    expect(pushWindowMin(series, 4, 2, 100)).toBe(1)
    expect(series).toEqual([0, 1, 4, 2])
    expect(pushWindowMin(series, 5, 2, 100)).toBe(1)
    expect(series).toEqual([0, 1, 5, 2])
    expect(pushWindowMin(series, 200, 9, 100)).toBe(9)
    expect(series).toEqual([200, 9])
  })
})

describe('anomaly', () => {
  const r = rule({ id: 'intake', name: '诉求异常', kind: 'anomaly', domain: 'hotline', severity: 'warning', entityKind: 'town', metric: 'intake1h', zAbove: 3.5, minSamples: 4, minSpread: 1 })
  const week = 7 * 24 * 60 * MINUTE_MS
  const history = [10, 12, 11, 9, 13, 10].map((value, i) => ({ key: seriesKey('intake1h', '441900003'), t: T0 - (i + 1) * week, value }))

  it('fires on a robust z-score above the limit against the same weekday and hour', () => {
    const baselines = learnBaseline(history)
    const at = (v: number) => evaluateRule(r, context(T0, facts({ baselines, entities: { town: [entity('441900003', { intake1h: v }, { name: '莞城街道' })] } })))
    expect(at(14)).toEqual([])
    const high = at(30)
    expect(high).toHaveLength(1)
    expect(high[0]!.value).toBeGreaterThan(3.5)
    expect(high[0]!.title).toContain('异常偏高')
  })

  it('does not judge another hour of the week, nor a bucket with too few samples', () => {
    const baselines = learnBaseline(history)
    const f = facts({ baselines, entities: { town: [entity('441900003', { intake1h: 300 })] } })
    expect(evaluateRule(r, context(T0 + 60 * MINUTE_MS, f))).toEqual([])
    const thin = learnBaseline(history.slice(0, 3))
    expect(evaluateRule(r, context(T0, { ...f, baselines: thin }))).toEqual([])
  })
})

describe('absence', () => {
  const r = rule({ id: 'silent', name: '断报', kind: 'absence', domain: 'feeds', severity: 'major', entityKind: 'feed', silentMin: 10 })

  it('holds once an entity has been silent for the limit', () => {
    const f = facts({ entities: { feed: [entity('sim-air', {}, { name: '空气数据源', observedAt: T0 }), entity('never', {}, { observedAt: null })] } })
    expect(evaluateRule(r, context(T0 + 9 * MINUTE_MS, f))).toEqual([])
    const out = evaluateRule(r, context(T0 + 12 * MINUTE_MS, f))
    expect(out.map(c => [c.entityId, c.value, c.title])).toEqual([['sim-air', 12, '空气数据源 已 12 分钟无数据']])
  })
})

describe(evaluateRuleSet.name, () => {
  it('skips disabled rules and records town signals of correlation sources that hold', () => {
    const set = ruleSet(
      { id: 'on', name: '开', kind: 'threshold', domain: 'air', severity: 'info', entityKind: 'station', metric: 'aqi', op: '>', value: 100 },
      { id: 'off', name: '关', kind: 'threshold', domain: 'air', severity: 'info', entityKind: 'station', metric: 'aqi', op: '>', value: 100, enabled: false },
      { id: 'jam', name: '堵', kind: 'threshold', domain: 'traffic', severity: 'info', entityKind: 'town', metric: 'tpi', op: '>', value: 8 },
      { id: 'other', name: '非来源', kind: 'threshold', domain: 'air', severity: 'info', entityKind: 'station', metric: 'aqi', op: '>', value: 50 },
      { id: 'corr', name: '关联', kind: 'correlation', domain: 'cross', severity: 'major', sourceRuleIds: ['on', 'jam'], minDomains: 2, windowMin: 60 },
    )
    const memory = emptyMemory()
    const out = evaluateRuleSet(set, T0, facts({ entities: { station: [entity('s1', { aqi: 120 })] } }), memory)
    expect([...out.keys()]).toEqual(['on', 'jam', 'other', 'corr'])
    expect(Object.fromEntries(memory.signals)).toEqual({ 'on|441900003': T0 })
  })
})
