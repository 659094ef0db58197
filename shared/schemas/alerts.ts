import { z } from 'zod'
import { Instant, TownCode } from './common'

/**
 * Alerts as the alerts stream and the REST routes carry them (issue 7). The
 * rules that raise them are in ./alert-rules.ts; the engine and its
 * lifecycle in server/alerts. The stream carries and replays alerts like
 * incidents: never coalesced, never dropped.
 */
export const AlertSeverity = z.enum(['info', 'warning', 'major', 'critical'])
export type AlertSeverity = z.infer<typeof AlertSeverity>

/** Where an alert comes from; `cross`: signals of several departments in one town. */
export const ALERT_DOMAINS = ['air', 'traffic', 'halls', 'hotline', 'feeds', 'cross'] as const
export const AlertDomain = z.enum(ALERT_DOMAINS)
export type AlertDomain = z.infer<typeof AlertDomain>

export const AlertStatus = z.enum(['firing', 'acknowledged', 'resolved'])
export type AlertStatus = z.infer<typeof AlertStatus>

const AlertId = z.string().min(1).max(300)
const Username = z.string().min(1).max(64)

export const Alert = z.object({
  /** `${ruleId}|${entityId}|${firedAt ms}`: the same on every node that evaluated the same history. */
  id: AlertId,
  ruleId: z.string().min(1).max(100),
  /** The station, segment, hall, town, feed or cluster it is about. */
  entityId: z.string().min(1).max(200),
  domain: AlertDomain,
  severity: AlertSeverity,
  status: AlertStatus,
  /** Chinese, with the figure that raised it (站点中度污染：莞城 AQI 162). */
  title: z.string().min(1).max(200),
  townCode: TownCode.nullable(),
  /** Notifications go out once per group: `town:<code>` or `domain:<domain>`. */
  groupKey: z.string().min(1).max(120),
  /** The metric's value as last evaluated; null for kinds without one. */
  value: z.number().finite().nullable(),
  raisedAt: Instant,
  updatedAt: Instant,
  acknowledgedBy: Username.nullable(),
  acknowledgedAt: Instant.nullable(),
  resolvedAt: Instant.nullable(),
  /** 0, or 1 once an unacknowledged critical alert escalated. */
  escalationLevel: z.number().int().nonnegative(),
  /** A silence or maintenance window matches it: it shows, it does not sound or notify. */
  muted: z.boolean(),
  /** The work order a duty officer made of it (the order links back by its alert id). */
  workOrderId: z.string().min(1).max(64).nullable(),
  /** The drill whose data raised it (server/drills/marking.ts): marked 演练 and left out of the real measures. */
  drillId: z.string().min(1).max(64).optional(),
})
export type Alert = z.infer<typeof Alert>

export const AlertsSummary = z.object({
  firing: z.number().int().nonnegative(),
  acknowledged: z.number().int().nonnegative(),
})
export type AlertsSummary = z.infer<typeof AlertsSummary>

/** What happened to an alert, in order: the engine's transitions and the people's actions. */
export const ALERT_EVENT_TYPES = ['raised', 'acknowledged', 'escalated', 'flapping', 'steady', 'resolved', 'work-order'] as const
export const AlertEventType = z.enum(ALERT_EVENT_TYPES)
export type AlertEventType = z.infer<typeof AlertEventType>

export const AlertEvent = z.object({
  alertId: AlertId,
  type: AlertEventType,
  at: Instant,
  /** The user, or null for the engine. */
  by: Username.nullable(),
  /** The value then, a work order id, a comment. */
  detail: z.string().max(500).nullable(),
})
export type AlertEvent = z.infer<typeof AlertEvent>

/** GET /api/alerts: `active` = firing or acknowledged; newest first. */
export const AlertListQuery = z.object({
  status: z.enum(['active', 'firing', 'acknowledged', 'resolved', 'all']).default('active'),
  severity: AlertSeverity.optional(),
  domain: AlertDomain.optional(),
  town: TownCode.optional(),
  ruleId: z.string().min(1).max(100).optional(),
  /** Raised at or after / before (ISO 8601). */
  from: Instant.optional(),
  to: Instant.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})
export type AlertListQuery = z.infer<typeof AlertListQuery>

export const AlertList = z.object({ total: z.number().int().nonnegative(), alerts: z.array(Alert) })
export type AlertList = z.infer<typeof AlertList>

/** GET /api/alerts/:id */
export const AlertDetail = z.object({ alert: Alert, events: z.array(AlertEvent) })
export type AlertDetail = z.infer<typeof AlertDetail>

/** POST /api/alerts/:id/ack: acknowledging an acknowledged alert is a no-op; a resolved one is 409. */
export const AlertAckRequest = z.strictObject({ comment: z.string().trim().max(500).optional() })
export type AlertAckRequest = z.infer<typeof AlertAckRequest>

/** POST /api/alerts/:id/work-order: a 12345-style work order made of the alert, linked both ways; 409 when it has one. */
export const AlertWorkOrderRequest = z.strictObject({
  /** Defaults to the alert's title. */
  title: z.string().trim().min(1).max(200).optional(),
  description: z.string().trim().max(2000).optional(),
  departmentId: z.string().min(1).max(64).optional(),
})
export type AlertWorkOrderRequest = z.infer<typeof AlertWorkOrderRequest>

/** The answer of ack and work-order. */
export const AlertAnswer = z.object({ alert: Alert })
export type AlertAnswer = z.infer<typeof AlertAnswer>
