import { z } from 'zod'
import { Alert } from './alerts'

/**
 * What the outgoing alert webhook POSTs (issue 7), one notification per
 * alert group in the manner of Alertmanager: a group (`town:<code>` or
 * `domain:<domain>`) that changes sends all of its alerts at once, so an SMS
 * or messaging gateway can write one message for a town instead of one per
 * station. Signed like the incoming webhook feed (x-ioc-timestamp,
 * x-ioc-signature: server/alerts/webhook-sender.ts).
 *
 * `v` is the payload's version: a receiver checks it before reading on.
 */
export const AlertNotificationStatus = z.enum(['firing', 'resolved'])
export type AlertNotificationStatus = z.infer<typeof AlertNotificationStatus>

export const AlertNotification = z.object({
  v: z.literal(1),
  groupKey: z.string().min(1).max(120),
  /** `resolved` once every alert of the group is resolved, else `firing` (see notificationStatus). */
  status: AlertNotificationStatus,
  alerts: z.array(Alert).min(1),
  /**
   * A CAP 1.2 XML document (server/alerts/cap.ts). CAP carries one event per
   * message, so it is the document of the alert whose change caused the
   * notification; the others are at GET /api/alerts/:id/cap.
   */
  cap: z.string().min(1).optional(),
})
export type AlertNotification = z.infer<typeof AlertNotification>

/** A group is resolved when all its alerts are: one still firing or acknowledged keeps it firing. */
export function notificationStatus(alerts: readonly Pick<Alert, 'status'>[]): AlertNotificationStatus {
  return alerts.every(a => a.status === 'resolved') ? 'resolved' : 'firing'
}
