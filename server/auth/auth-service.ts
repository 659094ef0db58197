import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import type { Principal } from '@shared/auth/policy'
import { actionsOf } from '@shared/auth/policy'
import type { SessionInfo } from '@shared/schemas/auth'
import type { AuditActor, AuditRecord, AuthRepository, AuditRepository, DisplayTokenRecord, SessionRecord, UserRecord } from '@server/store/repositories'
import { hashPassword, verifyPassword } from './passwords'
import { SlidingWindowLimiter } from './rate-limit'

/** A user's session ends after this long without a request. */
export const USER_IDLE_MS = 8 * 3_600_000
/** A wall's session lasts while it is in use and its token is not revoked. */
export const DISPLAY_IDLE_MS = 30 * 86_400_000
/** Failed logins in a row before an account is locked, and for how long. */
export const LOCKOUT_AFTER = 5
export const LOCKOUT_MS = 15 * 60_000
/** Login attempts per client address. */
const LOGIN_ATTEMPTS = { limit: 20, windowMs: 5 * 60_000 }
/** A socket ticket is good for this long: enough to open the socket it was fetched for. */
export const TICKET_TTL_MS = 60_000
/** last_seen_at is written at most this often per session. */
const TOUCH_EVERY_MS = 60_000

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')
const newToken = (): string => randomBytes(32).toString('base64url')

/** Who is signed in, behind a session. */
export interface Authenticated {
  session: SessionRecord
  principal: Principal
  /** For the session info: a display's scene, a user's display name. */
  user?: UserRecord
  display?: DisplayTokenRecord
}

export type LoginResult =
  | { ok: true, token: string, auth: Authenticated }
  | { ok: false, reason: 'invalid' | 'locked' | 'rate-limited', retryAfterMs?: number }

export const actorOf = (principal: Principal | null): AuditActor | null => {
  if (!principal)
    return null
  return principal.kind === 'user'
    ? { id: principal.userId, name: principal.username, roles: principal.roles, departmentId: principal.departmentId }
    : { id: principal.tokenId, name: principal.name, roles: ['display'], departmentId: null }
}

export const userPrincipal = (u: UserRecord): Principal => ({ kind: 'user', userId: u.id, username: u.username, roles: u.roles, departmentId: u.departmentId })

export interface AuthServiceDeps {
  auth: AuthRepository
  audit: AuditRepository
  /** HMAC key of socket tickets (secrets.ts). */
  ticketKey: Buffer
  now?: () => number
}

/** Sign-in, sessions, display tokens and socket tickets; every change audited. */
export class AuthService {
  private readonly now: () => number
  private readonly loginLimiter: SlidingWindowLimiter
  private readonly displayLimiter: SlidingWindowLimiter

  constructor(private readonly deps: AuthServiceDeps) {
    this.now = deps.now ?? Date.now
    this.loginLimiter = new SlidingWindowLimiter(LOGIN_ATTEMPTS.limit, LOGIN_ATTEMPTS.windowMs, this.now)
    this.displayLimiter = new SlidingWindowLimiter(LOGIN_ATTEMPTS.limit, LOGIN_ATTEMPTS.windowMs, this.now)
  }

  private iso(offsetMs = 0): string {
    return new Date(this.now() + offsetMs).toISOString()
  }

  private record(principal: Principal | null, clientIp: string | null, action: string, rest: Partial<AuditRecord> = {}): AuditRecord {
    return { at: this.iso(), actor: actorOf(principal), clientIp, action, outcome: 'ok', ...rest }
  }

