import type { Kysely, Transaction } from 'kysely'
import type { Role } from '@shared/auth/policy'
import type { DepartmentRecord } from '@shared/schemas/auth'
import { appendAudit } from './audit.repository'
import type { AuditRecord, AuthRepository, DisplayTokenRecord, SessionRecord, UserRecord } from './repositories'
import type { Database } from './schema'

type UserRow = Database['users']
type SessionRow = Database['sessions']
type TokenRow = Database['display_tokens']

const userOf = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  roles: JSON.parse(r.roles) as Role[],
  departmentId: r.department_id,
  disabled: Number(r.disabled) === 1,
  mustChangePassword: Number(r.must_change_password) === 1,
  failedLogins: Number(r.failed_logins),
  lockedUntil: r.locked_until,
  createdAt: r.created_at,
  lastLoginAt: r.last_login_at,
})

const userRow = (u: UserRecord): UserRow => ({
  id: u.id,
  username: u.username,
  display_name: u.displayName,
  password_hash: u.passwordHash,
  roles: JSON.stringify(u.roles),
  department_id: u.departmentId,
  disabled: u.disabled ? 1 : 0,
  must_change_password: u.mustChangePassword ? 1 : 0,
  failed_logins: u.failedLogins,
  locked_until: u.lockedUntil,
  created_at: u.createdAt,
  last_login_at: u.lastLoginAt,
})

const sessionOf = (r: SessionRow): SessionRecord => ({
  id: r.id,
  userId: r.user_id,
  displayTokenId: r.display_token_id,
  csrfToken: r.csrf_token,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  clientIp: r.client_ip,
})

const tokenOf = (r: TokenRow): DisplayTokenRecord => ({
  id: r.id,
  name: r.name,
  scene: r.scene,
  secretHash: r.secret_hash,
  createdAt: r.created_at,
  createdBy: r.created_by,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
})

const departmentOf = (r: Database['departments']): DepartmentRecord => ({ id: r.id, name: r.name, nameEn: r.name_en, townCode: r.town_code, active: Number(r.active) === 1 })
const departmentRow = (d: DepartmentRecord): Database['departments'] => ({ id: d.id, name: d.name, name_en: d.nameEn, town_code: d.townCode, active: d.active ? 1 : 0 })

export function createAuthRepository(db: Kysely<Database>, auditKey: Buffer): AuthRepository {
  /** The change and its audit entry, in one transaction. */
  const audited = (audit: AuditRecord | null, change: (trx: Transaction<Database>) => Promise<unknown>): Promise<void> =>
    db.transaction().execute(async (trx) => {
      await change(trx)
      if (audit)
        await appendAudit(trx, auditKey, audit)
    })

  return {
    async countUsers() {
      const row = await db.selectFrom('users').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirst()
      return Number(row?.n ?? 0)
    },
    async user(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
      return row && userOf(row)
    },
    async userByName(username) {
      const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst()
      return row && userOf(row)
    },
    async users() {
      return (await db.selectFrom('users').selectAll().orderBy('username').execute()).map(userOf)
    },
    saveUser(user, audit, options = {}) {
      return audited(audit, async (trx) => {
        const { id, ...changes } = userRow(user)
        await trx.insertInto('users').values({ id, ...changes }).onConflict(oc => oc.column('id').doUpdateSet(changes)).execute()
        if (options.endSessions) {
          let ending = trx.deleteFrom('sessions').where('user_id', '=', id)
          if (options.keepSession)
            ending = ending.where('id', '!=', options.keepSession)
          await ending.execute()
        }
      })
    },

    recordLoginFailure(id, lockAfter, lockUntil, audit) {
      return db.transaction().execute(async (trx) => {
        const row = await trx.updateTable('users').set(eb => ({ failed_logins: eb('failed_logins', '+', 1) })).where('id', '=', id)
          .returning('failed_logins').executeTakeFirstOrThrow()
        const failedLogins = Number(row.failed_logins)
        const locked = failedLogins >= lockAfter
        if (locked)
          await trx.updateTable('users').set({ failed_logins: 0, locked_until: lockUntil }).where('id', '=', id).execute()
        await appendAudit(trx, auditKey, audit({ failedLogins, locked }))
        return { failedLogins, locked }
      })
    },
    async recordLoginSuccess(id, at) {
      await db.updateTable('users').set({ failed_logins: 0, locked_until: null, last_login_at: at }).where('id', '=', id).execute()
    },

    async departments() {
      return (await db.selectFrom('departments').selectAll().orderBy('id').execute()).map(departmentOf)
    },
    async seedDepartments(departments) {
      if (departments.length === 0)
        return
      await db.transaction().execute(async (trx) => {
        for (const d of departments)
          await trx.insertInto('departments').values(departmentRow(d)).onConflict(oc => oc.column('id').doNothing()).execute()
      })
    },
    saveDepartment(department, audit) {
      return audited(audit, async (trx) => {
        const { id, ...changes } = departmentRow(department)
        await trx.insertInto('departments').values({ id, ...changes }).onConflict(oc => oc.column('id').doUpdateSet(changes)).execute()
      })
    },

    async displayTokens() {
      return (await db.selectFrom('display_tokens').selectAll().orderBy('created_at', 'desc').execute()).map(tokenOf)
    },
    async displayToken(id) {
      const row = await db.selectFrom('display_tokens').selectAll().where('id', '=', id).executeTakeFirst()
      return row && tokenOf(row)
    },
    async displayTokenBySecret(secretHash) {
      const row = await db.selectFrom('display_tokens').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst()
      return row && tokenOf(row)
    },
    saveDisplayToken(token, audit) {
      return audited(audit, async (trx) => {
        const row: TokenRow = { id: token.id, name: token.name, scene: token.scene, secret_hash: token.secretHash, created_at: token.createdAt, created_by: token.createdBy, last_used_at: token.lastUsedAt, revoked_at: token.revokedAt }
        const { id, ...changes } = row
        await trx.insertInto('display_tokens').values(row).onConflict(oc => oc.column('id').doUpdateSet(changes)).execute()
        if (token.revokedAt)
          await trx.deleteFrom('sessions').where('display_token_id', '=', id).execute()
      })
    },

    createSession(session, audit) {
      return audited(audit, trx => trx.insertInto('sessions').values({
        id: session.id,
        user_id: session.userId,
        display_token_id: session.displayTokenId,
        csrf_token: session.csrfToken,
        created_at: session.createdAt,
        last_seen_at: session.lastSeenAt,
        expires_at: session.expiresAt,
        client_ip: session.clientIp,
      }).execute())
    },
    async session(id) {
      const row = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst()
      return row && sessionOf(row)
    },
    async touchSession(id, lastSeenAt, expiresAt) {
      await db.updateTable('sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).execute()
    },
    endSession(id, audit) {
      return audited(audit, trx => trx.deleteFrom('sessions').where('id', '=', id).execute())
    },
    async liveSessions(ids, now) {
      const live = new Set<string>()
      // In slices: a statement's parameters are bounded (SQLite 32,766; PostgreSQL 65,535).
      for (let i = 0; i < ids.length; i += 1000) {
        const rows = await db.selectFrom('sessions').select('id').where('id', 'in', ids.slice(i, i + 1000)).where('expires_at', '>', now).execute()
        for (const r of rows)
          live.add(r.id)
      }
      return live
    },
    async pruneSessions(before) {
      await db.deleteFrom('sessions').where('expires_at', '<', before).execute()
    },
  }
}
