import { z } from 'zod'
import { ALERT_DOMAINS, AlertDomain, AlertSeverity } from './alerts'
import { Instant, TownCode } from './common'
import { IncidentTopic } from './incidents'

/**
 * Alert rules as versioned data (conventions §17): a rule set carries `v`
 * (the document's schema version) and `revision` (bumped by every edit).
 * Durations are whole minutes, named with their unit.
 */
export const ALERT_RULES_VERSION = 1

export { ALERT_DOMAINS, AlertDomain }

/** What a rule looks at, one alert per rule and entity. */
export const ENTITY_KINDS = ['city', 'town', 'station', 'segment', 'hall', 'feed'] as const
export const EntityKind = z.enum(ENTITY_KINDS)
export type EntityKind = z.infer<typeof EntityKind>

/** The metrics each entity kind carries in the evaluator's input (server/alerts/facts.ts). */
export const METRICS_BY_KIND = {
  city: ['aqi', 'aqiLevel', 'tpi'],
  town: ['aqi', 'aqiLevel', 'tpi', 'congestionLevel', 'intake1h', 'openIncidents'],
  station: ['aqi', 'aqiLevel', 'pm25'],
  segment: ['speedKmh', 'congestionLevel'],
  hall: ['waiting', 'waitingPerWindow', 'avgWaitMin', 'maxWaitMin'],
  feed: [],
} as const satisfies Record<EntityKind, readonly string[]>

export const METRIC_NAMES = ['aqi', 'aqiLevel', 'pm25', 'tpi', 'speedKmh', 'congestionLevel', 'waiting', 'waitingPerWindow', 'avgWaitMin', 'maxWaitMin', 'intake1h', 'openIncidents'] as const
export const MetricName = z.enum(METRIC_NAMES)
export type MetricName = z.infer<typeof MetricName>

/** The metrics' Chinese names, as alert titles and the rules screen write them. */
export const METRIC_ZH: Readonly<Record<MetricName, string>> = {
  aqi: 'AQI',
  aqiLevel: 'AQI 级别',
  pm25: 'PM2.5',
  tpi: '交通指数',
  speedKmh: '车速',
  congestionLevel: '拥堵等级',
  waiting: '等候人数',
  waitingPerWindow: '窗口人均等候',
  avgWaitMin: '平均等候',
  maxWaitMin: '最长等候',
  intake1h: '近 1 小时诉求量',
  openIncidents: '未办结工单',
}

export const CompareOp = z.enum(['>', '>=', '<', '<='])
export type CompareOp = z.infer<typeof CompareOp>

const RuleId = z.string().min(1).max(100).regex(/^[a-z0-9][\w.-]*$/, 'lower-case letters, digits and _ . - only')
const Minutes = z.number().finite().nonnegative().max(7 * 24 * 60)
const PositiveMinutes = Minutes.positive()

const Common = z.strictObject({
  id: RuleId,
  /** Shown to operators, in Chinese. */
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  severity: AlertSeverity,
  domain: AlertDomain,
  /** The condition must hold this long before the alert fires (pending until then). */
  forMin: Minutes.default(0),
  /** A firing alert clears only after its condition has been false this long. */
  clearForMin: Minutes.default(5),
  /** Notifications group by the alert's town or by the rule's domain. */
  groupBy: z.enum(['town', 'domain']).default('town'),
  /** A critical alert unacknowledged this long escalates (once); default from the engine options. */
  escalateAfterMin: PositiveMinutes.optional(),
})

export const ThresholdRule = Common.extend({
  kind: z.literal('threshold'),
  entityKind: EntityKind,
  metric: MetricName,
  op: CompareOp,
  value: z.number().finite(),
  /** Hysteresis by value: once firing, the alert holds until the metric is past this one (e.g. fire > 150, clear ≤ 140). */
  clearValue: z.number().finite().optional(),
})

export const RateRule = Common.extend({
  kind: z.literal('rate'),
  entityKind: EntityKind,
  metric: MetricName,
  /** Fires when the metric now is at least this much above its lowest value within the window. */
  riseBy: z.number().finite().positive(),
  windowMin: PositiveMinutes,
})

export const AnomalyRule = Common.extend({
  kind: z.literal('anomaly'),
  entityKind: EntityKind,
  metric: MetricName,
  /** Robust z-score, (x − median) / (1.4826 · MAD), against the baseline of the same weekday and hour (China time). */
  zAbove: z.number().finite().positive(),
  direction: z.enum(['above', 'below', 'both']).default('above'),
  /** A baseline bucket with fewer samples than this is not trusted: no evaluation. */
  minSamples: z.number().int().min(3).max(10_000),
  /** Floor of the spread, in the metric's unit, so a flat history does not turn every wobble into an alert. */
  minSpread: z.number().finite().positive().default(1),
})

export const AbsenceRule = Common.extend({
  kind: z.literal('absence'),
  entityKind: EntityKind,
  /** Silent (no report) for this long. */
  silentMin: PositiveMinutes,
})

