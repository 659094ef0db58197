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
import type { DrillRoutesDeps } from './drills.routes'
import { drillRoutes } from './drills.routes'
import { replayRoutes } from './replay.routes'
import type { AdminRoutesDeps } from './admin.routes'
import { adminRoutes } from './admin.routes'
import type { AuthRoutesDeps } from './auth.routes'
import { authRoutes } from './auth.routes'
import type { AlertRoutesDeps } from './alerts.routes'
import { alertRoutes } from './alerts.routes'
import type { WorkOrderRoutesDeps } from './work-orders.routes'
import { workOrderRoutes } from './work-orders.routes'
import type { WallRoutesDeps } from './wall.routes'
import { wallRoutes } from './wall.routes'
import { authenticate, guard, guardedRouter } from '@server/auth/guard'
import { securityHeaders } from './security-headers'
import type { ReportService } from '@server/review/report-service'
import type { ReviewService } from '@server/review/review-service'
import { reviewRoutes } from './review.routes'

export interface HttpDeps extends LiveRoutesDeps, FeedRoutesDeps, AuthRoutesDeps, AdminRoutesDeps, WallRoutesDeps, Omit<AlertRoutesDeps, 'now'>, WorkOrderRoutesDeps, DrillRoutesDeps {
  city: CityModel
  meta: Record<string, unknown>
  scenarios?: ScenarioControl
  /** The built client (dist/client); absent in API-only runs. */
  clientDir?: string
  /** Several nodes: what only the leader serves is passed on to it. */
  cluster?: LeaderRouting
  /** Proxies in front whose X-Forwarded-For names the client (IOC_TRUST_PROXY). */
  trustProxy?: number
  /** The alerts' clock: the server's simulated now. */
  alertsNow: () => number
  /** Origins of the configured basemap's tiles (IOC_BASEMAP), which the page may fetch from. */
  tileOrigins?: string[]
  /** The leaders' review pages and reports (GET /api/review, /api/review/reports). */
  review: ReviewService
  reports: ReportService
}

/** The only module that knows express: the REST API under /api and the built client. */
export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express()
  app.use(securityHeaders({ tls: deps.tls, tileOrigins: deps.tileOrigins ?? [] }))
  app.disable('x-powered-by')
  app.set('etag', 'strong')
  app.set('trust proxy', deps.trustProxy ?? 0)

  const api = express.Router()
  // Every route below is registered with what it needs (server/auth/guard.ts); the session, if any, is read first.
  api.use(authenticate(deps.guard))
  const { router: own, route } = guardedRouter(deps.guard)
  route('get', '/health', 'public', (_req, res) => {
    const { feeds } = deps.live.snapshot('feed-health')
    res.json({
      status: 'ok',
      uptimeS: Math.round(process.uptime()),
      ...(deps.cluster ? { node: deps.cluster.nodeId, leader: deps.cluster.isLeader() } : {}),
      feeds: feeds.map(f => ({ id: f.id, status: f.status })),
    })
  })
  route('get', '/meta', 'public', (_req, res) => {
    res.json(deps.meta)
  })
  route('get', '/city', 'live.view', (_req, res) => {
    res.set('Cache-Control', 'private, max-age=300').json(deps.city)
  })
  if (deps.cluster) {
    const leaderOnly = forwardToLeader(deps.cluster)
    // Passed on as they came: the leader checks the signature, or the session and CSRF token, itself.
    route('post', '/feeds/:id', 'signed', leaderOnly)
    api.use('/scenarios', leaderOnly)
    // Drills start and end where the simulator plays them.
    api.use('/drills', (req, res, next) => (req.method === 'GET' ? next() : leaderOnly(req, res, next)))
    // The alerts' engine runs on the leader: what changes an alert, a silence or the rules goes there.
    const changes: express.RequestHandler = (req, res, next) => (req.method === 'GET' ? next() : leaderOnly(req, res, next))
    // So do work orders: commands are applied and published where the live incidents are held.
    api.use(['/alerts', '/alert-rules', '/alert-silences', '/work-orders'], changes)
  }
  api.use(own)
  api.use(authRoutes(deps))
  api.use(adminRoutes(deps))
  api.use(wallRoutes(deps))
  api.use(alertRoutes({ ...deps, now: deps.alertsNow }))
  api.use(workOrderRoutes(deps))
  api.use(liveRoutes(deps))
  api.use(feedRoutes(deps))
  api.use(scenarioRoutes(deps.scenarios, deps.guard))
  api.use(drillRoutes(deps))
  api.use(reviewRoutes(deps))
  api.use(replayRoutes(deps))
  api.use((_req, res) => {
    res.status(404).json({ error: 'not found' })
  })
  app.use('/api', api)

  if (deps.clientDir && existsSync(join(deps.clientDir, 'index.html'))) {
    const clientDir = deps.clientDir
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }))
    // Client-side routes (/wall, …) all load the single-page app.
    app.get('/{*path}', guard(deps.guard, 'public'), (_req, res) => {
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
