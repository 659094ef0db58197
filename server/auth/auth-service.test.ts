/**
 * Sign-in over a real store (in-memory SQLite), with the clock in the test's
 * hand: the first administrator, no default credentials, argon2id, lockout
 * and rate limit, sessions, password changes, wall tokens and socket tickets
 * (reliability.md §4.6, S7–S9).
 */
import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Store } from '@server/store/repositories'
import { openSqliteStore } from '@server/store/sqlite'
import type { Actor } from './admin-service'
import { AdminService } from './admin-service'
import type { Authenticated } from './auth-service'
import { AuthService, LOCKOUT_MS, TICKET_TTL_MS, USER_IDLE_MS } from './auth-service'
import { seedAccounts } from './first-run'

const T0 = Date.parse('2026-11-23T01:00:00.000Z')
const ADMIN: Actor = { principal: { kind: 'user', userId: 'test-admin', username: 'test-admin', roles: ['admin'], departmentId: null }, clientIp: '10.0.0.1' }
/** OWASP's argon2id minimum (S8): at least 19 MiB and two passes. */
const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/

let now = T0
let store: Store
let admin: AdminService
let auth: AuthService

beforeEach(async () => {
  now = T0
  store = await openSqliteStore(':memory:')
  admin = new AdminService(store.auth, () => now)
  auth = new AuthService({ auth: store.auth, audit: store.audit, ticketKey: randomBytes(32), now: () => now })
})

afterEach(() => store.close())

/** A user who may sign in straight away; resolves to their id and generated password. */
async function newUser(username: string): Promise<{ id: string, password: string }> {
  const { user, password } = await admin.createUser(ADMIN, { username, displayName: username, roles: ['duty_officer'], departmentId: null }, { mustChangePassword: false })
  return { id: user.id, password }
}

async function signIn(username: string, password: string, ip = '10.0.0.8'): Promise<{ token: string, auth: Authenticated }> {
  const result = await auth.login(username, password, ip)
  if (!result.ok)
    throw new Error(`sign-in of ${username} refused: ${result.reason}`)
  return result
}

const loginEntries = async (targetId: string) =>
  (await store.audit.list({ limit: 500, action: 'auth.login' })).filter(e => e.targetId === targetId).reverse()

// Each sign-in costs an argon2id hash: room for a busy machine, nothing here is timed.
describe('first run', { timeout: 30_000 }, () => {
  it('makes one administrator with a random password on an empty user table, and none once anyone exists', async () => {
    const issued = await seedAccounts(admin, store.auth, { demo: false, demoDepartment: null })
    expect(issued).toEqual([{ username: 'admin', roles: ['admin'], departmentId: null, password: expect.stringMatching(/^\S{16}$/) as unknown }])
    expect(await seedAccounts(admin, store.auth, { demo: false, demoDepartment: null })).toEqual([])
    expect((await store.auth.users()).map(u => u.username)).toEqual(['admin'])
    expect(await store.audit.list({ limit: 10 })).toMatchObject([{ action: 'user.create', actorId: null, after: { username: 'admin', roles: ['admin'] } }])

    const other = await openSqliteStore(':memory:')
    try {
      const otherAdmin = new AdminService(other.auth)
      await otherAdmin.createUser(ADMIN, { username: 'zhang.wei', displayName: '张伟', roles: ['duty_officer'], departmentId: null })
      expect(await seedAccounts(otherAdmin, other.auth, { demo: false, demoDepartment: null })).toEqual([])
      expect(await other.auth.userByName('admin')).toBeUndefined()
    }
    finally {
      await other.close()
    }
  })

  it('signs the administrator in with the issued password, which must be changed; then only the new one works', async () => {
    const [issued] = await seedAccounts(admin, store.auth, { demo: false, demoDepartment: null })
    const first = await signIn('admin', issued?.password ?? '')
    expect(auth.sessionInfo(first.auth)).toMatchObject({ principal: { kind: 'user', username: 'admin', roles: ['admin'] }, mustChangePassword: true })
    expect(await auth.changePassword(first.auth, issued?.password ?? '', 'the new passphrase 2026', '10.0.0.8')).toBe(true)

    expect(await auth.login('admin', issued?.password ?? '', '10.0.0.8')).toEqual({ ok: false, reason: 'invalid' })
    const second = await signIn('admin', 'the new passphrase 2026')
    expect(auth.sessionInfo(second.auth).mustChangePassword).toBe(false)
  })

  it('refuses common default credentials, demo accounts included', async () => {
    await store.auth.seedDepartments([{ id: 'dg-eco', name: '东莞市生态环境局', nameEn: 'Dongguan Ecology and Environment Bureau', townCode: null, active: true }])
    const issued = await seedAccounts(admin, store.auth, { demo: true, demoDepartment: 'dg-eco' })
    expect(issued.map(a => a.username).sort()).toEqual(['admin', 'duty', 'handler', 'leader', 'operator'])
    const defaults = [['admin', 'admin'], ['admin', '123456'], ['admin', 'password'], ['root', 'root'], ['admin', 'admin123'], ['operator', 'operator'], ['duty', '123456'], ['leader', 'password']]
    for (const [username, password] of defaults) {
      const result = await auth.login(username ?? '', password ?? '', '10.0.0.66')
      expect(result.ok, `${username}/${password}`).toBe(false)
    }
    expect((await store.audit.list({ limit: 100, action: 'auth.login' })).map(e => e.outcome)).toEqual(defaults.map(() => 'failed'))
  })
})