export const ClusterRule = Common.extend({
  kind: z.literal('cluster'),
  minCount: z.number().int().min(2).max(10_000),
  radiusM: z.number().finite().positive().max(50_000),
  windowMin: PositiveMinutes,
  /** Only incidents of these topics (all when absent); "similar" means the same topic. */
  topics: z.array(IncidentTopic).min(1).optional(),
  /** Only incidents whose title or description contains one of these words. */
  keywords: z.array(z.string().trim().min(1).max(20)).min(1).max(50).optional(),
})

export const CorrelationRule = Common.extend({
  kind: z.literal('correlation'),
  /** Rules whose signals (condition holding, in a town) are combined. */
  sourceRuleIds: z.array(RuleId).min(2).max(20),
  minDomains: z.number().int().min(2).max(ALERT_DOMAINS.length),
  windowMin: PositiveMinutes,
})

export const DeadlineRule = Common.extend({
  kind: z.literal('deadline'),
  /** `near`: due within `withinMin`; `overdue`: past due. */
  mode: z.enum(['near', 'overdue']),
  withinMin: PositiveMinutes.optional(),
  /** Only items from these sources (e.g. 'incident', 'work-order'); all when absent. */
  sources: z.array(z.string().min(1).max(64)).min(1).optional(),
})

function checkRule(rule: AlertRuleShape, ctx: z.RefinementCtx): void {
  const issue = (message: string, path: string): void => {
    ctx.addIssue({ code: 'custom', message: `rule ${rule.id}: ${message}`, path: [path] })
  }
  if ('entityKind' in rule && 'metric' in rule && !(METRICS_BY_KIND[rule.entityKind] as readonly string[]).includes(rule.metric))
    issue(`metric ${rule.metric} is not measured on ${rule.entityKind} (it has: ${METRICS_BY_KIND[rule.entityKind].join(', ') || 'none'})`, 'metric')
  if ('windowMin' in rule && rule.windowMin < rule.forMin)
    issue(`the window (${rule.windowMin} min) is shorter than the for duration (${rule.forMin} min)`, 'windowMin')
  switch (rule.kind) {
    case 'threshold':
      if (rule.clearValue !== undefined) {
        const above = rule.op === '>' || rule.op === '>='
        if (above ? rule.clearValue > rule.value : rule.clearValue < rule.value)
          issue(`clearValue ${rule.clearValue} must be on the safe side of value ${rule.value} (op ${rule.op})`, 'clearValue')
      }
      break
    case 'deadline':
      if (rule.mode === 'near' && rule.withinMin === undefined)
        issue('a near-deadline rule needs withinMin', 'withinMin')
      break
    case 'correlation':
      if (new Set(rule.sourceRuleIds).size !== rule.sourceRuleIds.length)
        issue('sourceRuleIds repeat a rule', 'sourceRuleIds')
      if (rule.sourceRuleIds.includes(rule.id))
        issue('a correlation cannot use itself as a source', 'sourceRuleIds')
      break
    case 'absence':
      if (rule.entityKind === 'city')
        issue('absence watches stations, segments, halls, towns or feeds, not the city', 'entityKind')
      break
    case 'rate':
    case 'anomaly':
    case 'cluster':
      break
  }
}

const RuleUnion = z.discriminatedUnion('kind', [ThresholdRule, RateRule, AnomalyRule, AbsenceRule, ClusterRule, CorrelationRule, DeadlineRule])
type AlertRuleShape = z.infer<typeof RuleUnion>

export const AlertRule = RuleUnion.superRefine(checkRule)
export type AlertRule = z.infer<typeof AlertRule>
export type AlertRuleInput = z.input<typeof AlertRule>
export type AlertRuleKind = AlertRule['kind']
export type RuleOfKind<K extends AlertRuleKind> = Extract<AlertRule, { kind: K }>

export const AlertRuleSet = z.strictObject({
  v: z.literal(ALERT_RULES_VERSION),
  /** Bumped by each edit, so a stale editor cannot overwrite a newer set. */
  revision: z.number().int().nonnegative(),
  updatedAt: Instant.optional(),
  updatedBy: z.string().max(64).optional(),
  rules: z.array(AlertRule).max(1000),
}).superRefine((set, ctx) => {
  const byId = new Map<string, AlertRule>()
  set.rules.forEach((r, i) => {
    if (byId.has(r.id))
      ctx.addIssue({ code: 'custom', message: `rule id ${r.id} is used twice`, path: ['rules', i, 'id'] })
    byId.set(r.id, r)
  })
  set.rules.forEach((r, i) => {
    if (r.kind !== 'correlation')
      return
    const domains = new Set<AlertDomain>()
    for (const id of r.sourceRuleIds) {
      const source = byId.get(id)
      if (!source)
        ctx.addIssue({ code: 'custom', message: `rule ${r.id}: source rule ${id} does not exist`, path: ['rules', i, 'sourceRuleIds'] })
      else if (source.kind === 'correlation')
        ctx.addIssue({ code: 'custom', message: `rule ${r.id}: source rule ${id} is itself a correlation`, path: ['rules', i, 'sourceRuleIds'] })
      else
        domains.add(source.domain)
    }
    if (domains.size < r.minDomains)
      ctx.addIssue({ code: 'custom', message: `rule ${r.id}: its sources span ${domains.size} domain(s), fewer than minDomains ${r.minDomains}`, path: ['rules', i, 'minDomains'] })
  })
})
export type AlertRuleSet = z.infer<typeof AlertRuleSet>
export type AlertRuleSetInput = z.input<typeof AlertRuleSet>

