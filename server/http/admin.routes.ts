import express from 'express'
import type { Request, Response } from 'express'
import type { z } from 'zod'
import { AuditQuery, DepartmentCreate, DepartmentUpdate, DisplayTokenCreate, UserCreate, UserUpdate } from '@shared/schemas/auth'
import type { Actor, AdminService } from '@server/auth/admin-service'
import { AdminError, publicToken, publicUser } from '@server/auth/admin-service'
import type { GuardDeps } from '@server/auth/guard'
import { authOf, clientIp, guardedRouter } from '@server/auth/guard'
import type { Store } from '@server/store/repositories'
import { parseOr400 } from './query'

export interface AdminRoutesDeps {
  guard: GuardDeps
  admin: AdminService
  store: Store
}

const small = express.json({ limit: '8kb' })

/** Users, departments, display tokens and the audit log, for administrators. */
export function adminRoutes(deps: AdminRoutesDeps): express.Router {
  const { router, route } = guardedRouter(deps.guard)
  const actor = (req: Request, res: Response): Actor => ({ principal: (authOf(res) as NonNullable<ReturnType<typeof authOf>>).principal, clientIp: clientIp(req) })

  /** Parses the body, runs the change, answers with its result; an AdminError becomes its status. */
  const change = <S extends z.ZodType, T>(schema: S, what: string, status: number, run: (body: z.infer<S>, req: Request, res: Response) => Promise<T>) =>
    async (req: Request, res: Response): Promise<void> => {
      const body = parseOr400(schema, req.body ?? {}, res, what) as z.infer<S> | undefined
      if (body === undefined)
        return
      try {
        res.status(status).json(await run(body, req, res))
      }
      catch (err) {
        if (!(err instanceof AdminError))
          throw err
        res.status(err.status).json({ error: err.message })
      }
    }
  const param = (req: Request, name: string): string => String(req.params[name])

  route('get', '/admin/users', 'users.manage', async (_req, res) => {
    res.json({ users: (await deps.store.auth.users()).map(publicUser) })
  })
  route('post', '/admin/users', 'users.manage', small, change(UserCreate, 'user', 201, (body, req, res) => deps.admin.createUser(actor(req, res), body)))
  route('patch', '/admin/users/:id', 'users.manage', small, change(UserUpdate, 'user', 200, async (body, req, res) => ({ user: await deps.admin.updateUser(actor(req, res), param(req, 'id'), body) })))
  route('post', '/admin/users/:id/reset-password', 'users.manage', change(UserUpdate.pick({}), 'reset', 200, (_body, req, res) => deps.admin.resetPassword(actor(req, res), param(req, 'id'))))

  route('get', '/admin/departments', ['departments.manage', 'users.manage'], async (_req, res) => {
    res.json({ departments: await deps.store.auth.departments() })
  })
  route('post', '/admin/departments', 'departments.manage', small, change(DepartmentCreate, 'department', 201, async (body, req, res) => ({ department: await deps.admin.createDepartment(actor(req, res), body) })))
  route('patch', '/admin/departments/:id', 'departments.manage', small, change(DepartmentUpdate, 'department', 200, async (body, req, res) => ({ department: await deps.admin.updateDepartment(actor(req, res), param(req, 'id'), body) })))

  route('get', '/admin/display-tokens', 'tokens.manage', async (_req, res) => {
    res.json({ tokens: (await deps.store.auth.displayTokens()).map(publicToken) })
  })
  route('post', '/admin/display-tokens', 'tokens.manage', small, change(DisplayTokenCreate, 'display token', 201, async (body, req, res) => {
    // A token's scene names the wall layout preset it runs (server/http/wall.routes.ts): a typo would leave the wall on the default unnoticed.
    if (body.scene !== null && !(await deps.store.wallLayouts.get(body.scene)))
      throw new AdminError(409, `no wall layout preset ${body.scene}`)
    return deps.admin.issueDisplayToken(actor(req, res), body)
  }))
  route('delete', '/admin/display-tokens/:id', 'tokens.manage', change(DisplayTokenCreate.pick({}), 'revoke', 200, async (_body, req, res) => ({ token: await deps.admin.revokeDisplayToken(actor(req, res), param(req, 'id')) })))

  route('get', '/admin/audit', 'audit.view', async (req, res) => {
    const q = parseOr400(AuditQuery, req.query, res, 'query')
    if (!q)
      return
    const entries = await deps.store.audit.list(q)
    res.json({ entries, nextBefore: entries.length === q.limit ? entries.at(-1)?.seq ?? null : null })
  })
  route('get', '/admin/audit/verify', 'audit.view', async (_req, res) => {
    res.json(await deps.store.audit.verify())
  })

  return router
}
