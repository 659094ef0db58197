import type { AlertDomain, AlertRule } from '@shared/schemas/alert-rules'
import type { AlertSeverity } from '@shared/schemas/alerts'

/**
 * The lifecycle of one alert key (rule and entity): inactive → pending →
 * firing → acknowledged → resolved. Plain data and pure functions: the engine
 * calls `advance` once per step with the condition it evaluated, and persists
 * and publishes the transitions it returns. No timers: time is `now`.
 */
export type AlertPhase = 'inactive' | 'pending' | 'firing' | 'acknowledged'

export interface AlertRecord {
  key: string
  ruleId: string
  entityId: string
  townCode: string | null
  domain: AlertDomain
  severity: AlertSeverity
  groupKey: string
  phase: AlertPhase
  /** `${key}|${firedAt}`: the same on every node that evaluates the same history. */
  alertId: string | null
  /** The condition as last evaluated. */
  condition: boolean
  pendingSince: number | null
  firedAt: number | null
  falseSince: number | null
  acknowledgedBy: string | null
  acknowledgedAt: number | null
  escalationLevel: number
  escalatedAt: number | null
  /** Times the condition changed, within the flapping window. */
  flips: number[]
  flapping: boolean
  value: number | null
  title: string
  updatedAt: number
}

export type TransitionType = 'pending' | 'cancelled' | 'raised' | 'acknowledged' | 'escalated' | 'flapping' | 'steady' | 'resolved'

export interface AlertTransition {
  type: TransitionType
  at: number
  key: string
  alertId: string | null
  ruleId: string
  entityId: string
  townCode: string | null
  domain: AlertDomain
  severity: AlertSeverity
  groupKey: string
  title: string
  value: number | null
  escalationLevel: number
  /** Silences and maintenance windows muting it; filled by the engine. */
  mutedBy: string[]
  /** Whether a notification should go out: raised, escalated, resolved of a fired alert, when not muted. */
  notify: boolean
}

export interface LifecycleOptions {
  /** More condition changes than this within the window mark the alert flapping… */
  flapMaxTransitions: number
  flapWindowMs: number
  /** A critical alert unacknowledged this long escalates, unless its rule says otherwise. */
  escalateCriticalAfterMs: number
}

export const DEFAULT_LIFECYCLE_OPTIONS: Readonly<LifecycleOptions> = {
  flapMaxTransitions: 6,
  flapWindowMs: 30 * 60_000,
  escalateCriticalAfterMs: 10 * 60_000,
}

const MINUTE_MS = 60_000

export interface Observed {
  condition: boolean
  townCode: string | null
  value: number | null
  title: string
}

export function newRecord(rule: AlertRule, entityId: string, townCode: string | null, now: number): AlertRecord {
  return {
    key: `${rule.id}|${entityId}`,
    ruleId: rule.id,
    entityId,
    townCode,
    domain: rule.domain,
    severity: rule.severity,
    groupKey: rule.groupBy === 'town' ? `town:${townCode ?? 'city'}` : `domain:${rule.domain}`,
    phase: 'inactive',
    alertId: null,
    condition: false,
    pendingSince: null,
    firedAt: null,
    falseSince: null,
    acknowledgedBy: null,
    acknowledgedAt: null,
    escalationLevel: 0,
    escalatedAt: null,
    flips: [],
    flapping: false,
    value: null,
    title: '',
    updatedAt: now,
  }
}

export function transitionOf(r: AlertRecord, type: TransitionType, at: number): AlertTransition {
  return {
    type,
    at,
    key: r.key,
    alertId: r.alertId,
    ruleId: r.ruleId,
    entityId: r.entityId,
    townCode: r.townCode,
    domain: r.domain,
    severity: r.severity,
    groupKey: r.groupKey,
    title: r.title,
    value: r.value,
    escalationLevel: r.escalationLevel,
    mutedBy: [],
    notify: type === 'raised' || type === 'escalated' || type === 'resolved',
  }
}

