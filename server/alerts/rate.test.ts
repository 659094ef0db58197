import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { emptyMemory, evaluateRule, pruneMemory } from './evaluate'
import { evaluateRate } from './rate'
import { entity, facts, MINUTE_MS, rule, ruleSet, T0 } from './test-support'

const WINDOW_MIN = 30

/**
 * The sliding minimum the slow way: every accepted sample of an entity kept,
 * and the oldest time still in the window only ever moving forward, as the
 * deque's evictions do.
 */
class NaiveWindows {
  private readonly byId = new Map<string, { samples: { t: number, v: number }[], from: number }>()

  push(id: string, t: number, v: number): number {
    let w = this.byId.get(id)
    if (!w)
      this.byId.set(id, w = { samples: [], from: Number.NEGATIVE_INFINITY })
    const last = w.samples.at(-1)
    if (!last || t > last.t)
      w.samples.push({ t, v })
    w.from = Math.max(w.from, t - WINDOW_MIN * MINUTE_MS)
    const inWindow = w.samples.filter(s => s.t >= w.from)
    return inWindow.length > 0 ? Math.min(...inWindow.map(s => s.v)) : w.samples.at(-1)!.v
  }

  prune(now: number): void {
    for (const [id, w] of this.byId) {
      if (w.samples.at(-1)!.t < now - WINDOW_MIN * MINUTE_MS)
        this.byId.delete(id)
    }
  }
}

interface Report { id: number, v: number, lagMin: number, silent: boolean }
interface Step { reports: Report[], prune: boolean }

const report = fc.record({ id: fc.integer({ min: 0, max: 5 }), v: fc.integer({ min: 0, max: 8 }), lagMin: fc.constantFrom(0, 1, 5, 29, 45), silent: fc.boolean() })
const steps = fc.array(fc.record({ reports: fc.array(report, { maxLength: 8 }), prune: fc.boolean() }), { minLength: 1, maxLength: 40 })

describe(evaluateRate.name, () => {
  const r = rule({ id: 'jam-rise', name: '拥堵上升', kind: 'rate', domain: 'traffic', severity: 'warning', entityKind: 'segment', metric: 'congestionLevel', riseBy: 2, windowMin: WINDOW_MIN })
  const set = ruleSet({ id: 'jam-rise', name: '拥堵上升', kind: 'rate', domain: 'traffic', severity: 'warning', entityKind: 'segment', metric: 'congestionLevel', riseBy: 2, windowMin: WINDOW_MIN })

  it('agrees with a naive window minimum while entities move, repeat, fall silent and are pruned', () => {
    fc.assert(fc.property(steps, (run: Step[]) => {
      const memory = emptyMemory()
      const naive = new NaiveWindows()
      run.forEach((step, k) => {
        const now = T0 + k * 7 * MINUTE_MS
        const segments = step.reports.map(x => entity(`seg-${x.id}`, x.silent ? {} : { congestionLevel: x.v }, { observedAt: now - x.lagMin * MINUTE_MS }))
        const expected = segments.flatMap((e) => {
          const v = e.metrics.congestionLevel
          if (v === undefined)
            return []
          const rise = v - naive.push(e.id, e.observedAt!, v)
          return rise >= r.riseBy ? [[e.id, rise]] : []
        })
        const got = evaluateRule(r, { now, facts: facts({ entities: { segment: segments } }), memory, rules: new Map() })
        expect(got.map(c => [c.entityId, c.value])).toEqual(expected)
        if (step.prune) {
          pruneMemory(memory, set, now)
          naive.prune(now)
        }
      })
    }), { numRuns: 300 })
  })
})
