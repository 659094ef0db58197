import express from 'express'
import { z } from 'zod'
import { RecordKind } from '@shared/schemas/feeds'
import type { FeedAdapter } from '@server/feeds/types'
import type { Store } from '@server/store/repositories'
import type { GuardDeps } from '@server/auth/guard'
import { guardedRouter } from '@server/auth/guard'
import type { LiveView } from './live.routes'
import { parseOr400 } from './query'

/** Push bodies up to this size reach an adapter; each adapter applies its own, usually smaller, limit. */
const MAX_PUSH_BODY_BYTES = 16 * 1024 * 1024

const RejectsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  source: z.string().max(64).optional(),
  kind: RecordKind.optional(),
})

export interface FeedRoutesDeps {
  store: Store
  live: LiveView
  /** Adapters that take pushed requests (webhook, NGSI), by feed id. */
  pushFeeds: {
    get: (id: string) => FeedAdapter | undefined
    /** This node leads but is still restoring its state before it runs the feeds. */
    starting: () => boolean
  }
  guard: GuardDeps
}

/** Feed health, the dead-letter list, and the endpoint push feeds post to. */
export function feedRoutes(deps: FeedRoutesDeps): express.Router {
  const { router, route } = guardedRouter(deps.guard)

  route('get', '/feeds', 'live.view', (_req, res) => {
    res.json({ feeds: deps.live.snapshot('feed-health').feeds })
  })

  route('get', '/ingest/rejects', 'feeds.view', async (req, res) => {
    const q = parseOr400(RejectsQuery, req.query, res, 'query')
    if (!q)
      return
    const filter = { ...(q.source ? { source: q.source } : {}), ...(q.kind ? { kind: q.kind } : {}) }
    const [total, records] = await Promise.all([deps.store.rejects.count(filter), deps.store.rejects.list({ limit: q.limit, ...filter })])
    res.json({ total, records })
  })

  // The body stays raw bytes: a webhook signature is computed over exactly what was sent.
  // Signed by the feed itself (webhook HMAC, NGSI subscription secret), not by a session.
  route('post', '/feeds/:id', 'signed', express.raw({ type: () => true, limit: MAX_PUSH_BODY_BYTES }), async (req, res) => {
    const feed = deps.pushFeeds.get(req.params.id)
    if (!feed?.receive && deps.pushFeeds.starting()) {
      // A node that has just taken the lead: the sender retries, nothing is lost.
      res.status(503).set('Retry-After', '2').json({ error: 'this node is taking over the feeds; retry shortly' })
      return
    }
    if (!feed?.receive) {
      res.status(404).json({ error: `no push feed ${req.params.id}` })
      return
    }
    const headers: Record<string, string | undefined> = {}
    for (const [name, value] of Object.entries(req.headers))
      headers[name] = Array.isArray(value) ? value.join(', ') : value
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
    const answer = await feed.receive({ headers, body, receivedAt: Date.now() })
    res.status(answer.status).set(answer.headers ?? {})
    if (answer.body === undefined || answer.status === 204)
      res.end()
    else
      res.json(answer.body)
  })

  return router
}