describe('passwords', () => {
  it('are stored as argon2id with at least 19 MiB and two passes, and never written to the audit log', async () => {
    const { id, password } = await newUser('zhang.wei')
    const stored = (await store.auth.user(id))?.passwordHash ?? ''
    const [, m, t, p] = PHC.exec(stored) ?? []
    expect(stored).toMatch(PHC)
    expect(Number(m)).toBeGreaterThanOrEqual(19_456)
    expect(Number(t)).toBeGreaterThanOrEqual(2)
    expect(Number(p)).toBeGreaterThanOrEqual(1)
    expect(stored).not.toContain(password)

    const { auth: signedIn } = await signIn('zhang.wei', password)
    await auth.changePassword(signedIn, password, 'another passphrase 2026', '10.0.0.8')
    const changed = (await store.auth.user(id))?.passwordHash ?? ''
    expect(changed).toMatch(PHC)
    expect(changed).not.toBe(stored)

    const log = JSON.stringify(await store.audit.list({ limit: 500 }))
    expect(log).not.toContain(password)
    expect(log).not.toContain('another passphrase 2026')
  })
})

describe('lockout and rate limit', { timeout: 30_000 }, () => {
  it('locks an account after 5 wrong passwords, refuses the right one while locked, audits every failure, and lets it in after the lock', async () => {
    const { id, password } = await newUser('zhang.wei')
    const answers = []
    for (let i = 0; i < 5; i++) {
      now += 1000
      answers.push(await auth.login('zhang.wei', `wrong password ${i}`, '10.0.0.8'))
    }
    expect(answers.map(a => a.ok ? 'ok' : a.reason)).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 'locked'])
    expect((await store.auth.user(id))?.lockedUntil).toBe(new Date(now + LOCKOUT_MS).toISOString())

    now += 1000
    expect(await auth.login('zhang.wei', password, '10.0.0.8')).toMatchObject({ ok: false, reason: 'locked', retryAfterMs: LOCKOUT_MS - 1000 })
    const failures = await loginEntries(id)
    expect(failures.map(e => [e.outcome, (e.after as { reason: string }).reason])).toEqual([
      ...Array.from({ length: 5 }, () => ['failed', 'wrong password']),
      ['failed', 'locked'],
    ])
    expect(failures.map(e => e.clientIp)).toEqual(failures.map(() => '10.0.0.8'))

    now += LOCKOUT_MS
    await signIn('zhang.wei', password)
    expect(await store.auth.user(id)).toMatchObject({ failedLogins: 0, lockedUntil: null })
    expect((await loginEntries(id)).at(-1)).toMatchObject({ outcome: 'ok', actorId: id })
  })

  it('refuses the 21st attempt from one address within the window, right password or not; other addresses go on', async () => {
    const { password } = await newUser('zhang.wei')
    for (let i = 0; i < 20; i++) {
      now += 1000
      expect(await auth.login(`nobody-${i}`, 'admin', '10.6.6.6')).toEqual({ ok: false, reason: 'invalid' })
    }
    now += 1000
    // The first attempt was 20 s ago: it leaves the 5-minute window in 280 s.
    expect(await auth.login('zhang.wei', password, '10.6.6.6')).toEqual({ ok: false, reason: 'rate-limited', retryAfterMs: 280_000 })
    expect((await store.audit.list({ limit: 1 }))[0]).toMatchObject({ action: 'auth.login', outcome: 'denied', clientIp: '10.6.6.6', after: { reason: 'rate-limited' } })
    await signIn('zhang.wei', password, '10.0.0.8')

    now += 280_000
    await signIn('zhang.wei', password, '10.6.6.6')
  })
})