function trackFlips(r: AlertRecord, condition: boolean, now: number, opts: LifecycleOptions, out: AlertTransition[]): void {
  if (condition !== r.condition) {
    r.flips.push(now)
    r.condition = condition
  }
  while (r.flips.length > 0 && r.flips[0]! < now - opts.flapWindowMs)
    r.flips.shift()
  const fired = r.phase === 'firing' || r.phase === 'acknowledged'
  if (!r.flapping && r.flips.length > opts.flapMaxTransitions) {
    r.flapping = true
    if (fired)
      out.push(transitionOf(r, 'flapping', now))
  }
  else if (r.flapping && r.flips.length <= opts.flapMaxTransitions / 2) {
    r.flapping = false
    if (fired)
      out.push(transitionOf(r, 'steady', now))
  }
}

function fire(r: AlertRecord, now: number, out: AlertTransition[]): void {
  r.phase = 'firing'
  r.firedAt = now
  r.alertId = `${r.key}|${now}`
  r.falseSince = null
  out.push(transitionOf(r, 'raised', now))
}

/**
 * One step of one key. `observed` is null when the rule's evaluation did not
 * return the entity (its condition does not hold). Returns the transitions; the
 * caller drops the record once it is inactive with no flips left to remember.
 */
export function advance(r: AlertRecord, rule: AlertRule, observed: Observed | null, now: number, opts: LifecycleOptions): AlertTransition[] {
  const out: AlertTransition[] = []
  const condition = observed?.condition ?? false
  if (observed) {
    r.value = observed.value
    r.title = observed.title
    r.townCode = observed.townCode
  }
  r.severity = rule.severity
  trackFlips(r, condition, now, opts, out)
  switch (r.phase) {
    case 'inactive':
      if (!condition)
        break
      r.phase = 'pending'
      r.pendingSince = now
      out.push(transitionOf(r, 'pending', now))
      if (rule.forMin === 0)
        fire(r, now, out)
      break
    case 'pending':
      if (!condition) {
        r.phase = 'inactive'
        r.pendingSince = null
        out.push(transitionOf(r, 'cancelled', now))
      }
      else if (now - r.pendingSince! >= rule.forMin * MINUTE_MS) {
        fire(r, now, out)
      }
      break
    case 'firing':
    case 'acknowledged':
      if (condition) {
        r.falseSince = null
        break
      }
      r.falseSince ??= now
      if (!r.flapping && now - r.falseSince >= rule.clearForMin * MINUTE_MS)
        resolve(r, now, out)
      break
  }
  escalate(r, rule, now, opts, out)
  r.updatedAt = now
  return out
}

function escalate(r: AlertRecord, rule: AlertRule, now: number, opts: LifecycleOptions, out: AlertTransition[]): void {
  if (r.phase !== 'firing' || r.severity !== 'critical' || r.escalationLevel > 0)
    return
  const afterMs = rule.escalateAfterMin === undefined ? opts.escalateCriticalAfterMs : rule.escalateAfterMin * MINUTE_MS
  if (now - r.firedAt! >= afterMs) {
    r.escalationLevel = 1
    r.escalatedAt = now
    out.push(transitionOf(r, 'escalated', now))
  }
}

/** Ends a fired alert now (the condition cleared, or its rule was removed or disabled). */
export function resolve(r: AlertRecord, now: number, out: AlertTransition[]): void {
  out.push(transitionOf(r, 'resolved', now))
  r.phase = 'inactive'
  r.alertId = null
  r.pendingSince = null
  r.firedAt = null
  r.falseSince = null
  r.acknowledgedBy = null
  r.acknowledgedAt = null
  r.escalationLevel = 0
  r.escalatedAt = null
  r.flapping = false
  r.updatedAt = now
}

/** An operator acknowledges a firing alert: null when there is nothing firing to acknowledge. */
export function acknowledge(r: AlertRecord, by: string, now: number): AlertTransition | null {
  if (r.phase !== 'firing')
    return null
  r.phase = 'acknowledged'
  r.acknowledgedBy = by
  r.acknowledgedAt = now
  r.updatedAt = now
  return transitionOf(r, 'acknowledged', now)
}
