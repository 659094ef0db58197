import express from 'express'
import type { Request, Response } from 'express'
import type { WallLayout } from '@shared/schemas/wall'
import { DEFAULT_WALL_LAYOUT_ID, WallCurrentQuery, WallLayoutId, WallLayoutPut } from '@shared/schemas/wall'
import { actorOf } from '@server/auth/auth-service'
import type { Authenticated } from '@server/auth/auth-service'
import type { GuardDeps } from '@server/auth/guard'
import { authOf, clientIp, guardedRouter } from '@server/auth/guard'
import type { AuditRecord, Store } from '@server/store/repositories'
import { WallLayoutConflict } from '@server/store/wall-layout.repository'
import { parseOr400 } from './query'

export interface WallRoutesDeps {
  guard: GuardDeps
  store: Store
}

const small = express.json({ limit: '16kb' })

/** Behind a guard, so someone is signed in. */
const signedIn = (res: Response): Authenticated => authOf(res) as Authenticated

/**
 * Wall layout presets: read by every wall and everyone who may open one,
 * changed by administrators (each save a new version, audited), and
 * GET /wall/current, the preset a wall runs with.
 */
export function wallRoutes(deps: WallRoutesDeps): express.Router {
  const { router, route } = guardedRouter(deps.guard)
  const layouts = deps.store.wallLayouts

  /** A path's id, or undefined (answered 404: no preset can have that id). */
  const idOf = (req: Request, res: Response): string | undefined => {
    const id = WallLayoutId.safeParse(req.params.id)
    if (id.success)
      return id.data
    res.status(404).json({ error: 'no such wall layout' })
    return undefined
  }

  const audit = (req: Request, res: Response, action: string, id: string, before: WallLayout | null, after: WallLayout | null): AuditRecord => ({
    at: new Date().toISOString(),
    actor: actorOf(signedIn(res).principal),
    clientIp: clientIp(req),
    action,
    targetType: 'wall-layout',
    targetId: id,
    outcome: 'ok',
    before,
    after,
  })
  const author = (res: Response): { at: string, by: string } => ({ at: new Date().toISOString(), by: actorOf(signedIn(res).principal)?.name ?? '?' })

  const conflict = (res: Response, err: WallLayoutConflict): void => {
    res.status(409).json({ error: err.message, current: err.current })
  }

  route('get', '/wall/layouts', 'wall.layout.view', async (_req, res) => {
    res.json({ layouts: await layouts.list() })
  })

  route('get', '/wall/layouts/:id', 'wall.layout.view', async (req, res) => {
    const id = idOf(req, res)
    if (id === undefined)
      return
    const layout = await layouts.get(id)
    if (layout)
      res.json(layout)
    else
      res.status(404).json({ error: `no wall layout ${id}` })
  })

  route('get', '/wall/layouts/:id/versions', 'wall.layout.view', async (req, res) => {
    const id = idOf(req, res)
    if (id === undefined)
      return
    const versions = await layouts.versions(id)
    if (versions.length > 0)
      res.json({ versions })
    else
      res.status(404).json({ error: `no wall layout ${id}` })
  })

  route('put', '/wall/layouts/:id', 'wall.layout.manage', small, async (req, res) => {
    const id = WallLayoutId.safeParse(req.params.id)
    if (!id.success) {
      res.status(400).json({ error: `invalid wall layout id: ${id.error.issues.map(i => i.message).join('; ')}` })
      return
    }
    const body = parseOr400(WallLayoutPut, req.body ?? {}, res, 'wall layout')
    if (!body)
      return
    const { expectedVersion, ...settings } = body
    try {
      const saved = await layouts.save(id.data, settings, expectedVersion, author(res), (before, after) =>
        audit(req, res, before ? 'wall-layout.update' : 'wall-layout.create', id.data, before, after))
      res.status(expectedVersion === 0 ? 201 : 200).json(saved)
    }
    catch (err) {
      if (!(err instanceof WallLayoutConflict))
        throw err
      conflict(res, err)
    }
  })

  route('delete', '/wall/layouts/:id', 'wall.layout.manage', async (req, res) => {
    const id = idOf(req, res)
    if (id === undefined)
      return
    if (id === DEFAULT_WALL_LAYOUT_ID) {
      res.status(409).json({ error: 'the default wall layout cannot be deleted: every wall falls back to it' })
      return
    }
    try {
      const gone = await layouts.remove(id, author(res), before => audit(req, res, 'wall-layout.delete', id, before, null))
      if (gone)
        res.json({ layout: gone })
      else
        res.status(404).json({ error: `no wall layout ${id}` })
    }
    catch (err) {
      if (!(err instanceof WallLayoutConflict))
        throw err
      conflict(res, err)
    }
  })

  route('get', '/wall/current', 'wall.layout.view', async (req, res) => {
    const auth = signedIn(res)
    // A display runs the preset its token names; a person may ask for one to preview it.
    let wanted: string | null
    if (auth.principal.kind === 'display') {
      wanted = auth.display?.scene ?? null
    }
    else {
      const q = parseOr400(WallCurrentQuery, req.query, res, 'query')
      if (!q)
        return
      wanted = q.preset ?? null
    }
    const layout = (wanted !== null ? await layouts.get(wanted) : undefined) ?? await layouts.get(DEFAULT_WALL_LAYOUT_ID)
    if (!layout) {
      res.status(404).json({ error: 'no wall layout, not even the default' })
      return
    }
    // Walls ask again now and then to pick up an administrator's change.
    res.set('Cache-Control', 'no-cache').json(layout)
  })

  return router
}