describe('sessions', () => {
  it('authenticates a signed-in session, slides it while in use, and ends it at logout or after the idle time', async () => {
    const { id, password } = await newUser('zhang.wei')
    const { token } = await signIn('zhang.wei', password)
    expect((await auth.authenticate(token))?.principal).toEqual({ kind: 'user', userId: id, username: 'zhang.wei', roles: ['duty_officer'], departmentId: null })
    expect(await auth.authenticate(randomBytes(32).toString('base64url'))).toBeNull()

    // In use: each request moves the end of the session.
    now += USER_IDLE_MS - 60_000
    expect(await auth.authenticate(token)).not.toBeNull()
    now += USER_IDLE_MS - 60_000
    const live = await auth.authenticate(token)
    expect(live).not.toBeNull()

    await auth.logout(live as Authenticated, '10.0.0.8')
    expect(await auth.authenticate(token)).toBeNull()
    expect((await store.audit.list({ limit: 1 }))[0]).toMatchObject({ action: 'auth.logout', actorId: id, outcome: 'ok' })

    const idle = await signIn('zhang.wei', password)
    now += USER_IDLE_MS
    expect(await auth.authenticate(idle.token)).toBeNull()
  })

  it('ends the user\'s other sessions when the password changes, and keeps the one that changed it', async () => {
    const { password } = await newUser('zhang.wei')
    const here = await signIn('zhang.wei', password)
    const elsewhere = await signIn('zhang.wei', password, '10.0.0.9')

    expect(await auth.changePassword(here.auth, 'not the password', 'the new passphrase 2026', '10.0.0.8')).toBe(false)
    expect(await auth.authenticate(elsewhere.token)).not.toBeNull()

    expect(await auth.changePassword(here.auth, password, 'the new passphrase 2026', '10.0.0.8')).toBe(true)
    expect(await auth.authenticate(here.token)).not.toBeNull()
    expect(await auth.authenticate(elsewhere.token)).toBeNull()
    expect((await store.audit.list({ limit: 10, action: 'auth.password-change' })).map(e => e.outcome)).toEqual(['ok', 'failed'])
  })

  it('signs a wall in with its display token until the token is revoked', async () => {
    const { token: issued, secret } = await admin.issueDisplayToken(ADMIN, { name: '指挥大厅主屏', scene: 'wall' })
    const wall = await auth.displayLogin(secret, '10.0.1.20')
    if (!wall.ok)
      throw new Error(`display sign-in refused: ${wall.reason}`)
    expect((await auth.authenticate(wall.token))?.principal).toEqual({ kind: 'display', tokenId: issued.id, name: '指挥大厅主屏' })
    expect(auth.sessionInfo(wall.auth).principal).toEqual({ kind: 'display', id: issued.id, name: '指挥大厅主屏', scene: 'wall' })

    await admin.revokeDisplayToken(ADMIN, issued.id)
    expect(await auth.authenticate(wall.token)).toBeNull()
    expect(await auth.displayLogin(secret, '10.0.1.20')).toEqual({ ok: false, reason: 'invalid' })
    expect(await auth.displayLogin(`ioc_d_${randomBytes(32).toString('base64url')}`, '10.0.1.20')).toEqual({ ok: false, reason: 'invalid' })
    expect((await store.audit.list({ limit: 10 })).map(e => [e.action, e.outcome])).toEqual([
      ['auth.display-login', 'failed'],
      ['auth.display-login', 'failed'],
      ['display-token.revoke', 'ok'],
      ['auth.display-login', 'ok'],
      ['display-token.issue', 'ok'],
    ])
  })
})

describe('socket tickets', () => {
  it('redeem to their own live session; altered, forged, expired or logged-out ones do not', async () => {
    const { password } = await newUser('zhang.wei')
    const mine = await signIn('zhang.wei', password)
    const theirs = await signIn('zhang.wei', password, '10.0.0.9')
    const { ticket, expiresAt } = auth.socketTicket(mine.auth)
    expect(expiresAt).toBe(new Date(now + TICKET_TTL_MS).toISOString())
    expect((await auth.redeemTicket(ticket))?.session.id).toBe(mine.auth.session.id)

    const [id, exp, sig] = ticket.split('.') as [string, string, string]
    const altered = [
      `${id}.${exp}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`,
      `${id}.${Number(exp) + 3_600_000}.${sig}`,
      `${theirs.auth.session.id}.${exp}.${sig}`,
      `${id}.${exp}`,
      `${id}.${exp}.${sig}.${sig}`,
    ]
    for (const t of altered)
      expect(await auth.redeemTicket(t), t).toBeNull()
    for (const t of [undefined, null, 42, { ticket }, 'x'.repeat(201)])
      expect(await auth.redeemTicket(t)).toBeNull()

    // Signed with another key: another deployment's, or a guess.
    const stranger = new AuthService({ auth: store.auth, audit: store.audit, ticketKey: randomBytes(32), now: () => now })
    expect(await auth.redeemTicket(stranger.socketTicket(mine.auth).ticket)).toBeNull()

    now += TICKET_TTL_MS
    expect(await auth.redeemTicket(ticket)).toBeNull()

    const fresh = auth.socketTicket(mine.auth).ticket
    expect(await auth.redeemTicket(fresh)).not.toBeNull()
    await auth.logout(mine.auth, '10.0.0.8')
    expect(await auth.redeemTicket(fresh)).toBeNull()
  })
})
