import type express from 'express'
import { z } from 'zod'
import type { StreamName, StreamSnapshot } from '@shared/realtime/streams'
import type { IncidentIntake } from '@shared/schemas/incidents'
import { IncidentIntakeQuery } from '@shared/schemas/incidents'
import { can } from '@shared/auth/policy'
import type { GuardDeps } from '@server/auth/guard'
import { authOf, guardedRouter } from '@server/auth/guard'
import type { HistoryRoutesDeps } from './history.routes'
import { historyRoutes } from './history.routes'
import { parseOr400 } from './query'

const IncidentsQuery = z.object({
  status: z.enum(['open', 'closed']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
})

/** The live state of each stream on this node (server/main.ts: the leader's own state, or the published one). */
export interface LiveView {
  snapshot: <S extends StreamName>(stream: S) => StreamSnapshot<S>
}

export interface LiveRoutesDeps extends HistoryRoutesDeps {
  live: LiveView
  guard: GuardDeps
}

/** The live state of the four domains, the city KPIs, incidents from the store, and history (history.routes.ts). */
export function liveRoutes(deps: LiveRoutesDeps): express.Router {
  const { router, route } = guardedRouter(deps.guard)
  /** A department handler sees their own department's incidents only; everyone else who may, all. */
  const departmentScope = (res: express.Response): { departmentId?: string } => {
    const principal = authOf(res)?.principal ?? null
    return principal && !can(principal, 'incidents.view') && principal.kind === 'user' ? { departmentId: principal.departmentId ?? '(none)' } : {}
  }

  route('get', '/air/latest', 'live.view', (_req, res) => {
    const { readings, city } = deps.live.snapshot('air')
    res.json({ readings, city })
  })
  route('get', '/traffic/latest', 'live.view', (_req, res) => {
    res.json(deps.live.snapshot('traffic'))
  })
  route('get', '/halls/latest', 'live.view', (_req, res) => {
    res.json(deps.live.snapshot('halls'))
  })
  route('get', '/kpis', 'live.view', (_req, res) => {
    res.json(deps.live.snapshot('kpis'))
  })
  route('get', '/incidents/summary', 'live.view', (_req, res) => {
    res.json(deps.live.snapshot('incidents').summary)
  })
  // The city's intake, like the summary: a count any wall may show, not the orders themselves.
  route('get', '/incidents/intake', 'live.view', async (req, res) => {
    const q = parseOr400(IncidentIntakeQuery, req.query, res, 'query')
    if (!q)
      return
    const body: IncidentIntake = { from: q.from, to: q.to, hours: await deps.store.incidents.intakeByHour(q) }
    res.json(body)
  })
  route('get', '/incidents', ['incidents.view', 'incidents.view.own'], async (req, res) => {
    const q = parseOr400(IncidentsQuery, req.query, res, 'query')
    if (!q)
      return
    res.json({ incidents: await deps.store.incidents.list({ limit: q.limit, ...(q.status ? { status: q.status } : {}), ...departmentScope(res) }) })
  })
  route('get', '/incidents/:id', ['incidents.view', 'incidents.view.own'], async (req, res) => {
    const incident = await deps.store.incidents.get(req.params.id)
    const scope = departmentScope(res).departmentId
    // Another department's incident is, to a handler, an incident that does not exist.
    if (!incident || (scope !== undefined && incident.departmentId !== scope)) {
      res.status(404).json({ error: `no incident ${req.params.id}` })
      return
    }
    res.json({ incident, versions: await deps.store.incidents.versions(incident.id) })
  })
  router.use(historyRoutes(deps))

  return router
}
