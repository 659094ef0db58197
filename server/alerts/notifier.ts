import { randomUUID } from 'node:crypto'
import type { AlertNotification } from '@shared/schemas/alert-notifications'
import { notificationStatus } from '@shared/schemas/alert-notifications'
import type { AlertRuleSet } from '@shared/schemas/alert-rules'
import type { CityModel } from '@shared/schemas/city'
import type { Store } from '@server/store/repositories'
import { alertToCap, capContext } from './cap'
import { deliver } from './webhook-sender'

export interface AlertWebhook {
  url: string
  secret?: string
}

export interface AlertNotifierDeps {
  store: Store
  city: CityModel
  rules: () => AlertRuleSet
  /** Absent: notifications are still taken and marked, so that none piles up waiting for a gateway. */
  webhook?: AlertWebhook
  /** A group's first notification waits this long for the rest of its group. */
  groupWaitMs: number
  /** How often waiting notifications are looked for. */
  intervalMs: number
  realNow?: () => number
  log: (line: string) => void
  onError: (err: unknown) => void
  /** Delivery retries; the defaults suit an SMS gateway a few seconds away. */
  retry?: { maxAttempts: number, baseDelayMs: number, maxDelayMs: number, timeoutMs: number }
}

const DEFAULT_RETRY = { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 60_000, timeoutMs: 10_000 }

/**
 * Sends the alert notifications the store holds (the outbox the alert service
 * fills): one POST per group with every alert of it that changed, as
 * Alertmanager does. A batch is claimed in the store before it is sent, so
 * with several nodes exactly one sends each notification.
 */
export class AlertNotifier {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> = Promise.resolve()
  private readonly abort = new AbortController()
  private readonly cap: ReturnType<typeof capContext>

  constructor(private readonly deps: AlertNotifierDeps) {
    this.cap = capContext(deps.city)
  }

  start(): void {
    this.timer ??= setInterval(() => {
      void this.flush().catch(this.deps.onError)
    }, this.deps.intervalMs)
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    this.abort.abort()
    await this.running.catch(() => {})
  }

  /** Sends what has waited long enough; resolves with the number of groups sent. One flush at a time. */
  flush(): Promise<number> {
    const run = this.running.then(() => this.send())
    this.running = run.then(() => {}, () => {})
    return run
  }

  private async send(): Promise<number> {
    const now = (this.deps.realNow ?? Date.now)()
    const batch = randomUUID()
    const groups = await this.deps.store.alerts.claimNotifications(batch, new Date(now - this.deps.groupWaitMs).toISOString())
    for (const group of groups) {
      const latest = group.alerts.reduce((a, b) => (a.updatedAt >= b.updatedAt ? a : b))
      const rule = this.deps.rules().rules.find(r => r.id === latest.ruleId)
      const payload: AlertNotification = {
        v: 1,
        groupKey: group.groupKey,
        status: notificationStatus(group.alerts),
        alerts: group.alerts,
        cap: alertToCap(latest, { ...this.cap, ...(rule ? { ruleName: rule.name, ruleKind: rule.kind } : {}) }),
      }
      let outcome = 'no webhook configured'
      if (this.deps.webhook) {
        const result = await deliver(payload, {
          url: this.deps.webhook.url,
          ...(this.deps.webhook.secret ? { secret: this.deps.webhook.secret } : {}),
          ...(this.deps.retry ?? DEFAULT_RETRY),
          signal: this.abort.signal,
          deliveryId: `${batch}:${group.groupKey}`,
          onRetry: r => this.deps.log(`[alerts] webhook attempt ${r.attempt} for ${group.groupKey} failed (${r.error}); again in ${r.delayMs} ms`),
        })
        outcome = result.outcome === 'delivered' ? `delivered (${result.status}) after ${result.attempts} attempt(s)` : `${result.outcome}: ${result.error} after ${result.attempts} attempt(s)`
        if (result.outcome !== 'delivered')
          this.deps.log(`[alerts] notification of ${group.groupKey} not delivered: ${outcome}`)
      }
      await this.deps.store.alerts.markSent(batch, group.groupKey, outcome.slice(0, 500), new Date((this.deps.realNow ?? Date.now)()).toISOString())
    }
    return groups.length
  }
}
