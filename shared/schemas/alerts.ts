import { z } from 'zod'
import { Instant, TownCode } from './common'

/**
 * An alert as the alerts stream carries it. The rules that raise alerts and
 * their full lifecycle (grouping, escalation, acknowledgement) come with the
 * alerts capability; the transport already carries and replays them like
 * incidents: never coalesced, never dropped.
 */
export const AlertSeverity = z.enum(['info', 'warning', 'major', 'critical'])
export type AlertSeverity = z.infer<typeof AlertSeverity>

export const AlertStatus = z.enum(['firing', 'acknowledged', 'resolved'])
export type AlertStatus = z.infer<typeof AlertStatus>

export const Alert = z.object({
  id: z.string().min(1).max(200),
  ruleId: z.string().min(1).max(100),
  severity: AlertSeverity,
  status: AlertStatus,
  title: z.string().min(1).max(200),
  townCode: TownCode.nullable(),
  raisedAt: Instant,
  updatedAt: Instant,
})
export type Alert = z.infer<typeof Alert>

export const AlertsSummary = z.object({
  firing: z.number().int().nonnegative(),
  acknowledged: z.number().int().nonnegative(),
})
export type AlertsSummary = z.infer<typeof AlertsSummary>
