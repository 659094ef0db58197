import type { AlertRule, AlertRuleInput, AlertRuleKind, AlertRuleSet, RuleOfKind } from '@shared/schemas/alert-rules'
import { AlertRule as AlertRuleSchema, AlertRuleSet as AlertRuleSetSchema } from '@shared/schemas/alert-rules'
import type { EvalContext } from './evaluate'
import { emptyMemory } from './evaluate'
import type { CityFacts, EntityFact } from './facts'

/** Test helpers: a fake clock, rules parsed from inputs, and facts built by hand. */
export const MINUTE_MS = 60_000
/** A Monday, 08:00 China time. */
export const T0 = Date.parse('2026-03-02T08:00:00+08:00')

export function fakeClock(start = T0): { now: () => number, advance: (minutes: number) => number } {
  let t = start
  return { now: () => t, advance: (minutes: number) => (t += minutes * MINUTE_MS) }
}

export function rule<K extends AlertRuleKind>(input: AlertRuleInput & { kind: K }): RuleOfKind<K> {
  return AlertRuleSchema.parse(input) as RuleOfKind<K>
}

export function ruleSet(...inputs: AlertRuleInput[]): AlertRuleSet {
  return AlertRuleSetSchema.parse({ v: 1, revision: 1, rules: inputs })
}

export function entity(id: string, metrics: EntityFact['metrics'], over: Partial<EntityFact> = {}): EntityFact {
  return { id, name: id, townCode: '441900003', observedAt: T0, metrics, ...over }
}

export function facts(over: Partial<CityFacts> = {}): CityFacts {
  return { entities: {}, incidents: [], deadlines: [], townNames: { 441900003: '莞城街道', 441900004: '石龙镇' }, ...over }
}

export function context(now: number, f: CityFacts, rules: readonly AlertRule[] = []): EvalContext {
  return { now, facts: f, memory: emptyMemory(), rules: new Map(rules.map(r => [r.id, r])) }
}
