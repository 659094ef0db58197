import type { AlertRuleInput, AlertRuleKind, EntityKind } from '@shared/schemas/alert-rules'
import { ALERT_DOMAINS, CompareOp, ENTITY_KINDS, METRICS_BY_KIND } from '@shared/schemas/alert-rules'
import { AlertSeverity } from '@shared/schemas/alerts'
import { IncidentTopic } from '@shared/schemas/incidents'

/**
 * The rule form as data: which control edits which field, per kind. The
 * editor renders the list; reading and writing a field go through `fieldValue`
 * and `withField`, which return a new rule (the draft list is replaced, never
 * mutated through a prop).
 */
export type FieldSpec =
  | { field: string, type: 'text', wide?: boolean, mono?: boolean }
  | { field: string, type: 'number', optional?: boolean, min?: number, step?: number }
  | { field: string, type: 'select', options: readonly string[], labels: 'severities' | 'domains' | 'groupBys' | 'entityKinds' | 'directions' | 'modes' | 'metrics' | 'ops' }
  | { field: string, type: 'words', wide: true }
  | { field: string, type: 'topics', wide: true }
  | { field: string, type: 'ruleIds', wide: true }

const SEVERITIES = AlertSeverity.options
const OPS = CompareOp.options
const ABSENCE_KINDS = ENTITY_KINDS.filter(k => k !== 'city')
const MEASURED_KINDS = ENTITY_KINDS.filter(k => METRICS_BY_KIND[k].length > 0)

export const TOPICS = IncidentTopic.options

/** The metrics an entity kind carries; the form offers only these. */
export function metricsOf(entityKind: unknown): readonly string[] {
  return typeof entityKind === 'string' && entityKind in METRICS_BY_KIND ? METRICS_BY_KIND[entityKind as EntityKind] : []
}

export const COMMON_SPECS: readonly FieldSpec[] = [
  { field: 'id', type: 'text', mono: true },
  { field: 'name', type: 'text' },
  { field: 'severity', type: 'select', options: SEVERITIES, labels: 'severities' },
  { field: 'domain', type: 'select', options: ALERT_DOMAINS, labels: 'domains' },
]

export const TIMING_SPECS: readonly FieldSpec[] = [
  { field: 'forMin', type: 'number', min: 0, step: 1 },
  { field: 'clearForMin', type: 'number', min: 0, step: 1 },
  { field: 'groupBy', type: 'select', options: ['town', 'domain'], labels: 'groupBys' },
  { field: 'escalateAfterMin', type: 'number', optional: true, min: 1, step: 1 },
]

const measured = (extra: readonly FieldSpec[]): FieldSpec[] => [
  { field: 'entityKind', type: 'select', options: MEASURED_KINDS, labels: 'entityKinds' },
  // Its options follow the entity kind (metricsOf), so the list here is only the first entity's.
  { field: 'metric', type: 'select', options: [], labels: 'metrics' },
  ...extra,
]

export const KIND_SPECS: Record<AlertRuleKind, readonly FieldSpec[]> = {
  threshold: measured([
    { field: 'op', type: 'select', options: OPS, labels: 'ops' },
    { field: 'value', type: 'number' },
    { field: 'clearValue', type: 'number', optional: true },
  ]),
  rate: measured([
    { field: 'riseBy', type: 'number', min: 0 },
    { field: 'windowMin', type: 'number', min: 1, step: 1 },
  ]),
  anomaly: measured([
    { field: 'zAbove', type: 'number', min: 0, step: 0.5 },
    { field: 'direction', type: 'select', options: ['above', 'below', 'both'], labels: 'directions' },
    { field: 'minSamples', type: 'number', min: 3, step: 1 },
    { field: 'minSpread', type: 'number', min: 0 },
  ]),
  absence: [
    { field: 'entityKind', type: 'select', options: ABSENCE_KINDS, labels: 'entityKinds' },
    { field: 'silentMin', type: 'number', min: 1, step: 1 },
  ],
  cluster: [
    { field: 'minCount', type: 'number', min: 2, step: 1 },
    { field: 'radiusM', type: 'number', min: 1, step: 100 },
    { field: 'windowMin', type: 'number', min: 1, step: 1 },
    { field: 'topics', type: 'topics', wide: true },
    { field: 'keywords', type: 'words', wide: true },
  ],
  correlation: [
    { field: 'minDomains', type: 'number', min: 2, step: 1 },
    { field: 'windowMin', type: 'number', min: 1, step: 1 },
    { field: 'sourceRuleIds', type: 'ruleIds', wide: true },
  ],
  deadline: [
    { field: 'mode', type: 'select', options: ['near', 'overdue'], labels: 'modes' },
    { field: 'withinMin', type: 'number', optional: true, min: 1, step: 1 },
    { field: 'sources', type: 'words', wide: true },
  ],
}

export function fieldValue(rule: AlertRuleInput, field: string): unknown {
  return (rule as Record<string, unknown>)[field]
}

/** The rule with one field set; `undefined` removes it (an optional field left blank). */
export function withField(rule: AlertRuleInput, field: string, value: unknown): AlertRuleInput {
  const next: Record<string, unknown> = { ...rule }
  if (value === undefined)
    delete next[field]
  else
    next[field] = value
  // A metric the new entity kind does not carry would only be an error: take its first.
  if (field === 'entityKind' && 'metric' in next) {
    const metrics = metricsOf(value)
    if (!metrics.includes(String(next.metric)) && metrics[0] !== undefined)
      next.metric = metrics[0]
  }
  return next as AlertRuleInput
}

/**
 * A number field's text as the rule holds it: blank is undefined (the
 * schema's default, or its "required" message), anything else the number,
 * even out of range (the schema says why at the field).
 */
export function numberFrom(text: string): number | undefined {
  if (text.trim() === '')
    return undefined
  const n = Number(text)
  return Number.isFinite(n) ? n : undefined
}

/** `异味，臭, 气味` → ['异味', '臭', '气味']; blank → undefined (no filter). */
export function wordsFrom(text: string): string[] | undefined {
  const words = text.split(/[,，、;；\s]+/).map(w => w.trim()).filter(w => w.length > 0)
  return words.length > 0 ? words : undefined
}

/** A list field's words as the text box shows them. */
export function wordsText(value: unknown): string {
  return Array.isArray(value) ? value.join('，') : ''
}

/** A list with `item` added or removed; undefined once empty (an optional filter: absent means all). */
export function toggled(list: unknown, item: string, on: boolean): string[] | undefined {
  const current = Array.isArray(list) ? list.map(String) : []
  const next = on ? [...current.filter(x => x !== item), item] : current.filter(x => x !== item)
  return next.length > 0 ? next : undefined
}
