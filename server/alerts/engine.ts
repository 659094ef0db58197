import type { AlertRule, AlertRuleSet, AlertSilence } from '@shared/schemas/alert-rules'
import type { Condition, EvalMemory } from './evaluate'
import { emptyMemory, evaluateRuleSet, pruneMemory } from './evaluate'
import type { CityFacts } from './facts'
import type { AlertRecord, AlertTransition, LifecycleOptions } from './lifecycle'
import { acknowledge, advance, DEFAULT_LIFECYCLE_OPTIONS, newRecord, resolve } from './lifecycle'
import { mutedBy } from './silences'

/** Everything the engine knows, as plain serialisable data: persist it as it is, restore it with `new AlertEngine({ state })`. */
export interface EngineState {
  v: 1
  /** Alert key (`${ruleId}|${entityId}`) → record; inactive keys stay only while their flips matter. */
  records: Record<string, AlertRecord>
  /** Rate rules' sliding minima: rule id → entity id → [t, v, t, v, …]. */
  series: Record<string, Record<string, number[]>>
  /** `${ruleId}|${townCode}` → last time the rule's condition held there. */
  signals: Record<string, number>
  prunedAt: number
}

/** The same state while the engine works on it: maps, for lookups by the hundred thousand. */
export interface WorkingState {
  records: Map<string, AlertRecord>
  memory: EvalMemory
  prunedAt: number
}

const PRUNE_INTERVAL_MS = 5 * 60_000

export function emptyState(): WorkingState {
  return { records: new Map(), memory: emptyMemory(), prunedAt: 0 }
}

export function toPlain(w: WorkingState): EngineState {
  const series: EngineState['series'] = {}
  for (const [ruleId, byEntity] of w.memory.series)
    series[ruleId] = Object.fromEntries(byEntity)
  return { v: 1, records: Object.fromEntries(w.records), series, signals: Object.fromEntries(w.memory.signals), prunedAt: w.prunedAt }
}

export function fromPlain(s: EngineState): WorkingState {
  const series = new Map(Object.entries(s.series).map(([ruleId, byEntity]) => [ruleId, new Map(Object.entries(byEntity))]))
  return { records: new Map(Object.entries(s.records)), memory: { series, signals: new Map(Object.entries(s.signals)) }, prunedAt: s.prunedAt }
}

function fired(r: AlertRecord): boolean {
  return r.phase === 'firing' || r.phase === 'acknowledged'
}

export interface StepInput {
  rules: AlertRuleSet
  silences: readonly AlertSilence[]
  options: LifecycleOptions
}

/**
 * One evaluation step: evaluates every rule on the facts, advances every
 * alert key and returns the transitions to persist and publish, muted where a
 * silence matches. Mutates `state` in place.
 */
export function step(state: WorkingState, input: StepInput, now: number, facts: CityFacts): AlertTransition[] {
  const rulesById = new Map<string, AlertRule>(input.rules.rules.map(r => [r.id, r]))
  const conditions = evaluateRuleSet(input.rules, now, facts, state.memory)
  const out: AlertTransition[] = []
  const seen = new Set<string>()
  for (const [ruleId, list] of conditions)
    advanceRule(state, rulesById.get(ruleId)!, list, now, input.options, seen, out)
  for (const [key, r] of state.records) {
    if (seen.has(key))
      continue
    const rule = rulesById.get(r.ruleId)
    if (!rule || !rule.enabled) {
      if (fired(r))
        resolve(r, now, out)
      state.records.delete(key)
      continue
    }
    if (r.phase === 'inactive' && !r.condition) {
      // Quiet and still quiet: all that can change is its old flips leaving the flapping window.
      const since = now - input.options.flapWindowMs
      while (r.flips.length > 0 && r.flips[0]! < since)
        r.flips.shift()
    }
    else {
      for (const t of advance(r, rule, null, now, input.options))
        out.push(t)
    }
    if (r.phase === 'inactive' && r.flips.length === 0)
      state.records.delete(key)
  }
  if (now - state.prunedAt >= PRUNE_INTERVAL_MS) {
    pruneMemory(state.memory, input.rules, now)
    state.prunedAt = now
  }
  for (const t of out) {
    t.mutedBy = mutedBy(input.silences, t, now)
    t.notify &&= t.mutedBy.length === 0
  }
  return out
}

function advanceRule(state: WorkingState, rule: AlertRule, list: readonly Condition[], now: number, opts: LifecycleOptions, seen: Set<string>, out: AlertTransition[]): void {
  for (const c of list) {
    const key = `${rule.id}|${c.entityId}`
    let r = state.records.get(key)
    if (!r) {
      if (!c.holds)
        continue
      state.records.set(key, r = newRecord(rule, c.entityId, c.townCode, now))
    }
    seen.add(key)
    const condition = fired(r) ? c.sustains : c.holds
    for (const t of advance(r, rule, { condition, townCode: c.townCode, value: c.value, title: c.title }, now, opts))
      out.push(t)
  }
}

export interface AlertEngineInit {
  rules: AlertRuleSet
  state?: EngineState
  silences?: readonly AlertSilence[]
  options?: Partial<LifecycleOptions>
}

/** The engine as a caller holds it: rules, silences and state together. Time always comes from the caller. */
export class AlertEngine {
  private rules: AlertRuleSet
  private silences: readonly AlertSilence[]
  private readonly options: LifecycleOptions
  private readonly data: WorkingState

  constructor(init: AlertEngineInit) {
    this.rules = init.rules
    this.silences = init.silences ?? []
    this.options = { ...DEFAULT_LIFECYCLE_OPTIONS, ...init.options }
    this.data = init.state ? fromPlain(init.state) : emptyState()
  }

  setRules(rules: AlertRuleSet): void {
    this.rules = rules
  }

  setSilences(silences: readonly AlertSilence[]): void {
    this.silences = silences
  }

  step(now: number, facts: CityFacts): AlertTransition[] {
    return step(this.data, { rules: this.rules, silences: this.silences, options: this.options }, now, facts)
  }

  /** Acknowledges the firing alert of a key or alert id; null when nothing there is firing. */
  acknowledge(keyOrAlertId: string, by: string, now: number): AlertTransition | null {
    const r = this.data.records.get(keyOrAlertId) ?? [...this.data.records.values()].find(x => x.alertId === keyOrAlertId)
    const t = r ? acknowledge(r, by, now) : null
    if (t) {
      t.mutedBy = mutedBy(this.silences, t, now)
      t.notify = false
    }
    return t
  }

  /**
   * Another node raised this key's alert first (the store kept its row): the
   * record takes that alert's id and acknowledgement, so that what follows
   * (escalation, resolution) is about the alert everyone sees.
   */
  adopt(key: string, alert: { id: string, acknowledgedBy: string | null, acknowledgedAt: number | null }): void {
    const r = this.data.records.get(key)
    if (!r || r.phase === 'inactive' || r.phase === 'pending')
      return
    r.alertId = alert.id
    if (alert.acknowledgedBy !== null && r.phase === 'firing') {
      r.phase = 'acknowledged'
      r.acknowledgedBy = alert.acknowledgedBy
      r.acknowledgedAt = alert.acknowledgedAt
    }
  }

  /** Pending, firing and acknowledged alerts. */
  active(): AlertRecord[] {
    return [...this.data.records.values()].filter(r => r.phase !== 'inactive')
  }

  /** The state to persist, as plain data (a copy of the maps; the records themselves are shared until the next step). */
  state(): EngineState {
    return toPlain(this.data)
  }
}
