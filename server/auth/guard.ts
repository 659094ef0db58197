import type { IncomingMessage } from 'node:http'
import express from 'express'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { RouteParameters } from 'express-serve-static-core'
import type { Action } from '@shared/auth/policy'
import { can } from '@shared/auth/policy'
import type { AuditRepository } from '@server/store/repositories'
import type { Authenticated, AuthService } from './auth-service'
import { actorOf } from './auth-service'

export const SESSION_COOKIE = 'ioc_session'
export const CSRF_HEADER = 'x-csrf-token'

/**
 * What a route needs: an action of the policy (shared/auth/policy.ts) or
 * any one of several, or
 * 'signed-in' (anyone with a session: their own session, password, socket
 * ticket), 'public' (sign-in, health), or 'signed' (feeds that prove
 * themselves with a signature of their own, not a session).
 */
export type Access = Action | readonly Action[] | 'signed-in' | 'public' | 'signed'

/** A guard, telling which access it enforces: the route test reads it from every registered route. */
export type Guard = RequestHandler & { readonly access: Access }

export function authOf(res: Response): Authenticated | null {
  return (res.locals.auth as Authenticated | undefined) ?? null
}

export function clientIp(req: Request | IncomingMessage): string | null {
  return ('ip' in req ? req.ip : undefined) ?? req.socket.remoteAddress ?? null
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name)
      return decodeURIComponent(part.slice(eq + 1).trim())
  }
  return undefined
}

/**
 * Whether a browser's request comes from a page of ours: the Origin is on
 * the configured list, or, with no list, names the host the request was
 * sent to. 'null' and foreign origins are refused (reliability.md §4.1).
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (!origin || origin === 'null')
    return false
  if (allowed.length > 0)
    return allowed.includes(origin)
  try {
    return new URL(origin).host === host
  }
  catch {
    return false
  }
}

export interface GuardDeps {
  auth: AuthService
  audit: AuditRepository
  allowedOrigins: readonly string[]
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Reads the session cookie; the request goes on, signed in or not. */
export function authenticate(deps: GuardDeps): RequestHandler {
  return (req, res, next) => {
    const token = cookie(req.headers.cookie, SESSION_COOKIE)
    if (!token) {
      next()
      return
    }
    deps.auth.authenticate(token).then((auth) => {
      res.locals.auth = auth
      next()
    }, next)
  }
}

/** The guard of one route: authorization by the policy, CSRF and Origin for cookie writes, denials logged. */
export function guard(deps: GuardDeps, access: Access): Guard {
  const handler: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    if (access === 'public' || access === 'signed') {
      next()
      return
    }
    const auth = authOf(res)
    if (!auth) {
      res.status(401).json({ error: 'sign in first' })
      return
    }
    if (UNSAFE.has(req.method)) {
      // A write with a session cookie: it must come from our own pages and carry the session's CSRF token.
      const origin = req.headers.origin
      if ((origin !== undefined && !originAllowed(origin, req.headers.host, deps.allowedOrigins)) || req.get(CSRF_HEADER) !== auth.session.csrfToken) {
        res.status(403).json({ error: 'missing or wrong CSRF token, or a foreign origin' })
        return
      }
    }
    if (auth.user?.mustChangePassword && access !== 'signed-in') {
      res.status(403).json({ error: 'change your password first' })
      return
    }
    if (access === 'signed-in' || (typeof access === 'string' ? can(auth.principal, access) : access.some(a => can(auth.principal, a)))) {
      next()
      return
    }
    void deps.audit.append({
      at: new Date().toISOString(),
      actor: actorOf(auth.principal),
      clientIp: clientIp(req),
      action: 'access.denied',
      targetType: 'route',
      targetId: `${req.method} ${req.baseUrl}${(req.route as { path?: string } | undefined)?.path ?? req.path}`.slice(0, 200),
      outcome: 'denied',
      after: { needs: access },
    }).catch((err: unknown) => console.error('[auth] could not audit a denial', err))
    res.status(403).json({ error: `not allowed: needs ${typeof access === 'string' ? access : access.join(' or ')}` })
  }
  return Object.assign(handler, { access })
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'

/** An express router whose every route is registered with its access: there is no way to add one without. */
export interface GuardedRouter {
  router: express.Router
  route: <P extends string>(method: Method, path: P, access: Access, ...handlers: RequestHandler<RouteParameters<P>>[]) => void
}

export function guardedRouter(deps: GuardDeps): GuardedRouter {
  const router = express.Router()
  return {
    router,
    route(method, path, access, ...handlers) {
      router[method](path, guard(deps, access), ...(handlers as RequestHandler[]))
    },
  }
}
