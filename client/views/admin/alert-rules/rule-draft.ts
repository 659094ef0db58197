import type { AlertDomain, AlertRule, AlertRuleInput, AlertRuleKind } from '@shared/schemas/alert-rules'
import zodZhCN from 'zod/v4/locales/zh-CN.js'
import { ALERT_DOMAINS, ALERT_RULES_VERSION, AlertRuleSet } from '@shared/schemas/alert-rules'

/** The seven kinds in the order the "add a rule" picker offers them. */
export const RULE_KINDS: readonly AlertRuleKind[] = ['threshold', 'rate', 'anomaly', 'absence', 'cluster', 'correlation', 'deadline']

/** A problem with the edited set, where it belongs: a rule (by its place in the list) and a field of it, or the whole set. */
export interface RuleIssue {
  /** Index in the rules list; null: about the set as a whole. */
  rule: number | null
  /** The rule's field (`value`, `clearValue`, `topics`…); '' for the rule as a whole. */
  field: string
  message: string
}

/** A zod-shaped issue as the server sends it back in a 400 (`{ path: ["rules", 3, "value"], message }`). */
export interface PathIssue { path: readonly PropertyKey[], message: string }

export function issueAt(issue: PathIssue): RuleIssue {
  const [head, index, field] = issue.path
  if (head === 'rules' && typeof index === 'number')
    return { rule: index, field: typeof field === 'string' ? field : '', message: issue.message }
  return { rule: null, field: '', message: issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message }
}

export type RulesCheck =
  | { ok: true, rules: AlertRule[] }
  | { ok: false, issues: RuleIssue[] }

/** zod's own Chinese messages for its built-in checks (the schema's custom messages stay as written). */
const ZH_MESSAGES = zodZhCN().localeError

/** The edited rules checked with the server's own schema (the whole set: ids unique, correlation sources exist) before anything is sent. */
export function checkRules(rules: readonly unknown[], revision: number, lang: 'zh-CN' | 'en' = 'zh-CN'): RulesCheck {
  const parsed = AlertRuleSet.safeParse({ v: ALERT_RULES_VERSION, revision, rules }, lang === 'zh-CN' ? { error: ZH_MESSAGES } : {})
  return parsed.success ? { ok: true, rules: parsed.data.rules } : { ok: false, issues: parsed.error.issues.map(issueAt) }
}

/** The fields the form shows for each kind, besides the common ones; an issue on any other field is shown at the top of the rule. */
export const COMMON_FIELDS = ['id', 'name', 'enabled', 'severity', 'domain', 'forMin', 'clearForMin', 'groupBy', 'escalateAfterMin'] as const
export const KIND_FIELDS: Record<AlertRuleKind, readonly string[]> = {
  threshold: ['entityKind', 'metric', 'op', 'value', 'clearValue'],
  rate: ['entityKind', 'metric', 'riseBy', 'windowMin'],
  anomaly: ['entityKind', 'metric', 'zAbove', 'direction', 'minSamples', 'minSpread'],
  absence: ['entityKind', 'silentMin'],
  cluster: ['minCount', 'radiusM', 'windowMin', 'topics', 'keywords'],
  correlation: ['sourceRuleIds', 'minDomains', 'windowMin'],
  deadline: ['mode', 'withinMin', 'sources'],
}

/** Issues a rule's form cannot put next to one of its fields. */
export function ruleLevelIssues(issues: readonly RuleIssue[], kind: AlertRuleKind): RuleIssue[] {
  const shown = new Set<string>([...COMMON_FIELDS, ...KIND_FIELDS[kind]])
  return issues.filter(i => !shown.has(i.field))
}

/** An id not yet used in the set: `custom.threshold-1`, `-2`… */
export function freshId(kind: AlertRuleKind, rules: readonly { id: string }[]): string {
  const used = new Set(rules.map(r => r.id))
  let n = 1
  while (used.has(`custom.${kind}-${n}`))
    n += 1
  return `custom.${kind}-${n}`
}

