import { existsSync } from 'node:fs'
import { join } from 'node:path'
import express from 'express'
import type { NextFunction, Request, Response } from 'express'
import type { CityModel } from '@shared/schemas/city'
import type { LeaderRouting } from '@server/cluster/leader-proxy'
import { forwardToLeader } from '@server/cluster/leader-proxy'
import type { FeedRoutesDeps } from './feeds.routes'
import { feedRoutes } from './feeds.routes'
import type { LiveRoutesDeps } from './live.routes'
import { liveRoutes } from './live.routes'
import type { ScenarioControl } from './scenarios.routes'
import { scenarioRoutes } from './scenarios.routes'

export interface HttpDeps extends LiveRoutesDeps, FeedRoutesDeps {
  city: CityModel
  meta: Record<string, unknown>
  scenarios?: ScenarioControl
  /** The built client (dist/client); absent in API-only runs. */
  clientDir?: string
  /** Several nodes: what only the leader serves is passed on to it. */
  cluster?: LeaderRouting
}

/** The only module that knows express: the REST API under /api and the built client. */
export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('etag', 'strong')

  const api = express.Router()
  api.get('/health', (_req, res) => {
    const { feeds } = deps.live.snapshot('feed-health')
    res.json({
      status: 'ok',
      uptimeS: Math.round(process.uptime()),
      ...(deps.cluster ? { node: deps.cluster.nodeId, leader: deps.cluster.isLeader() } : {}),
      feeds: feeds.map(f => ({ id: f.id, status: f.status })),
    })
  })
  api.get('/meta', (_req, res) => {
    res.json(deps.meta)
  })
  api.get('/city', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(deps.city)
  })
  if (deps.cluster) {
    const leaderOnly = forwardToLeader(deps.cluster)
    api.post('/feeds/:id', leaderOnly)
    api.use('/scenarios', leaderOnly)
  }
  api.use(liveRoutes(deps))
  api.use(feedRoutes(deps))
  api.use(scenarioRoutes(deps.scenarios))
  api.use((_req, res) => {
    res.status(404).json({ error: 'not found' })
  })
  app.use('/api', api)

  if (deps.clientDir && existsSync(join(deps.clientDir, 'index.html'))) {
    const clientDir = deps.clientDir
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }))
    // Client-side routes (/wall, …) all load the single-page app.
    app.get('/{*path}', (_req, res) => {
      res.set('Cache-Control', 'no-cache').sendFile(join(clientDir, 'index.html'))
    })
  }

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500
    if (status >= 500)
      console.error('[http] request failed', err)
    if (!res.headersSent)
      res.status(status).json({ error: status === 413 ? 'body too large' : status < 500 ? 'bad request' : 'internal error' })
  })
  return app
}
