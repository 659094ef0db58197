import { z } from 'zod'
import { Action, Role } from '@shared/auth/policy'

/** Bodies and answers of /api/auth and /api/admin (users, departments, display tokens, audit). */

export const Username = z.string().min(2).max(32).regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits and . _ - only')
/** At least 12 characters (ASVS 6.2.1); nothing else is imposed (6.2.5), long passphrases welcome. */
export const NewPassword = z.string().min(12, 'at least 12 characters').max(128)
export const DepartmentId = z.string().min(1).max(40).regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and - only')
/** Text a person typed: one line, no control characters. */
export const Label = z.string().trim().min(1).max(60).regex(/^[^\p{Cc}]*$/u, 'no control characters')

export const LoginRequest = z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) })
export type LoginRequest = z.infer<typeof LoginRequest>

export const PasswordChange = z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: NewPassword })
export type PasswordChange = z.infer<typeof PasswordChange>

export const DisplayLogin = z.strictObject({ token: z.string().min(20).max(200) })

export const PrincipalInfo = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), id: z.string(), username: z.string(), displayName: z.string(), roles: z.array(Role), departmentId: z.string().nullable() }),
  z.object({ kind: z.literal('display'), id: z.string(), name: z.string(), scene: z.string().nullable() }),
])
export type PrincipalInfo = z.infer<typeof PrincipalInfo>

/** GET /api/auth/session, and the answer to a login. */
export const SessionInfo = z.object({
  principal: PrincipalInfo,
  actions: z.array(Action),
  /** Sent back as X-CSRF-Token with every request that changes something. */
  csrfToken: z.string(),
  expiresAt: z.string(),
  /** A password set by an administrator must be changed before anything else. */
  mustChangePassword: z.boolean(),
})
export type SessionInfo = z.infer<typeof SessionInfo>

/** POST /api/auth/socket-ticket: the credential for the socket handshake's `auth`, short-lived. */
export const SocketTicket = z.object({ ticket: z.string(), expiresAt: z.string() })
export type SocketTicket = z.infer<typeof SocketTicket>

export const User = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(Role),
  /** null: the operations center itself. */
  departmentId: z.string().nullable(),
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
})
export type User = z.infer<typeof User>

export const UserCreate = z.strictObject({
  username: Username,
  displayName: Label,
  roles: z.array(Role).min(1),
  departmentId: DepartmentId.nullable(),
})
export type UserCreate = z.infer<typeof UserCreate>

export const UserUpdate = z.strictObject({
  displayName: Label.optional(),
  roles: z.array(Role).min(1).optional(),
  departmentId: DepartmentId.nullable().optional(),
  disabled: z.boolean().optional(),
})
export type UserUpdate = z.infer<typeof UserUpdate>

/** A new user's or a reset password, shown once to the administrator. */
export const IssuedPassword = z.object({ user: User, password: z.string() })

export const DepartmentRecord = z.object({
  id: z.string(),
  name: z.string(),
  nameEn: z.string(),
  townCode: z.string().nullable(),
  active: z.boolean(),
})
export type DepartmentRecord = z.infer<typeof DepartmentRecord>

export const DepartmentCreate = z.strictObject({ id: DepartmentId, name: Label, nameEn: Label, townCode: z.string().regex(/^\d{6}(?:\d{3})?$/).nullable().default(null) })
export const DepartmentUpdate = z.strictObject({ name: Label.optional(), nameEn: Label.optional(), active: z.boolean().optional() })

export const DisplayToken = z.object({
  id: z.string(),
  name: z.string(),
  /** A scene preset the wall opens with; null: the default wall. */
  scene: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
})
export type DisplayToken = z.infer<typeof DisplayToken>

export const DisplayTokenCreate = z.strictObject({ name: Label, scene: z.string().regex(/^[a-z0-9-]{1,40}$/).nullable().default(null) })
/** The token itself is in this answer only; the server keeps its hash. */
export const IssuedDisplayToken = z.object({ token: DisplayToken, secret: z.string() })

export const AuditOutcome = z.enum(['ok', 'denied', 'failed'])
export const AuditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  actorRoles: z.array(z.string()),
  actorDepartment: z.string().nullable(),
  clientIp: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  outcome: AuditOutcome,
  before: z.unknown(),
  after: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
})
export type AuditEntry = z.infer<typeof AuditEntry>

export const AuditQuery = z.object({
  /** Entries with seq below this (paging backwards from the newest). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  action: z.string().max(64).optional(),
  actor: z.string().max(64).optional(),
  /** What it was done to: a user, an alert, a work order (its id). */
  targetId: z.string().max(300).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
})
export type AuditQuery = z.infer<typeof AuditQuery>

export const AuditVerification = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  headSeq: z.number().int().nullable(),
  headHash: z.string().nullable(),
  /** The first entry that does not verify, and why. */
  brokenAt: z.number().int().nullable(),
  reason: z.string().nullable(),
})
export type AuditVerification = z.infer<typeof AuditVerification>
