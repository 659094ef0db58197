import express from 'express'
import type { Request, Response } from 'express'
import type { z } from 'zod'
import { AlertAckRequest, AlertListQuery, AlertWorkOrderRequest } from '@shared/schemas/alerts'
import type { Alert } from '@shared/schemas/alerts'
import { AlertDryRunRequest, AlertRuleSet, AlertRulesSave, ALERT_RULES_VERSION, NewAlertSilence } from '@shared/schemas/alert-rules'
import type { AlertSilence } from '@shared/schemas/alert-rules'
import type { CityModel } from '@shared/schemas/city'
import { AlertNotFound, AlertStateConflict } from '@server/alerts/alert-service'
import type { AlertService } from '@server/alerts/alert-service'
import { alertToCap, CAP_CONTENT_TYPE, capContext } from '@server/alerts/cap'
import { dryRun } from '@server/alerts/dry-run'
import { actorOf } from '@server/auth/auth-service'
import type { Authenticated } from '@server/auth/auth-service'
import type { GuardDeps } from '@server/auth/guard'
import { authOf, clientIp, guardedRouter } from '@server/auth/guard'
import { AlertRulesConflict } from '@server/store/alert.repository'
import type { AuditRecord, Store } from '@server/store/repositories'
import { parseOr400 } from './query'

export interface AlertRoutesDeps {
  guard: GuardDeps
  store: Store
  city: CityModel
  /** The alerts of the city; its actions run on the leader (other nodes pass them on). */
  alerts: AlertService
  /** The server's (simulated) now, epoch ms. */
  now: () => number
}

const small = express.json({ limit: '16kb' })
/** A rule set of a thousand rules fits. */
const large = express.json({ limit: '2mb' })

const signedIn = (res: Response): Authenticated => authOf(res) as Authenticated

/** A body that failed its schema: 400 with each issue and where it is (the rules screen shows them at their fields). */
function invalid(res: Response, what: string, error: z.ZodError): void {
  res.status(400).json({
    error: `invalid ${what}: ${error.issues.map(i => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`,
    issues: error.issues.map(i => ({ path: i.path.map(p => (typeof p === 'symbol' ? String(p) : p)), message: i.message })),
  })
}

/**
 * Alerts: the list and detail, acknowledgement, work orders made of alerts,
 * CAP 1.2 documents; the rule set (revisions, saving, dry run); silences and
 * maintenance windows. Every change is audited.
 */
