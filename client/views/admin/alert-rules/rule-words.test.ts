import { describe, expect, it } from 'vitest'
import type { AlertRuleInput } from '@shared/schemas/alert-rules'
import { defaultRuleSet } from '@server/alerts/default-rules'
import { conditionWords } from './rule-words'

const byId = (id: string): AlertRuleInput => {
  const rule = defaultRuleSet().rules.find(r => r.id === id)
  if (!rule)
    throw new Error(`no default rule ${id}`)
  return rule
}
const names = new Map(defaultRuleSet().rules.map(r => [r.id, r.name]))
const nameOf = (id: string): string | undefined => names.get(id)

describe('the condition of a rule in words', () => {
  it('says a threshold with its duration and its hysteresis', () => {
    expect(conditionWords(byId('air.station.aqi-150'))).toBe('站点 AQI > 150 持续 20 分钟，≤ 140 持续 20 分钟后解除')
    expect(conditionWords(byId('traffic.segment.severe'))).toBe('路段 拥堵等级 ≥ 5 持续 15 分钟，< 4 持续 10 分钟后解除')
    expect(conditionWords(byId('halls.avg-wait-40'))).toBe('大厅 平均等候 ≥ 40 分钟 持续 5 分钟，< 35 分钟 持续 10 分钟后解除')
    expect(conditionWords(byId('air.station.aqi-150'), 'en')).toBe('Station AQI > 150 for 20 min; clears at ≤ 140 for 20 min')
  })

  it('clears a threshold without a clear value where it fired, at once when clearForMin is 0', () => {
    const rule: AlertRuleInput = { id: 'x', name: 'x', kind: 'threshold', domain: 'traffic', severity: 'info', entityKind: 'segment', metric: 'speedKmh', op: '<', value: 15, clearForMin: 0 }
    expect(conditionWords(rule)).toBe('路段 车速 < 15 km/h，≥ 15 km/h 即解除')
  })

  it('says the other six kinds', () => {
    expect(conditionWords(byId('air.station.level-rise'))).toBe('站点 AQI 级别 60 分钟内较最低值上升 ≥ 1，条件消失 30 分钟后解除')
    expect(conditionWords(byId('hotline.intake-anomaly'))).toBe('镇街 近 1 小时诉求量高于同星期同时段基线 z > 3.5（样本 ≥ 4），条件消失 30 分钟后解除')
    expect(conditionWords(byId('feeds.silent'))).toBe('数据源 10 分钟无数据，条件消失即解除')
    expect(conditionWords(byId('hotline.smell'))).toBe('60 分钟内 3000 米范围 ≥ 3 件同类诉求（环境保护），含“异味/臭/气味/刺鼻/废气”，条件消失 30 分钟后解除')
    expect(conditionWords(byId('cross.water-traffic'), 'zh-CN', nameOf)).toBe('60 分钟内同一镇街 ≥ 2 个领域同时出现：供水故障诉求、镇街路网严重拥堵、路段严重拥堵，条件消失 30 分钟后解除')
    expect(conditionWords(byId('hotline.deadline-near'))).toBe('工单距办理时限 ≤ 240 分钟，条件消失即解除')
    expect(conditionWords(byId('hotline.deadline-overdue'))).toBe('工单已超过办理时限，条件消失即解除')
  })

  it('names a correlation source it does not know by its id', () => {
    expect(conditionWords(byId('cross.air-smell'), 'zh-CN', () => undefined)).toContain('air.station.level-rise、air.station.aqi-150')
  })

  it('reads a blank number being edited as "?" instead of failing', () => {
    const editing = { ...byId('air.station.aqi-150'), value: undefined } as unknown as AlertRuleInput
    expect(conditionWords(editing)).toBe('站点 AQI > ? 持续 20 分钟，≤ 140 持续 20 分钟后解除')
  })

  it('has words for every default rule in both languages', () => {
    for (const rule of defaultRuleSet().rules) {
      for (const lang of ['zh-CN', 'en'] as const) {
        const words = conditionWords(rule, lang, nameOf)
        expect(words, rule.id).not.toMatch(/\?|undefined|NaN/)
      }
    }
  })
})