  async login(username: string, password: string, clientIp: string | null): Promise<LoginResult> {
    const wait = this.loginLimiter.take(clientIp ?? '?')
    if (wait > 0) {
      await this.deps.audit.append(this.record(null, clientIp, 'auth.login', { outcome: 'denied', targetType: 'user', targetId: username.slice(0, 64), after: { reason: 'rate-limited' } }))
      return { ok: false, reason: 'rate-limited', retryAfterMs: wait }
    }
    const user = await this.deps.auth.userByName(username)
    const lockedFor = user?.lockedUntil ? Date.parse(user.lockedUntil) - this.now() : 0
    // The hash is checked even for unknown, disabled and locked accounts: the answer's timing tells nothing.
    const matches = await verifyPassword(user?.passwordHash ?? null, password)
    if (!user || user.disabled || lockedFor > 0 || !matches) {
      const failure = { reason: !user ? 'unknown user' : user.disabled ? 'disabled' : lockedFor > 0 ? 'locked' : 'wrong password' }
      if (user && !user.disabled && lockedFor <= 0) {
        const { locked } = await this.deps.auth.recordLoginFailure(user.id, LOCKOUT_AFTER, this.iso(LOCKOUT_MS), outcome =>
          this.record(null, clientIp, 'auth.login', { outcome: 'failed', targetType: 'user', targetId: user.id, after: { ...failure, ...outcome } }))
        return locked ? { ok: false, reason: 'locked', retryAfterMs: LOCKOUT_MS } : { ok: false, reason: 'invalid' }
      }
      await this.deps.audit.append(this.record(null, clientIp, 'auth.login', { outcome: 'failed', targetType: 'user', targetId: user?.id ?? username.slice(0, 64), after: failure }))
      return lockedFor > 0 ? { ok: false, reason: 'locked', retryAfterMs: lockedFor } : { ok: false, reason: 'invalid' }
    }
    const token = newToken()
    const session = this.newSession(token, { userId: user.id }, clientIp, USER_IDLE_MS)
    const signedIn = { ...user, failedLogins: 0, lockedUntil: null, lastLoginAt: this.iso() }
    // Only these columns: a whole-row write here could undo an administrator's change made during the password check.
    await this.deps.auth.recordLoginSuccess(user.id, signedIn.lastLoginAt)
    await this.deps.auth.createSession(session, this.record(userPrincipal(user), clientIp, 'auth.login', { targetType: 'user', targetId: user.id }))
    return { ok: true, token, auth: { session, principal: userPrincipal(signedIn), user: signedIn } }
  }

  /** A wall display's token exchanged for a session of its own. */
  async displayLogin(secret: string, clientIp: string | null): Promise<LoginResult> {
    const wait = this.displayLimiter.take(clientIp ?? '?')
    if (wait > 0)
      return { ok: false, reason: 'rate-limited', retryAfterMs: wait }
    const display = await this.deps.auth.displayTokenBySecret(sha256(secret))
    if (!display || display.revokedAt) {
      await this.deps.audit.append(this.record(null, clientIp, 'auth.display-login', { outcome: 'failed', targetType: 'display-token', targetId: display?.id ?? null, after: { reason: display ? 'revoked' : 'unknown token' } }))
      return { ok: false, reason: 'invalid' }
    }
    const token = newToken()
    const session = this.newSession(token, { displayTokenId: display.id }, clientIp, DISPLAY_IDLE_MS)
    const used = { ...display, lastUsedAt: this.iso() }
    await this.deps.auth.saveDisplayToken(used, null)
    const principal: Principal = { kind: 'display', tokenId: display.id, name: display.name }
    await this.deps.auth.createSession(session, this.record(principal, clientIp, 'auth.display-login', { targetType: 'display-token', targetId: display.id }))
    return { ok: true, token, auth: { session, principal, display: used } }
  }

  private newSession(token: string, who: { userId?: string, displayTokenId?: string }, clientIp: string | null, idleMs: number): SessionRecord {
    return {
      id: sha256(token),
      userId: who.userId ?? null,
      displayTokenId: who.displayTokenId ?? null,
      csrfToken: newToken(),
      createdAt: this.iso(),
      lastSeenAt: this.iso(),
      expiresAt: this.iso(idleMs),
      clientIp,
    }
  }

  /** The session behind a cookie's value, if it is live and its user or token still may sign in; slides its expiry. */
  async authenticate(token: string): Promise<Authenticated | null> {
    return this.sessionById(sha256(token), true)
  }

