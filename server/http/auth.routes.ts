import express from 'express'
import type { Response } from 'express'
import { DisplayLogin, LoginRequest, PasswordChange } from '@shared/schemas/auth'
import type { AuthService, LoginResult } from '@server/auth/auth-service'
import { DISPLAY_IDLE_MS, USER_IDLE_MS } from '@server/auth/auth-service'
import type { GuardDeps } from '@server/auth/guard'
import { authOf, clientIp, guardedRouter, originAllowed, SESSION_COOKIE } from '@server/auth/guard'
import { parseOr400 } from './query'

export interface AuthRoutesDeps {
  guard: GuardDeps
  auth: AuthService
  /** Served over HTTPS: the cookie is Secure. */
  tls: boolean
}

const small = express.json({ limit: '4kb' })

/** Sign-in and out, one's own session and password, display sign-in, socket tickets. */
export function authRoutes(deps: AuthRoutesDeps): express.Router {
  const { router, route } = guardedRouter(deps.guard)

  const setCookie = (res: Response, token: string, maxAgeMs: number): void => {
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: deps.tls, path: '/', maxAge: maxAgeMs })
  }

  /** Sign-in forms are posted by our own pages only (login CSRF): a foreign or missing Origin is refused. */
  const fromOurPage = (req: express.Request, res: Response): boolean => {
    if (originAllowed(req.headers.origin, req.headers.host, deps.guard.allowedOrigins))
      return true
    res.status(403).json({ error: 'sign in from the system\'s own page' })
    return false
  }

  const answer = (res: Response, result: LoginResult, maxAgeMs: number): void => {
    if (result.ok) {
      setCookie(res, result.token, maxAgeMs)
      res.json(deps.auth.sessionInfo(result.auth))
      return
    }
    if (result.retryAfterMs !== undefined)
      res.set('Retry-After', String(Math.ceil(result.retryAfterMs / 1000)))
    const status = result.reason === 'rate-limited' ? 429 : result.reason === 'locked' ? 423 : 401
    res.status(status).json({ error: result.reason === 'invalid' ? 'wrong user name or password' : result.reason === 'locked' ? 'account locked after repeated failures; try again later' : 'too many attempts; try again later' })
  }

  route('post', '/auth/login', 'public', small, async (req, res) => {
    if (!fromOurPage(req, res))
      return
    const body = parseOr400(LoginRequest, req.body, res, 'login')
    if (body)
      answer(res, await deps.auth.login(body.username, body.password, clientIp(req)), USER_IDLE_MS)
  })

  route('post', '/auth/display', 'public', small, async (req, res) => {
    if (!fromOurPage(req, res))
      return
    const body = parseOr400(DisplayLogin, req.body, res, 'display token')
    if (body)
      answer(res, await deps.auth.displayLogin(body.token, clientIp(req)), DISPLAY_IDLE_MS)
  })

  route('get', '/auth/session', 'signed-in', (_req, res) => {
    res.json(deps.auth.sessionInfo(authOf(res) as NonNullable<ReturnType<typeof authOf>>))
  })

  route('post', '/auth/logout', 'signed-in', async (req, res) => {
    const auth = authOf(res)
    if (auth)
      await deps.auth.logout(auth, clientIp(req))
    res.clearCookie(SESSION_COOKIE, { path: '/' }).status(204).end()
  })

  route('post', '/auth/password', 'signed-in', small, async (req, res) => {
    const auth = authOf(res)
    const body = parseOr400(PasswordChange, req.body, res, 'password change')
    if (!auth || !body)
      return
    if (auth.principal.kind !== 'user') {
      res.status(403).json({ error: 'a display has no password' })
      return
    }
    if (await deps.auth.changePassword(auth, body.currentPassword, body.newPassword, clientIp(req)))
      res.status(204).end()
    else
      res.status(403).json({ error: 'the current password is wrong' })
  })

  route('post', '/auth/socket-ticket', 'signed-in', (_req, res) => {
    res.json(deps.auth.socketTicket(authOf(res) as NonNullable<ReturnType<typeof authOf>>))
  })

  return router
}
