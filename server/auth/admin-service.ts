import { randomBytes } from 'node:crypto'
import type { Principal, Role } from '@shared/auth/policy'
import type { DepartmentRecord, DisplayToken, User } from '@shared/schemas/auth'
import type { AuditRecord, AuthRepository, DisplayTokenRecord, UserRecord } from '@server/store/repositories'
import { actorOf, newId, sha256 } from './auth-service'
import { generatePassword, hashPassword } from './passwords'

/** A refusal the administrator can act on (409/404), said in words. */
export class AdminError extends Error {
  constructor(readonly status: 404 | 409, message: string) {
    super(message)
  }
}

export const publicUser = (u: UserRecord): User => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  roles: u.roles,
  departmentId: u.departmentId,
  disabled: u.disabled,
  lockedUntil: u.lockedUntil,
  createdAt: u.createdAt,
  lastLoginAt: u.lastLoginAt,
})

export const publicToken = ({ secretHash: _hash, ...token }: DisplayTokenRecord): DisplayToken => token

/** Who asks, from where: every change below is audited with it. */
export interface Actor { principal: Principal, clientIp: string | null }

/** Users, departments and display tokens, as administrators change them. */
export class AdminService {
  constructor(private readonly auth: AuthRepository, private readonly now: () => number = Date.now) {}

  private record(actor: Actor | null, action: string, targetType: string, targetId: string, before: unknown, after: unknown): AuditRecord {
    return { at: new Date(this.now()).toISOString(), actor: actorOf(actor?.principal ?? null), clientIp: actor?.clientIp ?? null, action, targetType, targetId, outcome: 'ok', before, after }
  }

  private async checkDepartment(departmentId: string | null, roles: readonly Role[]): Promise<void> {
    if (roles.includes('dept_handler') && departmentId === null)
      throw new AdminError(409, 'a department handler must belong to a department')
    if (departmentId !== null && !(await this.auth.departments()).some(d => d.id === departmentId && d.active))
      throw new AdminError(409, `no active department ${departmentId}`)
  }

  /** A new user with a generated password, which they must change at first sign-in. `actor` null: the system (first start, CLI). */
  async createUser(actor: Actor | null, input: { username: string, displayName: string, roles: Role[], departmentId: string | null }, options: { mustChangePassword?: boolean } = {}): Promise<{ user: User, password: string }> {
    if (await this.auth.userByName(input.username))
      throw new AdminError(409, `user ${input.username} exists`)
    await this.checkDepartment(input.departmentId, input.roles)
    const password = generatePassword()
    const user: UserRecord = {
      id: newId(),
      ...input,
      roles: [...new Set(input.roles)],
      passwordHash: await hashPassword(password),
      disabled: false,
      mustChangePassword: options.mustChangePassword ?? true,
      failedLogins: 0,
      lockedUntil: null,
      createdAt: new Date(this.now()).toISOString(),
      lastLoginAt: null,
    }
    await this.auth.saveUser(user, this.record(actor, 'user.create', 'user', user.id, null, publicUser(user)))
    return { user: publicUser(user), password }
  }

  async updateUser(actor: Actor, id: string, patch: { displayName?: string | undefined, roles?: Role[] | undefined, departmentId?: string | null | undefined, disabled?: boolean | undefined }): Promise<User> {
    const held = await this.userOrThrow(id)
    const next: UserRecord = {
      ...held,
      ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
      ...(patch.roles !== undefined ? { roles: [...new Set(patch.roles)] } : {}),
      ...(patch.departmentId !== undefined ? { departmentId: patch.departmentId } : {}),
      ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
    }
    if (actor.principal.kind === 'user' && actor.principal.userId === id && (next.disabled || !next.roles.includes('admin')))
      throw new AdminError(409, 'administrators cannot disable themselves or take away their own admin role')
    await this.checkDepartment(next.departmentId, next.roles)
    // Less power, or none: their sessions end now, and their sockets with them (the gateway's sweep).
    const demoted = next.disabled || held.roles.some(r => !next.roles.includes(r)) || next.departmentId !== held.departmentId
    await this.auth.saveUser(next, this.record(actor, 'user.update', 'user', id, publicUser(held), publicUser(next)), { endSessions: demoted })
    return publicUser(next)
  }

  async resetPassword(actor: Actor, id: string): Promise<{ user: User, password: string }> {
    const held = await this.userOrThrow(id)
    const password = generatePassword()
    const next = { ...held, passwordHash: await hashPassword(password), mustChangePassword: true, failedLogins: 0, lockedUntil: null }
    await this.auth.saveUser(next, this.record(actor, 'user.reset-password', 'user', id, null, null), { endSessions: true })
    return { user: publicUser(next), password }
  }

  private async userOrThrow(id: string): Promise<UserRecord> {
    const user = await this.auth.user(id)
    if (!user)
      throw new AdminError(404, `no user ${id}`)
    return user
  }

  async createDepartment(actor: Actor, input: { id: string, name: string, nameEn: string, townCode: string | null }): Promise<DepartmentRecord> {
    if ((await this.auth.departments()).some(d => d.id === input.id))
      throw new AdminError(409, `department ${input.id} exists`)
    const department = { ...input, active: true }
    await this.auth.saveDepartment(department, this.record(actor, 'department.create', 'department', input.id, null, department))
    return department
  }

  async updateDepartment(actor: Actor, id: string, patch: { name?: string | undefined, nameEn?: string | undefined, active?: boolean | undefined }): Promise<DepartmentRecord> {
    const held = (await this.auth.departments()).find(d => d.id === id)
    if (!held)
      throw new AdminError(404, `no department ${id}`)
    const next: DepartmentRecord = {
      ...held,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.nameEn !== undefined ? { nameEn: patch.nameEn } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
    }
    await this.auth.saveDepartment(next, this.record(actor, 'department.update', 'department', id, held, next))
    return next
  }

  /** A wall's token: 256 random bits, shown once; the store keeps its SHA-256. */
  async issueDisplayToken(actor: Actor, input: { name: string, scene: string | null }): Promise<{ token: DisplayToken, secret: string }> {
    const secret = `ioc_d_${randomBytes(32).toString('base64url')}`
    const token: DisplayTokenRecord = { id: newId(), name: input.name, scene: input.scene, secretHash: sha256(secret), createdAt: new Date(this.now()).toISOString(), createdBy: actorOf(actor.principal)?.name ?? '?', lastUsedAt: null, revokedAt: null }
    await this.auth.saveDisplayToken(token, this.record(actor, 'display-token.issue', 'display-token', token.id, null, publicToken(token)))
    return { token: publicToken(token), secret }
  }

  /** Revokes the token and ends its sessions; the gateway disconnects its walls at its next sweep. */
  async revokeDisplayToken(actor: Actor, id: string): Promise<DisplayToken> {
    const held = await this.auth.displayToken(id)
    if (!held)
      throw new AdminError(404, `no display token ${id}`)
    if (held.revokedAt)
      return publicToken(held)
    const next = { ...held, revokedAt: new Date(this.now()).toISOString() }
    await this.auth.saveDisplayToken(next, this.record(actor, 'display-token.revoke', 'display-token', id, publicToken(held), publicToken(next)))
    return publicToken(next)
  }
}