  async sessionById(id: string, touch = false): Promise<Authenticated | null> {
    const session = await this.deps.auth.session(id)
    if (!session || Date.parse(session.expiresAt) <= this.now())
      return null
    let auth: Authenticated | null = null
    if (session.userId) {
      const user = await this.deps.auth.user(session.userId)
      if (user && !user.disabled)
        auth = { session, principal: userPrincipal(user), user }
    }
    else if (session.displayTokenId) {
      const display = await this.deps.auth.displayToken(session.displayTokenId)
      if (display && !display.revokedAt)
        auth = { session, principal: { kind: 'display', tokenId: display.id, name: display.name }, display }
    }
    if (auth && touch && this.now() - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS) {
      const idle = session.userId ? USER_IDLE_MS : DISPLAY_IDLE_MS
      await this.deps.auth.touchSession(session.id, this.iso(), this.iso(idle))
    }
    return auth
  }

  async logout(auth: Authenticated, clientIp: string | null): Promise<void> {
    await this.deps.auth.endSession(auth.session.id, this.record(auth.principal, clientIp, 'auth.logout', { targetType: 'session', targetId: auth.session.id.slice(0, 12) }))
  }

  /** Changes the signed-in user's own password; their other sessions end. */
  async changePassword(auth: Authenticated, current: string, next: string, clientIp: string | null): Promise<boolean> {
    const user = auth.user
    if (!user || !(await verifyPassword(user.passwordHash, current))) {
      await this.deps.audit.append(this.record(auth.principal, clientIp, 'auth.password-change', { outcome: 'failed', targetType: 'user', targetId: user?.id ?? null }))
      return false
    }
    await this.deps.auth.saveUser(
      { ...user, passwordHash: await hashPassword(next), mustChangePassword: false },
      this.record(auth.principal, clientIp, 'auth.password-change', { targetType: 'user', targetId: user.id }),
      { endSessions: true, keepSession: auth.session.id },
    )
    return true
  }

  sessionInfo(auth: Authenticated): SessionInfo {
    const p = auth.principal
    return {
      principal: p.kind === 'user'
        ? { kind: 'user', id: p.userId, username: p.username, displayName: auth.user?.displayName ?? p.username, roles: [...p.roles], departmentId: p.departmentId }
        : { kind: 'display', id: p.tokenId, name: p.name, scene: auth.display?.scene ?? null },
      actions: [...actionsOf(p)],
      csrfToken: auth.session.csrfToken,
      expiresAt: auth.session.expiresAt,
      mustChangePassword: auth.user?.mustChangePassword ?? false,
    }
  }

  /** A short-lived credential for the socket handshake, bound to the session (ASVS 4.4.4: obtained through the signed-in HTTPS session). */
  socketTicket(auth: Authenticated): { ticket: string, expiresAt: string } {
    const exp = this.now() + TICKET_TTL_MS
    const body = `${auth.session.id}.${exp}`
    return { ticket: `${body}.${this.sign(body)}`, expiresAt: new Date(exp).toISOString() }
  }

  /** The live session a socket ticket names, or null (forged, expired, or its session gone). */
  async redeemTicket(ticket: unknown): Promise<Authenticated | null> {
    if (typeof ticket !== 'string' || ticket.length > 200)
      return null
    const parts = ticket.split('.')
    const [id, exp, sig] = parts
    // Exactly the three parts it was issued with: anything appended is an alteration too.
    if (parts.length !== 3 || !id || !exp || !sig || !/^\d+$/.test(exp))
      return null
    const expected = Buffer.from(this.sign(`${id}.${exp}`))
    const given = Buffer.from(sig)
    if (given.length !== expected.length || !timingSafeEqual(given, expected) || Number(exp) <= this.now())
      return null
    return this.sessionById(id)
  }

  private sign(body: string): string {
    return createHmac('sha256', this.deps.ticketKey).update(body).digest('base64url')
  }

  sweepLimiters(): void {
    this.loginLimiter.sweep()
    this.displayLimiter.sweep()
  }
}

export const newId = (): string => randomUUID()
