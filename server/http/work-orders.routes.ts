import express from 'express'
import type { Response } from 'express'
import { can } from '@shared/auth/policy'
import { availableActions } from '@shared/dispatch/machine'
import type { SlaPolicy } from '@shared/dispatch/sla'
import { dueStatus } from '@shared/dispatch/sla'
import type { CityModel } from '@shared/schemas/city'
import type { Incident } from '@shared/schemas/incidents'
import type { HandledIncident, WorkOrderDetail, WorkOrderList } from '@shared/schemas/work-order-views'
import type { WorkOrderBatchAnswer, WorkOrderCommandRequest, WorkOrderConflict } from '@shared/schemas/work-orders'
import { DispatchKpiQuery, WorkOrderBatchRequest, WorkOrderCommandRequest as CommandRequest, WorkOrderListQuery } from '@shared/schemas/work-orders'
import type { Authenticated } from '@server/auth/auth-service'
import type { GuardDeps } from '@server/auth/guard'
import { authOf, clientIp, guardedRouter } from '@server/auth/guard'
import type { DispatchService } from '@server/dispatch/dispatch-service'
import { workOrderActor } from '@server/dispatch/dispatch-service'
import { dispatchKpis } from '@server/dispatch/kpis'
import { nearest, suggestRouting } from '@server/dispatch/routing'
import type { Store } from '@server/store/repositories'
import type { CommandResult } from '@server/store/work-order.repository'
import { parseOr400 } from './query'

export interface WorkOrderRoutesDeps {
  guard: GuardDeps
  store: Store
  city: CityModel
  dispatch: DispatchService
  sla: SlaPolicy
  /** The server's (simulated) now, epoch ms. */
  dispatchNow: () => number
}

const small = express.json({ limit: '16kb' })
/** Two hundred commands of a bulk dispatch. */
const batch = express.json({ limit: '512kb' })
/** Rows the queue reads before its deadline and text filters. */
const QUEUE_SCAN = 5000
const SIMILAR_SCAN = 200
const SIMILAR_SHOWN = 5
const DAY_MS = 86_400_000

const signedIn = (res: Response): Authenticated => authOf(res) as Authenticated

/** A department handler sees its own department's orders (lead or assisting); everyone with incidents.view sees all. */
function ownDepartment(res: Response): string | undefined {
  const principal = signedIn(res).principal
  return !can(principal, 'incidents.view') && principal.kind === 'user' ? principal.departmentId ?? '(none)' : undefined
}

const handled = (i: Incident): i is HandledIncident => i.handling !== undefined

const matchesText = (i: Incident, q: string): boolean =>
  i.ticketNo.includes(q) || i.title.includes(q) || (i.address ?? '').includes(q) || i.description.includes(q)

/** How each store outcome is answered. */
function answer(res: Response, result: CommandResult): void {
  switch (result.kind) {
    case 'ok':
      res.json(result.answer)
      return
    case 'conflict': {
      const body: WorkOrderConflict = { error: 'conflict', message: `工单已被他人更新（当前版本 ${result.order.version}，状态 ${result.order.state}）`, order: result.order }
      res.status(409).json(body)
      return
    }
    case 'refused':
      res.status(result.code === 'forbidden' ? 403 : 422).json({ error: 'refused', code: result.code, message: result.message, order: result.order })
      return
    case 'not_found':
      res.status(404).json({ error: 'no such work order' })
      return
    case 'key_reused':
      res.status(422).json({ error: 'key_reused', message: 'commandId was already used for another order or by another person' })
  }
}

/**
 * Work orders: the queue and an order's detail (timeline, routing
 * suggestion, similar orders near it, what the caller may do), commands
 * one at a time or in bulk, and the dispatch KPIs. Every command is audited,
 * accepted or refused.
 */
