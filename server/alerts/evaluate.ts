import type { AlertRule, AlertRuleSet, CompareOp, RuleOfKind } from '@shared/schemas/alert-rules'
import { robustZ, hourOfWeek, seriesKey } from './baseline'
import { evaluateCluster } from './cluster'
import { evaluateCorrelation } from './correlation'
import { evaluateDeadline } from './deadline'
import type { CityFacts, EntityFact } from './facts'
import { lasting, metricPhrase } from './format'
import { evaluateRate, forgetPositions } from './rate'

export { pushWindowMin } from './rate'

/** Whether a rule's condition holds for one entity now. Entities absent from the result do not hold. */
export interface Condition {
  entityId: string
  townCode: string | null
  /** The fire condition. */
  holds: boolean
  /** The hold condition of a firing alert: past the clear value (threshold rules), else the same as `holds`. */
  sustains: boolean
  value: number | null
  title: string
}

/**
 * What evaluation remembers between steps: sliding-window minima for rate
 * rules (rule id → entity id → flat [t, v, t, v, …], increasing in t and v)
 * and the last time each rule's condition held in each town
 * (`${ruleId}|${townCode}`), for correlations. Maps while working, because a
 * step looks up some 100,000 entity keys; the engine turns them into plain
 * records to persist (engine.ts). Only evaluate.ts deletes series entries
 * (pruneMemory), because rate.ts caches where they are.
 */
export interface EvalMemory {
  series: Map<string, Map<string, number[]>>
  signals: Map<string, number>
}

export interface EvalContext {
  now: number
  facts: CityFacts
  memory: EvalMemory
  rules: ReadonlyMap<string, AlertRule>
}

const MINUTE_MS = 60_000

export function emptyMemory(): EvalMemory {
  return { series: new Map(), signals: new Map() }
}

export function compare(op: CompareOp, a: number, b: number): boolean {
  switch (op) {
    case '>': return a > b
    case '>=': return a >= b
    case '<': return a < b
    case '<=': return a <= b
  }
}

function entitiesOf(ctx: EvalContext, rule: { entityKind: keyof CityFacts['entities'] }): readonly EntityFact[] {
  return ctx.facts.entities[rule.entityKind] ?? []
}

function evaluateThreshold(rule: RuleOfKind<'threshold'>, ctx: EvalContext): Condition[] {
  const out: Condition[] = []
  const suffix = lasting(rule.forMin)
  for (const e of entitiesOf(ctx, rule)) {
    const v = e.metrics[rule.metric]
    if (v === undefined)
      continue
    const holds = compare(rule.op, v, rule.value)
    const sustains = rule.clearValue === undefined ? holds : compare(rule.op, v, rule.clearValue)
    if (holds || sustains)
      out.push({ entityId: e.id, townCode: e.townCode, holds, sustains, value: v, title: `${e.name} ${metricPhrase(rule.metric, v)}${suffix}` })
  }
  return out
}

function evaluateAnomaly(rule: RuleOfKind<'anomaly'>, ctx: EvalContext): Condition[] {
  const baselines = ctx.facts.baselines
  if (!baselines)
    return []
  const out: Condition[] = []
  const hour = hourOfWeek(ctx.now)
  for (const e of entitiesOf(ctx, rule)) {
    const v = e.metrics[rule.metric]
    const bucket = v === undefined ? undefined : baselines[seriesKey(rule.metric, e.id)]?.[hour]
    if (v === undefined || !bucket || bucket.n < rule.minSamples)
      continue
    const z = robustZ(bucket, v, rule.minSpread)
    const holds = rule.direction === 'above' ? z >= rule.zAbove : rule.direction === 'below' ? z <= -rule.zAbove : Math.abs(z) >= rule.zAbove
    if (holds) {
      const word = z > 0 ? '偏高' : '偏低'
      out.push({ entityId: e.id, townCode: e.townCode, holds, sustains: holds, value: z, title: `${e.name} ${metricPhrase(rule.metric, v)}，较同期常值 ${Math.round(bucket.median * 10) / 10} 异常${word}` })
    }
  }
  return out
}

function evaluateAbsence(rule: RuleOfKind<'absence'>, ctx: EvalContext): Condition[] {
  const out: Condition[] = []
  const limit = rule.silentMin * MINUTE_MS
  for (const e of entitiesOf(ctx, rule)) {
    if (e.observedAt === null)
      continue
    const silentMs = ctx.now - e.observedAt
    if (silentMs >= limit) {
      const minutes = Math.floor(silentMs / MINUTE_MS)
      out.push({ entityId: e.id, townCode: e.townCode, holds: true, sustains: true, value: minutes, title: `${e.name} 已 ${minutes} 分钟无数据` })
    }
  }
  return out
}

export function evaluateRule(rule: AlertRule, ctx: EvalContext): Condition[] {
  switch (rule.kind) {
    case 'threshold': return evaluateThreshold(rule, ctx)
    case 'rate': return evaluateRate(rule, ctx)
    case 'anomaly': return evaluateAnomaly(rule, ctx)
    case 'absence': return evaluateAbsence(rule, ctx)
    case 'cluster': return evaluateCluster(rule, ctx)
    case 'correlation': return evaluateCorrelation(rule, ctx)
    case 'deadline': return evaluateDeadline(rule, ctx)
  }
}

/**
 * Evaluates every enabled rule: correlations last, on the signals their
 * source rules left in memory this step and in earlier ones.
 */
export function evaluateRuleSet(set: AlertRuleSet, now: number, facts: CityFacts, memory: EvalMemory): Map<string, Condition[]> {
  const rules = new Map(set.rules.map(r => [r.id, r]))
  const ctx: EvalContext = { now, facts, memory, rules }
  const results = new Map<string, Condition[]>()
  const sources = new Set(set.rules.flatMap(r => r.kind === 'correlation' && r.enabled ? r.sourceRuleIds : []))
  for (const rule of set.rules) {
    if (!rule.enabled || rule.kind === 'correlation')
      continue
    const conditions = evaluateRule(rule, ctx)
    results.set(rule.id, conditions)
    if (!sources.has(rule.id))
      continue
    for (const c of conditions) {
      if (c.holds && c.townCode !== null)
        memory.signals.set(`${rule.id}|${c.townCode}`, now)
    }
  }
  for (const rule of set.rules) {
    if (rule.enabled && rule.kind === 'correlation')
      results.set(rule.id, evaluateRule(rule, ctx))
  }
  return results
}

/** Drops memory no rule of the set can still use. */
export function pruneMemory(memory: EvalMemory, set: AlertRuleSet, now: number): void {
  const windows = new Map(set.rules.map(r => [r.id, 'windowMin' in r ? r.windowMin * MINUTE_MS : 0]))
  const maxCorrelationMs = Math.max(0, ...set.rules.map(r => r.kind === 'correlation' ? r.windowMin * MINUTE_MS : 0))
  for (const [ruleId, byEntity] of memory.series) {
    const windowMs = windows.get(ruleId)
    if (windowMs === undefined) {
      memory.series.delete(ruleId)
      continue
    }
    for (const [entityId, series] of byEntity) {
      if (series.length === 0 || series[series.length - 2]! < now - windowMs) {
        byEntity.delete(entityId)
        forgetPositions(byEntity)
      }
    }
  }
  for (const [key, t] of memory.signals) {
    if (t < now - maxCorrelationMs)
      memory.signals.delete(key)
  }
}
