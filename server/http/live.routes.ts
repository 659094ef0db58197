import express from 'express'
import { z } from 'zod'
import type { StreamName, StreamSnapshot } from '@shared/realtime/streams'
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
}

/** The live state of the four domains, the city KPIs, incidents from the store, and history (history.routes.ts). */
export function liveRoutes(deps: LiveRoutesDeps): express.Router {
  const router = express.Router()

  router.get('/air/latest', (_req, res) => {
    const { readings, city } = deps.live.snapshot('air')
    res.json({ readings, city })
  })
  router.get('/traffic/latest', (_req, res) => {
    res.json(deps.live.snapshot('traffic'))
  })
  router.get('/halls/latest', (_req, res) => {
    res.json(deps.live.snapshot('halls'))
  })
  router.get('/kpis', (_req, res) => {
    res.json(deps.live.snapshot('kpis'))
  })
  router.get('/incidents/summary', (_req, res) => {
    res.json(deps.live.snapshot('incidents').summary)
  })
  router.get('/incidents', async (req, res) => {
    const q = parseOr400(IncidentsQuery, req.query, res, 'query')
    if (!q)
      return
    res.json({ incidents: await deps.store.incidents.list({ limit: q.limit, ...(q.status ? { status: q.status } : {}) }) })
  })
  router.get('/incidents/:id', async (req, res) => {
    const incident = await deps.store.incidents.get(req.params.id)
    if (!incident) {
      res.status(404).json({ error: `no incident ${req.params.id}` })
      return
    }
    res.json({ incident, versions: await deps.store.incidents.versions(incident.id) })
  })
  router.use(historyRoutes(deps))

  return router
}