export function workOrderRoutes(deps: WorkOrderRoutesDeps): express.Router {
  const { router, route } = guardedRouter(deps.guard)
  const { dispatch, store, city } = deps

  route('get', '/work-orders', ['incidents.view', 'incidents.view.own'], async (req, res) => {
    const q = parseOr400(WorkOrderListQuery, req.query, res, 'query')
    if (!q)
      return
    const now = deps.dispatchNow()
    const dept = ownDepartment(res) ?? q.departmentId
    const filtered = q.due !== undefined || q.q !== undefined
    const { items, byState } = await store.incidents.queue({
      ...(q.state ? { states: q.state } : {}),
      ...(q.topic ? { topic: q.topic } : {}),
      ...(q.nature ? { nature: q.nature } : {}),
      ...(q.townCode ? { townCode: q.townCode } : {}),
      ...(dept !== undefined ? { departmentId: dept } : {}),
      ...(q.supervised !== undefined ? { supervised: q.supervised } : {}),
      limit: filtered ? QUEUE_SCAN : q.limit,
    })
    const matching = items.filter(handled).filter(i => (q.due === undefined || dueStatus(i.handling, now) === q.due) && (q.q === undefined || matchesText(i, q.q)))
    const body: WorkOrderList = {
      items: matching.slice(0, q.limit),
      total: filtered ? matching.length : Object.entries(byState).filter(([s]) => !q.state || q.state.includes(s as never)).reduce((n, [, c]) => n + c, 0),
      byState,
      now: new Date(now).toISOString(),
    }
    res.json(body)
  })

  route('get', '/work-orders/:id', ['incidents.view', 'incidents.view.own'], async (req, res) => {
    const incident = await store.incidents.get(req.params.id)
    const dept = ownDepartment(res)
    const order = incident?.handling
    // Another department's order is, to a handler, an order that does not exist.
    if (!incident || !order || (dept !== undefined && order.departmentId !== dept && !order.assistingDepartmentIds.includes(dept))) {
      res.status(404).json({ error: `no work order ${req.params.id}` })
      return
    }
    const principal = signedIn(res).principal
    const nearbyTowns = incident.townCode ? [incident.townCode] : []
    const candidates = dept === undefined ? await store.incidents.openOfTopic({ topic: incident.topic, townCodes: nearbyTowns, excludeId: incident.id, limit: SIMILAR_SCAN }) : []
    const body: WorkOrderDetail = {
      incident: { ...incident, handling: order },
      timeline: await store.workOrders.timeline(incident.id),
      suggestion: suggestRouting(incident, city),
      similar: nearest(incident, candidates.filter(handled), SIMILAR_SHOWN) as WorkOrderDetail['similar'],
      actions: principal.kind === 'user'
        ? availableActions(order, { actor: workOrderActor(principal), may: { dispatch: can(principal, 'workorders.dispatch'), handle: can(principal, 'workorders.handle') }, policy: deps.sla })
        : [],
      now: new Date(deps.dispatchNow()).toISOString(),
    }
    res.json(body)
  })

  route('post', '/work-orders/:id/commands', ['workorders.dispatch', 'workorders.handle'], small, async (req, res) => {
    const body = parseOr400(CommandRequest, req.body ?? {}, res, 'command')
    if (!body)
      return
    answer(res, await dispatch.command(req.params.id, body, signedIn(res).principal, clientIp(req)))
  })

  route('post', '/work-orders/commands', ['workorders.dispatch', 'workorders.handle'], batch, async (req, res) => {
    const body = parseOr400(WorkOrderBatchRequest, req.body ?? {}, res, 'batch')
    if (!body)
      return
    const principal = signedIn(res).principal
    const results: WorkOrderBatchAnswer['results'] = []
    for (const { orderId, ...request } of body.items) {
      const result = await dispatch.command(orderId, request satisfies WorkOrderCommandRequest, principal, clientIp(req))
      if (result.kind === 'ok')
        results.push({ orderId, outcome: 'ok', answer: result.answer })
      else if (result.kind === 'conflict')
        results.push({ orderId, outcome: 'conflict', message: `当前版本 ${result.order.version}`, order: result.order })
      else
        results.push({ orderId, outcome: 'refused', status: result.kind === 'not_found' ? 404 : result.kind === 'refused' && result.code === 'forbidden' ? 403 : 422, message: result.kind === 'refused' ? result.message : result.kind })
    }
    res.json({ results } satisfies WorkOrderBatchAnswer)
  })

  route('get', '/dispatch/kpis', ['review.view', 'workorders.dispatch'], async (req, res) => {
    const q = parseOr400(DispatchKpiQuery, req.query, res, 'query')
    if (!q)
      return
    const now = deps.dispatchNow()
    // Stored instants are UTC text: the bounds are made so too, whatever offset they came with.
    const to = new Date(q.to ?? now).toISOString()
    const from = new Date(q.from ?? Date.parse(to) - 7 * DAY_MS).toISOString()
    if (Date.parse(from) >= Date.parse(to)) {
      res.status(400).json({ error: 'invalid query: from must be before to' })
      return
    }
    const [orders, events] = await Promise.all([
      store.workOrders.forKpis({ from, to }),
      store.workOrders.eventsBetween({ actions: ['return', 'revisit'], from, to }),
    ])
    res.json(dispatchKpis(orders, events, { from, to }, now))
  })

  return router
}
