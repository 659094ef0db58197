import { describe, expect, it } from 'vitest'
import type { AlertRuleInput } from '@shared/schemas/alert-rules'
import { defaultRuleSet } from '@server/alerts/default-rules'
import { changedRules, checkRules, dryRunRules, freshId, groupByDomain, issueAt, RULE_KINDS, ruleLevelIssues, ruleTemplate } from './rule-draft'
import { numberFrom, toggled, withField, wordsFrom } from './rule-form'

const defaults = (): AlertRuleInput[] => defaultRuleSet().rules

describe('the alert rules draft', () => {
  it('places a server issue at its rule and field, and one about the set above the list', () => {
    expect(issueAt({ path: ['rules', 3, 'value'], message: 'Too small' })).toEqual({ rule: 3, field: 'value', message: 'Too small' })
    expect(issueAt({ path: ['rules', 0, 'topics', 1], message: 'bad topic' })).toEqual({ rule: 0, field: 'topics', message: 'bad topic' })
    expect(issueAt({ path: ['rules', 2], message: 'unknown key' })).toEqual({ rule: 2, field: '', message: 'unknown key' })
    expect(issueAt({ path: ['rules'], message: 'too many' })).toEqual({ rule: null, field: '', message: 'rules: too many' })
  })

  it('checks with the shared schema: a value out of range and a clear value on the wrong side land on their fields', () => {
    const rules = defaults()
    const i = rules.findIndex(r => r.id === 'air.station.aqi-150')
    rules[i] = withField(withField(rules[i]!, 'forMin', -5), 'value', 130)
    const check = checkRules(rules, 1)
    expect(check.ok).toBe(false)
    const issues = check.ok ? [] : check.issues
    expect(issues.map(x => [x.rule, x.field])).toEqual(expect.arrayContaining([[i, 'forMin']]))
    // The clear-value check runs once the fields themselves parse.
    rules[i] = withField(rules[i], 'forMin', 20)
    const again = checkRules(rules, 1)
    expect(again.ok ? [] : again.issues.map(x => [x.rule, x.field])).toEqual([[i, 'clearValue']])
  })

  it('finds a duplicate id and a correlation whose source is gone', () => {
    const rules = defaults()
    rules.push({ ...rules[0]! })
    const water = rules.findIndex(r => r.id === 'hotline.water-main')
    rules[water] = withField(rules[water]!, 'id', 'hotline.water-main-2')
    const check = checkRules(rules, 1)
    const issues = check.ok ? [] : check.issues
    expect(issues).toContainEqual(expect.objectContaining({ rule: rules.length - 1, field: 'id' }))
    expect(issues).toContainEqual(expect.objectContaining({ rule: rules.findIndex(r => r.id === 'cross.water-traffic'), field: 'sourceRuleIds' }))
  })

  it('starts each kind from a template that is valid in the default set', () => {
    for (const kind of RULE_KINDS) {
      const rules = defaults()
      rules.push(ruleTemplate(kind, rules, `新${kind}`))
      const check = checkRules(rules, 1)
      expect(check.ok ? [] : check.issues, kind).toEqual([])
    }
    expect(freshId('threshold', [{ id: 'custom.threshold-1' }])).toBe('custom.threshold-2')
  })

  it('dry-runs a correlation with its sources', () => {
    const rules = defaults()
    const cross = rules.find(r => r.id === 'cross.water-traffic')!
    expect(dryRunRules(cross, rules).map(r => r.id)).toEqual(['traffic.segment.severe', 'traffic.town.severe', 'hotline.water-main', 'cross.water-traffic'])
    expect(checkRules(dryRunRules(cross, rules), 0).ok).toBe(true)
  })

  it('groups by domain keeping each rule\'s place, and sets an unknown domain apart', () => {
    const groups = groupByDomain([{ domain: 'traffic' }, { domain: 'air' }, { domain: 'weather' }, { domain: 'air' }])
    expect(groups.map(g => [g.domain, g.items.map(x => x.index)])).toEqual([['air', [1, 3]], ['traffic', [0]], ['other', [2]]])
  })

  it('edits fields as the form does', () => {
    const rule = defaults().find(r => r.id === 'air.station.aqi-150')!
    expect(withField(rule, 'clearValue', undefined)).not.toHaveProperty('clearValue')
    expect(withField(rule, 'entityKind', 'hall')).toMatchObject({ entityKind: 'hall', metric: 'waiting' })
    expect(withField(rule, 'entityKind', 'town')).toMatchObject({ entityKind: 'town', metric: 'aqi' })
    expect([numberFrom(''), numberFrom('12.5'), numberFrom('-3')]).toEqual([undefined, 12.5, -3])
    expect(wordsFrom('异味，臭, 气味')).toEqual(['异味', '臭', '气味'])
    expect(wordsFrom('  ')).toBeUndefined()
    expect(toggled(['a'], 'b', true)).toEqual(['a', 'b'])
    expect(toggled(['a'], 'a', false)).toBeUndefined()
    expect(ruleLevelIssues([{ rule: 0, field: 'value', message: '' }, { rule: 0, field: '', message: 'x' }, { rule: 0, field: 'bogus', message: 'y' }], 'threshold').map(i => i.message)).toEqual(['x', 'y'])
  })
})

describe('what another save changed', () => {
  it('lists the rules added, removed and changed, by id', () => {
    const before = [{ id: 'a', v: 1 }, { id: 'b', v: 1 }, { id: 'c', v: 1 }]
    const after = [{ id: 'a', v: 1 }, { id: 'c', v: 2 }, { id: 'd', v: 1 }]
    expect(changedRules(before, after)).toEqual({ added: ['d'], removed: ['b'], changed: ['c'] })
  })
})
