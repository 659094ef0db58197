import { existsSync } from 'node:fs'
import { join } from 'node:path'
import express from 'express'
import type { NextFunction, Request, Response } from 'express'
import { z } from 'zod'
import type { CityModel } from '@shared/schemas/city'
import type { AirState } from '@server/live/air-state'
import type { IngestCounters } from '@server/ingest/air.pipeline'
import type { Store } from '@server/store/repositories'

export interface HttpDeps {
  city: CityModel
  air: AirState
  store: Store
  counters: () => IngestCounters
  meta: { version: string, simSpeed: number, airIntervalMs: number }
  /** The built client (dist/client); absent in API-only runs. */
  clientDir?: string
}

const RejectedQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) })

/** The only module that knows express: the REST API under /api and the built client. */
export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('etag', 'strong')

  const api = express.Router()
  api.get('/health', (_req, res) => {
    res.json({ status: 'ok', uptimeS: Math.round(process.uptime()), ingest: deps.counters() })
  })
  api.get('/meta', (_req, res) => {
    res.json(deps.meta)
  })
  api.get('/city', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(deps.city)
  })
  api.get('/air/latest', (_req, res) => {
    res.json({ readings: deps.air.readings(), city: deps.air.city() })
  })
  api.get('/air/rejected', async (req, res) => {
    const query = RejectedQuery.safeParse(req.query)
    if (!query.success) {
      res.status(400).json({ error: `invalid query: ${query.error.issues.map(i => `${i.path.join('.')} ${i.message}`).join('; ')}` })
      return
    }
    const [total, records] = await Promise.all([deps.store.rejects.count(), deps.store.rejects.list(query.data.limit)])
    res.json({ total, records })
  })
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
    console.error('[http] request failed', err)
    if (!res.headersSent)
      res.status(500).json({ error: 'internal error' })
  })
  return app
}
