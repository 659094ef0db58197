import express from 'express'
import { z } from 'zod'
import { RecordKind } from '@shared/schemas/feeds'
import type { KpiSet } from '@shared/schemas/kpis'
import type { AirState } from '@server/live/air-state'
import type { HallState } from '@server/live/hall-state'
import type { IncidentState } from '@server/live/incident-state'
import type { TrafficState } from '@server/live/traffic-state'
import type { Store } from '@server/store/repositories'
import { parseOr400 } from './query'

const IncidentsQuery = z.object({
  status: z.enum(['open', 'closed']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
})

const HistoryQuery = z.object({
  /** Telemetry kinds, and the KPIs' own history (entity = KPI key, metric = value). */
  kind: z.enum([...RecordKind.exclude(['incident']).options, 'kpi']),
  entity: z.string().min(1).max(64),
  metric: z.string().min(1).max(32),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
})

export interface LiveRoutesDeps {
  air: AirState
  traffic: TrafficState
  halls: HallState
  incidents: IncidentState
  store: Store
  /** The city KPIs now (server/live/kpis.publisher.ts). */
  kpis: () => KpiSet
}

/** The live state of the four domains, the city KPIs, incidents from the store, and hourly history. */
export function liveRoutes(deps: LiveRoutesDeps): express.Router {
  const router = express.Router()

  router.get('/air/latest', (_req, res) => {
    res.json({ readings: deps.air.readings(), city: deps.air.city() })
  })
  router.get('/traffic/latest', (_req, res) => {
    res.json(deps.traffic.snapshot())
  })
  router.get('/halls/latest', (_req, res) => {
    res.json(deps.halls.snapshot())
  })
  router.get('/kpis', (_req, res) => {
    res.json(deps.kpis())
  })
  router.get('/incidents/summary', (_req, res) => {
    res.json(deps.incidents.summary())
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
  router.get('/history', async (req, res) => {
    const q = parseOr400(HistoryQuery, req.query, res, 'query')
    if (!q)
      return
    const rows = await deps.store.history.query({
      kind: q.kind,
      entityId: q.entity,
      metric: q.metric,
      from: new Date(q.from).toISOString(),
      to: new Date(q.to).toISOString(),
    })
    res.json({ rows })
  })

  return router
}