/** Two existing rules of different domains, so a new correlation starts valid. */
function correlationSources(rules: readonly AlertRuleInput[]): string[] {
  const picked: AlertRuleInput[] = []
  for (const r of rules) {
    if (r.kind !== 'correlation' && !picked.some(p => p.domain === r.domain))
      picked.push(r)
    if (picked.length === 2)
      break
  }
  return picked.map(r => r.id)
}

/** A new rule of this kind with sensible starting values (the standards' usual figures), named for the admin to change. */
export function ruleTemplate(kind: AlertRuleKind, rules: readonly AlertRuleInput[], name: string): AlertRuleInput {
  const common = { id: freshId(kind, rules), name, enabled: true, forMin: 0, clearForMin: 10, groupBy: 'town' as const }
  switch (kind) {
    case 'threshold':
      return { ...common, kind, domain: 'air', severity: 'warning', entityKind: 'station', metric: 'aqi', op: '>', value: 150, clearValue: 140, forMin: 20, clearForMin: 20 }
    case 'rate':
      return { ...common, kind, domain: 'air', severity: 'warning', entityKind: 'station', metric: 'aqiLevel', riseBy: 1, windowMin: 60, clearForMin: 30 }
    case 'anomaly':
      return { ...common, kind, domain: 'hotline', severity: 'info', entityKind: 'town', metric: 'intake1h', zAbove: 3.5, direction: 'above', minSamples: 4, minSpread: 2, clearForMin: 30 }
    case 'absence':
      return { ...common, kind, domain: 'feeds', severity: 'major', entityKind: 'feed', silentMin: 10, clearForMin: 0, groupBy: 'domain' }
    case 'cluster':
      return { ...common, kind, domain: 'hotline', severity: 'warning', minCount: 5, radiusM: 500, windowMin: 30, clearForMin: 30 }
    case 'correlation':
      return { ...common, kind, domain: 'cross', severity: 'major', sourceRuleIds: correlationSources(rules), minDomains: 2, windowMin: 60, clearForMin: 30 }
    case 'deadline':
      return { ...common, kind, domain: 'hotline', severity: 'info', mode: 'near', withinMin: 240, clearForMin: 0, groupBy: 'domain' }
  }
}

/** The rules a dry run of one rule needs: itself, and a correlation's sources (it cannot be replayed without them). */
export function dryRunRules(rule: AlertRuleInput, rules: readonly AlertRuleInput[]): AlertRuleInput[] {
  if (rule.kind !== 'correlation')
    return [rule]
  return [...rules.filter(r => rule.sourceRuleIds.includes(r.id)), rule]
}

export interface DomainGroup<T> { domain: AlertDomain | 'other', items: { rule: T, index: number }[] }

/**
 * The rules by domain, in the domains' usual order, each keeping its index in
 * the set (issues and edits refer to it); a domain the schema does not know
 * (typed into the JSON) goes under `other`, where its issue shows.
 */
export function groupByDomain<T extends { domain: string }>(rules: readonly T[]): DomainGroup<T>[] {
  const known = new Set<string>(ALERT_DOMAINS)
  const keys: (AlertDomain | 'other')[] = [...ALERT_DOMAINS, 'other']
  return keys
    .map(domain => ({ domain, items: rules.flatMap((rule, index) => ((known.has(rule.domain) ? rule.domain : 'other') === domain ? [{ rule, index }] : [])) }))
    .filter(g => g.items.length > 0)
}

/** A deep copy that drops Vue's proxies, for the draft and for what is sent. */
export function copyRules<T>(rules: readonly T[]): T[] {
  return JSON.parse(JSON.stringify(rules)) as T[]
}

export interface RulesChange { added: string[], removed: string[], changed: string[] }

/** What another save changed between two revisions, by rule id (a conflict says what the other saver did). */
export function changedRules(before: readonly { id: string }[], after: readonly { id: string }[]): RulesChange {
  const old = new Map(before.map(r => [r.id, JSON.stringify(r)]))
  const now = new Map(after.map(r => [r.id, JSON.stringify(r)]))
  return {
    added: after.filter(r => !old.has(r.id)).map(r => r.id),
    removed: before.filter(r => !now.has(r.id)).map(r => r.id),
    changed: after.filter(r => old.has(r.id) && old.get(r.id) !== now.get(r.id)).map(r => r.id),
  }
}