export function alertRoutes(deps: AlertRoutesDeps): express.Router {
  const { router, route } = guardedRouter(deps.guard)
  const cap = capContext(deps.city)

  const audit = (req: Request, res: Response, action: string, targetType: string, targetId: string, before: unknown, after: unknown): AuditRecord => ({
    at: new Date().toISOString(),
    actor: actorOf(signedIn(res).principal),
    clientIp: clientIp(req),
    action,
    targetType,
    targetId,
    outcome: 'ok',
    before,
    after,
  })
  const who = (res: Response): string => actorOf(signedIn(res).principal)?.name ?? '?'

  const failed = (res: Response, err: unknown): void => {
    if (err instanceof AlertNotFound)
      res.status(404).json({ error: err.message })
    else if (err instanceof AlertStateConflict)
      res.status(409).json({ error: err.message, alert: err.alert })
    else
      throw err
  }

  route('get', '/alerts', 'alerts.view', async (req, res) => {
    const q = parseOr400(AlertListQuery, req.query, res, 'query')
    if (q)
      res.json(await deps.store.alerts.list(q))
  })

  route('get', '/alerts/:id', 'alerts.view', async (req, res) => {
    const alert = await deps.store.alerts.get(req.params.id)
    if (!alert) {
      res.status(404).json({ error: `no alert ${req.params.id}` })
      return
    }
    res.json({ alert, events: await deps.store.alerts.events(alert.id) })
  })

  route('get', '/alerts/:id/cap', 'alerts.view', async (req, res) => {
    const alert = await deps.store.alerts.get(req.params.id)
    if (!alert) {
      res.status(404).json({ error: `no alert ${req.params.id}` })
      return
    }
    // The stored rules: on a node that does not lead, the service's own copy is not kept up to date.
    const rule = (await deps.alerts.loadRules()).rules.find(r => r.id === alert.ruleId)
    res.type(CAP_CONTENT_TYPE).send(alertToCap(alert, { ...cap, ...(rule ? { ruleName: rule.name, ruleKind: rule.kind } : {}) }))
  })

  route('post', '/alerts/:id/ack', 'alerts.ack', small, async (req, res) => {
    const body = parseOr400(AlertAckRequest, req.body ?? {}, res, 'acknowledgement')
    if (!body)
      return
    try {
      const alert = await deps.alerts.acknowledge(req.params.id, who(res), body.comment, (before: Alert, after: Alert) =>
        audit(req, res, 'alert.acknowledge', 'alert', before.id, before, { ...after, comment: body.comment ?? null }))
      res.json({ alert })
    }
    catch (err) {
      failed(res, err)
    }
  })

  route('post', '/alerts/:id/work-order', 'workorders.dispatch', small, async (req, res) => {
    const body = parseOr400(AlertWorkOrderRequest, req.body ?? {}, res, 'work order')
    if (!body)
      return
    try {
      const alert = await deps.alerts.makeWorkOrder(req.params.id, who(res), body, (before: Alert, after: Alert) =>
        audit(req, res, 'alert.work-order', 'alert', before.id, before, after))
      res.status(201).json({ alert })
    }
    catch (err) {
      failed(res, err)
    }
  })

  const rulesAnswer = async () => ({ ruleSet: await deps.alerts.loadRules(), revisions: await deps.store.alerts.revisions() })

  route('get', '/alert-rules', 'alerts.view', async (_req, res) => {
    res.json(await rulesAnswer())
  })

  route('put', '/alert-rules', 'rules.manage', large, async (req, res) => {
    const body = parseOr400(AlertRulesSave, req.body ?? {}, res, 'rules')
    if (!body)
      return
    const parsed = AlertRuleSet.safeParse({ v: ALERT_RULES_VERSION, revision: body.expectedRevision, rules: body.rules })
    if (!parsed.success) {
      invalid(res, 'rules', parsed.error)
      return
    }
    try {
      const before = await deps.store.alerts.rules()
      await deps.alerts.saveRules(parsed.data, body.expectedRevision, who(res), audit(req, res, 'alert-rules.save', 'alert-rules', String(body.expectedRevision + 1), before ?? null, parsed.data))
      res.json(await rulesAnswer())
    }
    catch (err) {
      if (!(err instanceof AlertRulesConflict))
        throw err
      res.status(409).json({ error: err.message, ruleSet: err.current ?? null })
    }
  })

  route('post', '/alert-rules/dry-run', 'rules.manage', large, async (req, res) => {
    const body = AlertDryRunRequest.safeParse(req.body ?? {})
    if (!body.success) {
      invalid(res, 'dry run', body.error)
      return
    }
    const rules = AlertRuleSet.safeParse({ v: ALERT_RULES_VERSION, revision: 0, rules: body.data.rules })
    if (!rules.success) {
      invalid(res, 'rules', rules.error)
      return
    }
    res.json(await dryRun({ store: deps.store, city: deps.city, rules: rules.data, now: deps.now(), hours: body.data.hours, stepMin: body.data.stepMin }))
  })

  route('get', '/alert-silences', 'alerts.view', async (_req, res) => {
    res.json({ silences: await deps.store.alerts.silences(new Date(deps.now()).toISOString()) })
  })

  route('post', '/alert-silences', 'alerts.silence', small, async (req, res) => {
    const body = NewAlertSilence.safeParse(req.body ?? {})
    if (!body.success) {
      invalid(res, 'silence', body.error)
      return
    }
    const startsAt = body.data.startsAt ? Date.parse(body.data.startsAt) : deps.now()
    const endsAt = body.data.endsAt ? Date.parse(body.data.endsAt) : startsAt + body.data.durationMin! * 60_000
    if (endsAt <= Math.max(deps.now(), startsAt)) {
      res.status(400).json({ error: 'invalid silence: endsAt must be later than now and than startsAt', issues: [{ path: ['endsAt'], message: 'must be later than now and than startsAt' }] })
      return
    }
    const silence = await deps.alerts.addSilence({ ...body.data, startsAt: new Date(startsAt).toISOString(), endsAt: new Date(endsAt).toISOString() }, who(res), (s: AlertSilence) => audit(req, res, 'alert-silence.create', 'alert-silence', s.id, null, s))
    res.status(201).json({ silence })
  })

  route('delete', '/alert-silences/:id', 'alerts.silence', async (req, res) => {
    const silence = await deps.alerts.endSilence(req.params.id, (s: AlertSilence) => audit(req, res, 'alert-silence.end', 'alert-silence', s.id, null, s))
    if (silence)
      res.json({ silence })
    else
      res.status(404).json({ error: `no running silence ${req.params.id}` })
  })

  return router
}
