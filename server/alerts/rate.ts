import type { RuleOfKind } from '@shared/schemas/alert-rules'
import type { Condition, EvalContext } from './evaluate'
import type { EntityFact } from './facts'
import { metricPhrase } from './format'

const MINUTE_MS = 60_000

/**
 * Pushes (t, v) onto a sliding-window-minimum deque and returns the window's
 * minimum. Written to rewrite in place: a step passes some 100,000 entities
 * whose value mostly did not change, and splice or a shrinking length would
 * allocate or leave V8's fast path for each of them.
 */
export function pushWindowMin(series: number[], t: number, v: number, windowMs: number): number {
  const n = series.length
  if (n === 0 || t > series[n - 2]!) {
    let m = n
    while (m > 0 && series[m - 1]! >= v)
      m -= 2
    if (m === n) {
      series.push(t, v)
    }
    else {
      series[m] = t
      series[m + 1] = v
      if (m + 2 < n)
        series.length = m + 2
    }
  }
  while (series.length > 2 && series[0]! < t - windowMs) {
    series.shift()
    series.shift()
  }
  return series[1]!
}

/**
 * Where each entity's series sits, by the entity's position in the facts'
 * list. A step of a full city makes some 80,000 (rule, entity) look-ups by
 * entity id, and a string-keyed Map look-up costs more than all the rest of a
 * rate rule's work; the entity lists keep their order from step to step, so a
 * position whose id did not change reuses the series it found last time.
 * Every slot is the very array stored in the rule's map; pruneMemory
 * (evaluate.ts), the only code that deletes from those maps, forgets the cache.
 */
class Positions {
  private ids: (string | undefined)[] = []
  private slots: number[][] = []

  seriesAt(byEntity: Map<string, number[]>, i: number, id: string): number[] {
    if (this.ids[i] === id)
      return this.slots[i]!
    let series = byEntity.get(id)
    if (!series)
      byEntity.set(id, series = [])
    this.ids[i] = id
    this.slots[i] = series
    return series
  }
}

const positionsByMap = new WeakMap<Map<string, number[]>, Positions>()

/** Call after deleting entries of a rule's series map other than through evaluateRate. */
export function forgetPositions(byEntity: Map<string, number[]>): void {
  positionsByMap.delete(byEntity)
}

function positionsOf(byEntity: Map<string, number[]>): Positions {
  let p = positionsByMap.get(byEntity)
  if (!p)
    positionsByMap.set(byEntity, p = new Positions())
  return p
}

function riseTitle(rule: RuleOfKind<'rate'>, e: EntityFact, min: number, v: number): string {
  return `${e.name} ${rule.windowMin} 分钟内由${metricPhrase(rule.metric, min)}升至${metricPhrase(rule.metric, v)}`
}

/** The metric now at least `riseBy` above its lowest value of the window (by observation times). */
export function evaluateRate(rule: RuleOfKind<'rate'>, ctx: EvalContext): Condition[] {
  const out: Condition[] = []
  const windowMs = rule.windowMin * MINUTE_MS
  let byEntity = ctx.memory.series.get(rule.id)
  if (!byEntity)
    ctx.memory.series.set(rule.id, byEntity = new Map<string, number[]>())
  const entities = ctx.facts.entities[rule.entityKind] ?? []
  const p = positionsOf(byEntity)
  for (let i = 0; i < entities.length; i++) {
    const e = entities[i]!
    const v = e.metrics[rule.metric]
    if (v === undefined || e.observedAt === null)
      continue
    const min = pushWindowMin(p.seriesAt(byEntity, i, e.id), e.observedAt, v, windowMs)
    const rise = v - min
    if (rise >= rule.riseBy)
      out.push({ entityId: e.id, townCode: e.townCode, holds: true, sustains: true, value: rise, title: riseTitle(rule, e, min, v) })
  }
  return out
}
