import type { RuleOfKind } from '@shared/schemas/alert-rules'
import type { Condition, EvalContext } from './evaluate'

const MINUTE_MS = 60_000

function duration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / MINUTE_MS))
  if (minutes < 60)
    return `${minutes} 分钟`
  const hours = Math.floor(minutes / 60)
  return hours < 48 ? `${hours} 小时` : `${Math.floor(hours / 24)} 天`
}

/** Open items near their due time (`near`) or past it (`overdue`); the value is minutes to (−) or past (+) the due time. */
export function evaluateDeadline(rule: RuleOfKind<'deadline'>, ctx: EvalContext): Condition[] {
  const withinMs = (rule.withinMin ?? 0) * MINUTE_MS
  const out: Condition[] = []
  for (const d of ctx.facts.deadlines) {
    if (!d.open || (rule.sources && !rule.sources.includes(d.source)))
      continue
    const pastMs = ctx.now - d.dueAt
    const holds = rule.mode === 'overdue' ? pastMs > 0 : pastMs <= 0 && -pastMs <= withinMs
    if (!holds)
      continue
    const title = rule.mode === 'overdue' ? `${d.title} 已超期 ${duration(pastMs)}` : `${d.title} 距办理时限 ${duration(-pastMs)}`
    out.push({ entityId: d.id, townCode: d.townCode, holds, sustains: holds, value: Math.round(pastMs / MINUTE_MS), title })
  }
  return out
}
