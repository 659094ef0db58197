/**
 * The one policy against the running server (issue 5; reliability.md §6.4
 * S2–S4): every route and socket event registered at run time has a guard,
 * every role gets exactly what shared/auth/policy.ts grants it, departments
 * see only their own incidents, and sockets open only with a live session
 * from one of our own pages.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { io } from 'socket.io-client'
import msgpackParser from 'socket.io-msgpack-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Action, Principal, Role } from '@shared/auth/policy'
import { ACTIONS, can, ROLES, STREAM_ACTIONS } from '@shared/auth/policy'
import type { StreamName } from '@shared/realtime/streams'
import type { Incident } from '@shared/schemas/incidents'
import type { RunningServer } from '@server/main'
import { startServer } from '@server/main'
import { SOCKET_EVENT_ACCESS } from '@server/realtime/gateway'
import type { ClientSocket } from '@server/realtime/int.support'
import { baseUrl, connect, connectClient, fastCityConfig, fastClock, socketCredentials, subscribe, until, wallSession } from '@server/realtime/int.support'
import type { HttpSession } from './auth.support'
import { displaySession, requestJson, TEST_ADMIN, userSession } from './auth.support'
import type { Access } from './guard'

const T0 = Date.parse('2026-11-23T01:00:00Z')
/** The department a handler here belongs to: the one environment calls are routed to. */
const HANDLER_DEPARTMENT = 'dg-eco-env'

let dir: string
let server: RunningServer
let base: string
const sessions = new Map<Role | 'display', HttpSession>()
const opened: ClientSocket[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ioc-policy-'))
  // Ten simulated minutes every real second: the incident list soon holds several departments' orders.
  server = await startServer(fastCityConfig(join(dir, 'ioc.db'), { simIncidentsPerDay: 20_000 }), { clock: fastClock(T0, 600), sessionSweepMs: 200 })
  base = baseUrl(server)
  for (const role of ROLES)
    sessions.set(role, await userSession(server, base, [role], role === 'dept_handler' ? HANDLER_DEPARTMENT : null))
  sessions.set('display', await wallSession(server))
}, 60_000)