/** Silences and maintenance windows: mute notifications of matching alerts, keep their state. Absent matchers match anything. */
export const AlertSilence = z.strictObject({
  id: z.string().min(1).max(100),
  kind: z.enum(['silence', 'maintenance']),
  matchers: z.strictObject({
    ruleId: RuleId.optional(),
    townCode: TownCode.optional(),
    domain: AlertDomain.optional(),
    entityId: z.string().min(1).max(200).optional(),
  }),
  startsAt: Instant,
  endsAt: Instant,
  createdBy: z.string().min(1).max(64),
  comment: z.string().max(500).default(''),
}).refine(s => Date.parse(s.startsAt) < Date.parse(s.endsAt), { message: 'endsAt must be after startsAt', path: ['endsAt'] })
export type AlertSilence = z.infer<typeof AlertSilence>

/** POST /api/alert-silences: the server names it and its author. */
export const NewAlertSilence = z.strictObject({
  kind: z.enum(['silence', 'maintenance']).default('silence'),
  matchers: AlertSilence.shape.matchers,
  /** Default: the server's now. The server runs on simulated time: prefer durationMin to clock times made by a browser. */
  startsAt: Instant.optional(),
  endsAt: Instant.optional(),
  /** From startsAt (or now); instead of endsAt. */
  durationMin: z.number().int().min(1).max(90 * 24 * 60).optional(),
  comment: z.string().trim().max(500).default(''),
})
  .refine(s => Object.values(s.matchers).some(v => v !== undefined), { message: 'a silence names at least one matcher (rule, town, domain or entity); it never mutes everything', path: ['matchers'] })
  .refine(s => (s.endsAt === undefined) !== (s.durationMin === undefined), { message: 'give either endsAt or durationMin', path: ['endsAt'] })
export type NewAlertSilence = z.infer<typeof NewAlertSilence>
export type NewAlertSilenceInput = z.input<typeof NewAlertSilence>

/** GET /api/alert-silences: those not yet ended, soonest end first. */
export const AlertSilenceList = z.object({ silences: z.array(AlertSilence) })
export type AlertSilenceList = z.infer<typeof AlertSilenceList>

/** PUT /api/alert-rules: a new revision over `expectedRevision`; a stale one is 409 with the current set. */
export const AlertRulesSave = z.strictObject({
  expectedRevision: z.number().int().nonnegative(),
  rules: z.array(z.unknown()).max(1000),
})
export type AlertRulesSave = z.infer<typeof AlertRulesSave>

/** GET /api/alert-rules: the current set and the history of revisions. */
export const AlertRulesAnswer = z.object({
  ruleSet: AlertRuleSet,
  revisions: z.array(z.object({ revision: z.number().int().nonnegative(), updatedAt: Instant, updatedBy: z.string(), rules: z.number().int().nonnegative() })),
})
export type AlertRulesAnswer = z.infer<typeof AlertRulesAnswer>

/** POST /api/alert-rules/dry-run: what these rules would have raised over the recorded history. */
export const AlertDryRunRequest = z.strictObject({
  rules: z.array(z.unknown()).min(1).max(1000),
  /** Look back this many hours from the server's now. */
  hours: z.number().int().min(1).max(24).default(24),
  /** Evaluate every this many minutes of the history. */
  stepMin: z.number().int().min(1).max(60).default(5),
})
export type AlertDryRunRequest = z.input<typeof AlertDryRunRequest>

export const AlertDryRunAlert = z.object({
  ruleId: z.string(),
  entityId: z.string(),
  townCode: TownCode.nullable(),
  severity: AlertSeverity,
  title: z.string(),
  raisedAt: Instant,
  resolvedAt: Instant.nullable(),
})
export type AlertDryRunAlert = z.infer<typeof AlertDryRunAlert>

export const AlertDryRunResult = z.object({
  from: Instant,
  to: Instant,
  stepMin: z.number().int(),
  /** Evaluation steps that had data to evaluate. */
  steps: z.number().int().nonnegative(),
  /** Per rule: alerts raised, and the entities they were about. */
  byRule: z.array(z.object({ ruleId: z.string(), raised: z.number().int().nonnegative(), entities: z.number().int().nonnegative() })),
  /** The alerts, newest first, at most 500. */
  alerts: z.array(AlertDryRunAlert),
  /** Rule kinds the history cannot replay (e.g. deadlines need the orders' past due times), with why. */
  notReplayed: z.array(z.object({ ruleId: z.string(), reason: z.string() })),
  /** How the replay differs from live evaluation (coarser data for some metrics). */
  notes: z.array(z.string()),
})
export type AlertDryRunResult = z.infer<typeof AlertDryRunResult>
