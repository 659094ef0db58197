import express from 'express'
import type { Response } from 'express'
import { z } from 'zod'
import { DrillRequest } from '@shared/schemas/drills'
import type { Authenticated } from '@server/auth/auth-service'
import type { GuardDeps } from '@server/auth/guard'
import { authOf, clientIp, guardedRouter } from '@server/auth/guard'
import type { DrillService } from '@server/drills/drill-service'
import { DrillNotRunning, DrillsUnavailable } from '@server/drills/drill-service'
import { ScenarioError } from '@server/feeds/simulator/scenarios'
import { parseOr400, query } from './query'

export interface DrillRoutesDeps {
  guard: GuardDeps
  /** Absent with the simulator off: starting a drill answers 409, reading still works. */
  drills?: DrillService
}

const DetailQuery = z.object({ fresh: z.enum(['0', '1']).optional() })
/** Who starts and ends drills, and who reads them: leaders review their summaries. */
const READERS = ['scenarios.run', 'review.view'] as const

const signedIn = (res: Response): Authenticated => authOf(res) as Authenticated

/**
 * Named drills: GET /api/drills, GET /api/drills/:id (?fresh=1: an ended
 * drill's summary made again now), POST /api/drills (start), POST
 * /api/drills/:id/end. Starting and ending are audited.
 */
export function drillRoutes(deps: DrillRoutesDeps): express.Router {
  const { router, route } = guardedRouter(deps.guard)
  const off = (res: Response): void => {
    res.status(409).json({ error: 'the built-in simulator is off (IOC_SIMULATOR=false): there is nothing to play a drill on' })
  }

  route('get', '/drills', [...READERS], async (_req, res) => {
    res.json({ drills: deps.drills ? await deps.drills.list() : [] })
  })

  route('get', '/drills/:id', [...READERS], async (req, res) => {
    const q = parseOr400(DetailQuery, query(req), res, 'query')
    if (!q)
      return
    const detail = await deps.drills?.detail(req.params.id, q.fresh === '1')
    if (detail)
      res.json(detail)
    else
      res.status(404).json({ error: `no drill ${req.params.id}` })
  })

  route('post', '/drills', 'scenarios.run', express.json({ limit: '16kb' }), async (req, res) => {
    if (!deps.drills)
      return off(res)
    const request = parseOr400(DrillRequest, req.body, res, 'drill')
    if (!request)
      return
    try {
      res.status(201).json(await deps.drills.begin(request, signedIn(res).principal, clientIp(req)))
    }
    catch (err) {
      if (err instanceof DrillsUnavailable)
        return off(res)
      if (err instanceof ScenarioError)
        return void res.status(422).json({ error: err.message })
      throw err
    }
  })

  route('post', '/drills/:id/end', 'scenarios.run', async (req, res) => {
    if (!deps.drills)
      return off(res)
    try {
      const detail = await deps.drills.end(req.params.id, signedIn(res).principal, clientIp(req))
      if (detail)
        res.json(detail)
      else
        res.status(404).json({ error: `no drill ${req.params.id}` })
    }
    catch (err) {
      if (err instanceof DrillNotRunning)
        return void res.status(409).json({ error: err.message })
      throw err
    }
  })
  return router
}
