/** Support for tests that talk to a running server as someone: signed-in HTTP sessions, socket tickets. */
import type { Principal, Role } from '@shared/auth/policy'
import { SessionInfo, SocketTicket } from '@shared/schemas/auth'
import { randomBytes } from 'node:crypto'
import express from 'express'
import { authRoutes } from '@server/http/auth.routes'
import type { RunningServer } from '@server/main'
import type { Store } from '@server/store/repositories'
import type { Actor } from './admin-service'
import { AdminService } from './admin-service'
import { AuthService } from './auth-service'
import type { GuardDeps } from './guard'
import { authenticate, CSRF_HEADER, SESSION_COOKIE } from './guard'

export interface Reply<T = unknown> { status: number, body: T, headers: Headers }

/** A browser-like client of one server: its session cookie, its CSRF token, the server's own Origin. */
export interface HttpSession {
  base: string
  info: SessionInfo
  cookie: string
  request: <T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Reply<T>>
  get: <T = unknown>(path: string) => Promise<Reply<T>>
  /** A fresh ticket for a socket handshake's `auth`. */
  ticket: () => Promise<string>
}

/** The test's own administrator, acting on the server's services directly (as the user CLI does). */
export const TEST_ADMIN: Actor = { principal: { kind: 'user', userId: 'test-admin', username: 'test-admin', roles: ['admin'], departmentId: null } satisfies Principal, clientIp: null }

export async function requestJson<T>(base: string, method: string, path: string, options: { cookie?: string, csrf?: string, body?: unknown, headers?: Record<string, string> } = {}): Promise<Reply<T>> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      origin: base,
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(options.csrf ? { [CSRF_HEADER]: options.csrf } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  })
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers }
}

function sessionFrom(base: string, res: Reply, setCookie: string | null): HttpSession {
  const value = /(?:^|,\s*)ioc_session=([^;]+)/.exec(setCookie ?? '')?.[1]
  if (res.status !== 200 || !value)
    throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`)
  const info = SessionInfo.parse(res.body)
  const cookie = `${SESSION_COOKIE}=${value}`
  const request = <T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>> =>
    requestJson<T>(base, method, path, { cookie, csrf: info.csrfToken, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) })
  return {
    base,
    info,
    cookie,
    request,
    get: path => request('GET', path),
    ticket: async () => {
      const reply = await request('POST', '/api/auth/socket-ticket')
      if (reply.status !== 200)
        throw new Error(`no socket ticket: ${reply.status} ${JSON.stringify(reply.body)}`)
      return SocketTicket.parse(reply.body).ticket
    },
  }
}

async function post(base: string, path: string, body: unknown): Promise<HttpSession> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'origin': base }, body: JSON.stringify(body) })
  const text = await res.text()
  return sessionFrom(base, { status: res.status, body: text ? JSON.parse(text) as unknown : null, headers: res.headers }, res.headers.get('set-cookie'))
}

export const signIn = (base: string, username: string, password: string): Promise<HttpSession> => post(base, '/api/auth/login', { username, password })

/** A display session from a token handed out earlier. */
export const displayLogin = (base: string, token: string): Promise<HttpSession> => post(base, '/api/auth/display', { token })

/** A wall display: a token issued on the server, exchanged for a display session. */
export async function displaySession(server: RunningServer, base: string, name = 'test wall'): Promise<HttpSession> {
  const { secret } = await server.auth.admin.issueDisplayToken(TEST_ADMIN, { name, scene: null })
  return displayLogin(base, secret)
}

let users = 0
/** A new user with these roles, signed in (no password change asked). */
async function newUser(admin: AdminService, base: string, roles: Role[], departmentId: string | null): Promise<HttpSession> {
  const username = `u${++users}-${roles.join('-').replaceAll('_', '-')}`.slice(0, 32)
  const { password } = await admin.createUser(TEST_ADMIN, { username, displayName: username, roles, departmentId }, { mustChangePassword: false })
  return signIn(base, username, password)
}

export const userSession = (server: RunningServer, base: string, roles: Role[], departmentId: string | null = null): Promise<HttpSession> =>
  newUser(server.auth.admin, base, roles, departmentId)

/**
 * The real sign-in stack over a store, for tests that mount a few routes on
 * a bare express app: `router` reads sessions and serves /auth; mount it
 * first under /api, then the routes under test with `guard`.
 */
export function authStack(store: Store): { guard: GuardDeps, admin: AdminService, router: express.Router, user: (base: string, roles: Role[]) => Promise<HttpSession> } {
  const auth = new AuthService({ auth: store.auth, audit: store.audit, ticketKey: randomBytes(32) })
  const admin = new AdminService(store.auth)
  const guard: GuardDeps = { auth, audit: store.audit, allowedOrigins: [] }
  const router = express.Router()
  router.use(authenticate(guard), authRoutes({ guard, auth, tls: false }))
  return {
    guard,
    admin,
    router,
    user: (base, roles) => newUser(admin, base, roles, null),
  }
}