afterAll(async () => {
  for (const socket of opened)
    socket.close()
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

const principalOf = (who: Role | 'display'): Principal => (who === 'display'
  ? { kind: 'display', tokenId: 't', name: 'wall' }
  : { kind: 'user', userId: 'u', username: 'u', roles: [who], departmentId: null })

const allows = (who: Role | 'display', access: Access): boolean =>
  typeof access === 'string'
    ? ['public', 'signed', 'signed-in'].includes(access) || can(principalOf(who), access as Action)
    : access.some(a => can(principalOf(who), a))

/** A concrete path for a route pattern: parameters filled with an id that names nothing. */
const concrete = (path: string): string => path.replace(/:(\w+)/g, 'no-such-$1')

describe('every route and event is in the policy', () => {
  it('has a guard on every registered route, with an action the policy knows', () => {
    const routes = server.routes()
    expect(routes.length).toBeGreaterThan(25)
    expect(routes.map(r => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['GET /api/air/latest', 'POST /api/admin/users', 'POST /api/feeds/:id', 'GET /api/admin/audit']))
    expect(routes.filter(r => r.access === null)).toEqual([])
    const known = new Set<string>([...ACTIONS, 'public', 'signed', 'signed-in'])
    for (const route of routes) {
      const needs = typeof route.access === 'string' ? [route.access] : route.access ?? []
      expect(needs.filter(a => !known.has(a)), `${route.method} ${route.path}`).toEqual([])
    }
  })

  it('has every event a socket listens to in the socket policy, and nothing more', async () => {
    await connectClient(server, opened)
    expect(server.socketEvents().sort()).toEqual(Object.keys(SOCKET_EVENT_ACCESS).sort())
  })
})

describe('each role gets what the policy grants, no more', () => {
  it('answers every role on every route as the policy says, and 401 to no one', async () => {
    const denialsBefore = (await sessions.get('admin')?.get<{ entries: unknown[] }>('/api/admin/audit?action=access.denied&limit=500'))?.body.entries.length ?? 0
    let denied = 0
    for (const route of server.routes().filter(r => r.path.startsWith('/api/') && r.access !== 'public' && r.access !== 'signed')) {
      const path = concrete(route.path)
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {}
      const anonymous = await requestJson(base, route.method, path, body === undefined ? {} : { body })
      expect(anonymous.status, `anonymous ${route.method} ${route.path}`).toBe(401)
      // Open to anyone signed in (their own session, password, socket ticket): calling logout here would end the sessions under test.
      if (route.access === 'signed-in')
        continue
      for (const [who, session] of sessions) {
        const { status } = await session.request(route.method, path, body)
        const allowed = allows(who, route.access as Access)
        if (allowed)
          expect(status, `${who} ${route.method} ${route.path}`).not.toBe(403)
        else
          expect(status, `${who} ${route.method} ${route.path}`).toBe(403)
        if (!allowed)
          denied++
      }
    }
    expect(denied).toBeGreaterThan(50)
    // Every denial is in the audit log (ASVS 16.3.2).
    const after = (await sessions.get('admin')?.get<{ entries: unknown[] }>('/api/admin/audit?action=access.denied&limit=500'))?.body.entries.length ?? 0
    expect(after - denialsBefore).toBe(denied)
  }, 120_000)

  it('lets each role subscribe to the streams its actions cover, and answers the others with an error', async () => {
    for (const [who, session] of sessions) {
      const { socket } = await connectClient(server, opened, session)
      for (const stream of Object.keys(STREAM_ACTIONS) as StreamName[]) {
        const ack = await subscribe(socket, { stream })
        expect(ack.ok, `${who} ${stream}`).toBe(can(principalOf(who), STREAM_ACTIONS[stream]))
        if (!ack.ok)
          expect(ack.error).toBe(`not allowed: needs ${STREAM_ACTIONS[stream]}`)
      }
    }
  }, 60_000)

  it('refuses a write without the session\'s CSRF token, or from a foreign page', { timeout: 30_000 }, async () => {
    const duty = sessions.get('duty_officer') as HttpSession
    const drill = { kind: 'heavy-rain', area: { region: 'south' } }
    expect((await requestJson(base, 'POST', '/api/scenarios', { cookie: duty.cookie, body: drill })).status).toBe(403)
    expect((await requestJson(base, 'POST', '/api/scenarios', { cookie: duty.cookie, csrf: 'forged', body: drill })).status).toBe(403)
    expect((await requestJson(base, 'POST', '/api/scenarios', { cookie: duty.cookie, csrf: duty.info.csrfToken, body: drill, headers: { origin: 'https://evil.example' } })).status).toBe(403)
    expect((await requestJson(base, 'POST', '/api/auth/login', { body: { username: 'admin', password: 'x' }, headers: { origin: 'https://evil.example' } })).status).toBe(403)
  })
})

describe('department isolation', { timeout: 60_000 }, () => {
  it('shows a department handler their own department\'s incidents only', async () => {
    const operator = sessions.get('operator') as HttpSession
    const all = await until('incidents of several departments', async () => {
      const { incidents } = (await operator.get<{ incidents: Incident[] }>('/api/incidents?limit=1000')).body
      return new Set(incidents.map(i => i.departmentId)).size >= 3 && incidents.some(i => i.departmentId === HANDLER_DEPARTMENT) ? incidents : null
    }, 600)
    const handler = sessions.get('dept_handler') as HttpSession
    const own = (await handler.get<{ incidents: Incident[] }>('/api/incidents?limit=1000')).body.incidents
    expect(own.length).toBeGreaterThan(0)
    expect(new Set(own.map(i => i.departmentId))).toEqual(new Set([HANDLER_DEPARTMENT]))
    const foreign = all.find(i => i.departmentId !== HANDLER_DEPARTMENT) as Incident
    expect((await handler.get(`/api/incidents/${encodeURIComponent(foreign.id)}`)).status).toBe(404)
    expect((await operator.get(`/api/incidents/${encodeURIComponent(foreign.id)}`)).status).toBe(200)
  })
})

describe('sockets open only with a live session from our own pages', { timeout: 30_000 }, () => {
  const attempt = async (options: { auth?: object, origin?: string | null }): Promise<string> => {
    const headers: Record<string, string> = options.origin === null ? {} : { origin: options.origin ?? base }
    const socket: ClientSocket = io(base, { transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false, parser: msgpackParser, extraHeaders: headers, ...(options.auth ? { auth: options.auth } : {}) })
    opened.push(socket)
    try {
      await connect(socket)
      return 'connected'
    }
    catch (err) {
      return (err as Error).message
    }
  }

  it('refuses no ticket, a forged or altered one, and one of a session that ended', async () => {
    const wall = await displaySession(server, base, 'ticket wall')
    const ticket = await wall.ticket()
    expect(await attempt({ auth: { ticket } })).toBe('connected')
    expect(await attempt({})).toBe('unauthorized')
    expect(await attempt({ auth: { ticket: 'abc.123.def' } })).toBe('unauthorized')
    const [id, exp, sig] = ticket.split('.')
    expect(await attempt({ auth: { ticket: `${id}.${Number(exp) + 60_000}.${sig}` } })).toBe('unauthorized')
    expect(await attempt({ auth: { ticket: `${id}.${exp}.${sig?.slice(1)}A` } })).toBe('unauthorized')
    await wall.request('POST', '/api/auth/logout')
    expect(await attempt({ auth: { ticket } })).toBe('unauthorized')
  })

  it('refuses a handshake from a foreign page, a null origin or none, whatever its ticket', async () => {
    const wall = sessions.get('display') as HttpSession
    for (const origin of ['https://evil.example', 'null', null])
      expect(await attempt({ auth: { ticket: await wall.ticket() }, origin }), String(origin)).not.toBe('connected')
  })

  it('disconnects a wall within seconds of its token being revoked', async () => {
    const wall = await displaySession(server, base, 'revoked wall')
    const socket: ClientSocket = io(base, { transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false, parser: msgpackParser, ...socketCredentials(wall) })
    opened.push(socket)
    await connect(socket)
    const gone = new Promise<void>(resolve => socket.once('disconnect', () => resolve()))
    const token = (await server.auth.admin.revokeDisplayToken(TEST_ADMIN, wall.info.principal.id))
    expect(token.revokedAt).not.toBeNull()
    await gone
    expect((await wall.get('/api/air/latest')).status).toBe(401)
  })
})
