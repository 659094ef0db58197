import { describe, expect, it } from 'vitest'
import type { AlertRuleInput } from '@shared/schemas/alert-rules'
import { AlertRule, AlertRuleSet, AlertSilence } from '@shared/schemas/alert-rules'

const threshold: AlertRuleInput = { id: 'a', name: '测试', kind: 'threshold', domain: 'air', severity: 'major', entityKind: 'station', metric: 'aqi', op: '>', value: 150, forMin: 20 }

function messages(result: { success: boolean, error?: { issues: { message: string }[] } }): string[] {
  return result.error?.issues.map(i => i.message) ?? []
}

describe('AlertRule', () => {
  it('fills defaults: enabled, clear hysteresis, grouping by town', () => {
    const r = AlertRule.parse(threshold)
    expect(r).toMatchObject({ enabled: true, clearForMin: 5, groupBy: 'town', forMin: 20 })
  })

  it('rejects a window shorter than the for duration, naming both', () => {
    const res = AlertRule.safeParse({ id: 'r', name: '升级', kind: 'rate', domain: 'air', severity: 'warning', entityKind: 'station', metric: 'aqiLevel', riseBy: 1, windowMin: 30, forMin: 45 })
    expect(messages(res)).toEqual(['rule r: the window (30 min) is shorter than the for duration (45 min)'])
  })

  it('rejects a metric the entity kind does not carry', () => {
    const res = AlertRule.safeParse({ ...threshold, entityKind: 'hall' })
    expect(messages(res)[0]).toMatch(/metric aqi is not measured on hall/)
  })

  it('rejects a clear value on the firing side of the threshold', () => {
    expect(messages(AlertRule.safeParse({ ...threshold, clearValue: 160 }))[0]).toMatch(/clearValue 160 must be on the safe side of value 150/)
    expect(AlertRule.safeParse({ ...threshold, clearValue: 140 }).success).toBe(true)
    expect(AlertRule.safeParse({ ...threshold, op: '<', value: 10, clearValue: 12 }).success).toBe(true)
    expect(AlertRule.safeParse({ ...threshold, op: '<', value: 10, clearValue: 8 }).success).toBe(false)
  })

  it('needs withinMin for a near-deadline rule and an unknown kind is refused', () => {
    expect(messages(AlertRule.safeParse({ id: 'd', name: '临期', kind: 'deadline', domain: 'hotline', severity: 'info', mode: 'near' }))).toEqual(['rule d: a near-deadline rule needs withinMin'])
    expect(AlertRule.safeParse({ ...threshold, kind: 'magic' }).success).toBe(false)
  })

  it('rejects unknown fields (strict) and bad ids', () => {
    expect(AlertRule.safeParse({ ...threshold, color: 'red' }).success).toBe(false)
    expect(AlertRule.safeParse({ ...threshold, id: 'Has Space' }).success).toBe(false)
  })
})

describe('AlertRuleSet', () => {
  const smell: AlertRuleInput = { id: 'smell', name: '异味', kind: 'cluster', domain: 'hotline', severity: 'info', minCount: 3, radiusM: 3000, windowMin: 60 }
  const corr = (sources: string[]): AlertRuleInput => ({ id: 'corr', name: '关联', kind: 'correlation', domain: 'cross', severity: 'critical', sourceRuleIds: sources, minDomains: 2, windowMin: 60 })

  it('accepts a correlation across two domains', () => {
    expect(AlertRuleSet.safeParse({ v: 1, revision: 3, rules: [threshold, smell, corr(['a', 'smell'])] }).success).toBe(true)
  })

  it('reports duplicate ids, missing sources and too few domains', () => {
    const dup = AlertRuleSet.safeParse({ v: 1, revision: 1, rules: [threshold, threshold] })
    expect(messages(dup)).toEqual(['rule id a is used twice'])
    const missing = AlertRuleSet.safeParse({ v: 1, revision: 1, rules: [threshold, corr(['a', 'nope'])] })
    expect(messages(missing)).toContain('rule corr: source rule nope does not exist')
    const oneDomain = AlertRuleSet.safeParse({ v: 1, revision: 1, rules: [threshold, { ...threshold, id: 'b' }, corr(['a', 'b'])] })
    expect(messages(oneDomain)).toEqual(['rule corr: its sources span 1 domain(s), fewer than minDomains 2'])
  })

  it('refuses another document version', () => {
    expect(AlertRuleSet.safeParse({ v: 2, revision: 1, rules: [] }).success).toBe(false)
  })
})

describe('AlertSilence', () => {
  it('needs an end after its start', () => {
    const s = { id: 's', kind: 'maintenance', matchers: { domain: 'air' }, startsAt: '2026-03-02T10:00:00+08:00', endsAt: '2026-03-02T09:00:00+08:00', createdBy: 'duty' }
    expect(messages(AlertSilence.safeParse(s))).toEqual(['endsAt must be after startsAt'])
    expect(AlertSilence.safeParse({ ...s, endsAt: '2026-03-02T12:00:00+08:00' }).success).toBe(true)
  })
})
