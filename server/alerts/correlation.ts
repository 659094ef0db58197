import type { AlertDomain, RuleOfKind } from '@shared/schemas/alert-rules'
import type { Condition, EvalContext } from './evaluate'
import { DOMAIN_ZH } from './facts'

const MINUTE_MS = 60_000

/**
 * Signals of the source rules (their condition held in a town within the
 * window) from at least `minDomains` domains in one town: one alert per town.
 */
export function evaluateCorrelation(rule: RuleOfKind<'correlation'>, ctx: EvalContext): Condition[] {
  const from = ctx.now - rule.windowMin * MINUTE_MS
  const domainsByTown = new Map<string, Set<AlertDomain>>()
  const prefixes = new Map<string, AlertDomain>()
  for (const id of rule.sourceRuleIds) {
    const source = ctx.rules.get(id)
    if (source && source.enabled)
      prefixes.set(`${id}|`, source.domain)
  }
  for (const [key, t] of ctx.memory.signals) {
    if (t < from)
      continue
    const bar = key.indexOf('|')
    const domain = prefixes.get(key.slice(0, bar + 1))
    if (domain === undefined)
      continue
    const town = key.slice(bar + 1)
    const domains = domainsByTown.get(town)
    if (domains)
      domains.add(domain)
    else
      domainsByTown.set(town, new Set([domain]))
  }
  const out: Condition[] = []
  for (const [town, domains] of domainsByTown) {
    if (domains.size < rule.minDomains)
      continue
    const names = [...domains].sort().map(d => DOMAIN_ZH[d]).join(' + ')
    const place = ctx.facts.townNames[town] ?? town
    out.push({ entityId: town, townCode: town, holds: true, sustains: true, value: domains.size, title: `${place} ${names} ${rule.windowMin} 分钟内同时告警` })
  }
  return out
}
