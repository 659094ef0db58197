import { gzip } from 'node:zlib'
import { promisify } from 'node:util'
import type express from 'express'
import type { CityModel } from '@shared/schemas/city'
import { REPLAY_STEP_MS, ReplayQuery } from '@shared/schemas/replay'
import type { GuardDeps } from '@server/auth/guard'
import { guardedRouter } from '@server/auth/guard'
import { buildReplay, REPLAY_LOOKBACK_MS } from '@server/replay/replay.builder'
import { loadReplaySource } from '@server/replay/replay.source'
import type { Store } from '@server/store/repositories'
import { parseOr400 } from './query'

const DAY_MS = 24 * 3_600_000
const gzipped = promisify(gzip)

export interface ReplayRoutesDeps {
  store: Store
  guard: GuardDeps
  city: CityModel
  /** Days the minute history is kept (IOC_HISTORY_MINUTE_DAYS): a replay can reach no further back. */
  historyRetentionDays: { minute: number }
  /** The server's clock (the simulated one in a simulation): the history ends here. */
  alertsNow: () => number
}

/**
 * GET /api/replay?from=&to=: the wall's state at `from` and every change up
 * to `to` (shared/schemas/replay.ts), for leaders' after-action reviews. A
 * window of a few MB of JSON, sent gzipped when the browser takes it (the
 * traffic frames are long runs of alike tuples: about a tenth).
 */
export function replayRoutes(deps: ReplayRoutesDeps): express.Router {
  const { router, route } = guardedRouter(deps.guard)
  const city = { roads: deps.city.roads, stationsTotal: deps.city.airStations.length, hallsTotal: deps.city.halls.length }

  route('get', '/replay', 'review.view', async (req, res) => {
    const q = parseOr400(ReplayQuery, req.query, res, 'query')
    if (!q)
      return
    const from = Math.floor(Date.parse(q.from) / REPLAY_STEP_MS) * REPLAY_STEP_MS
    const to = Math.ceil(Date.parse(q.to) / REPLAY_STEP_MS) * REPLAY_STEP_MS
    const now = deps.alertsNow()
    // The start is folded from the hour before it: that hour must still be in the minute history.
    const oldest = now - deps.historyRetentionDays.minute * DAY_MS + REPLAY_LOOKBACK_MS
    if (from < oldest || to > now + REPLAY_STEP_MS) {
      res.status(422).json({ error: `the window must lie inside the minute history: from ${new Date(Math.ceil(oldest / REPLAY_STEP_MS) * REPLAY_STEP_MS).toISOString()} (IOC_HISTORY_MINUTE_DAYS = ${deps.historyRetentionDays.minute}) to now, ${new Date(now).toISOString()}` })
      return
    }
    const answer = buildReplay(await loadReplaySource(deps.store, from, to), city)
    const body = JSON.stringify(answer)
    res.set('Cache-Control', 'private, no-store').type('json')
    if (req.acceptsEncodings('gzip') === 'gzip') {
      res.set('Content-Encoding', 'gzip').set('Vary', 'Accept-Encoding').send(await gzipped(body))
      return
    }
    res.send(body)
  })

  return router
}
