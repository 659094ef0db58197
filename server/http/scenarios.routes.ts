import express from 'express'
import { ScenarioRequest } from '@shared/schemas/scenarios'
import type { ActiveScenario } from '@shared/schemas/scenarios'
import type { GuardDeps } from '@server/auth/guard'
import { guardedRouter } from '@server/auth/guard'
import { parseOr400 } from './query'

/** What drills can ask of the simulator. */
export interface ScenarioControl {
  scenarios: () => ActiveScenario[]
  /** `drillId`: run as that named drill (server/drills), whose calls carry the id. */
  injectScenario: (request: ScenarioRequest, drillId?: string) => ActiveScenario
  cancelScenario: (id: string) => boolean
}

/** Scenario injection for drills: only while the built-in simulator runs. */
export function scenarioRoutes(control: ScenarioControl | undefined, guards: GuardDeps): express.Router {
  const { router, route } = guardedRouter(guards)
  router.use('/scenarios', (_req, res, next) => {
    if (control)
      next()
    else
      res.status(409).json({ error: 'the built-in simulator is off (IOC_SIMULATOR=false): there is nothing to play a scenario on' })
  })
  route('get', '/scenarios', 'scenarios.run', (_req, res) => {
    res.json({ scenarios: control?.scenarios() ?? [] })
  })
  route('post', '/scenarios', 'scenarios.run', express.json({ limit: '16kb' }), (req, res) => {
    const request = parseOr400(ScenarioRequest, req.body, res, 'scenario')
    if (!request || !control)
      return
    try {
      res.status(201).json(control.injectScenario(request))
    }
    catch (err) {
      // The simulator refuses requests it cannot place (an unknown town, say) with an Error whose message says why.
      res.status(422).json({ error: err instanceof Error ? err.message : String(err) })
    }
  })
  route('delete', '/scenarios/:id', 'scenarios.run', (req, res) => {
    if (control?.cancelScenario(req.params.id))
      res.status(204).end()
    else
      res.status(404).json({ error: `no active scenario ${req.params.id}` })
  })
  return router
}
