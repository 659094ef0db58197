import type { AirStation, CityAqiPoint, StationReading } from '@shared/schemas/air'
import type { RecordKind, RejectCode, RejectedRecord, RejectReason } from '@shared/schemas/feeds'
import type { Incident, IncidentReport } from '@shared/schemas/incidents'
import type { AuditEntry, AuditQuery, DepartmentRecord, DisplayToken } from '@shared/schemas/auth'
import type { Role } from '@shared/auth/policy'
import type { WallLayout, WallLayoutSettings, WallLayoutVersion } from '@shared/schemas/wall'
import type { Alert, AlertEvent, AlertListQuery } from '@shared/schemas/alerts'
import type { AlertRuleSet, AlertSilence } from '@shared/schemas/alert-rules'
import type { ChainVerdict } from '@server/auth/audit-chain'
import type { WorkOrderRepository } from './work-order.repository'
import type { DrillRepository } from './drill.repository'
import type { ReviewRepository } from './review.repository'
import type { ReplayReader } from '@server/replay/replay.reader'

export type { RejectedRecord, RejectReason }

/** Where telemetry of the air domain is kept. */
export interface AirRepository {
  saveStations: (stations: readonly AirStation[]) => Promise<void>
  /** Upserts each station's latest reading; an older reading never replaces a newer one. */
  saveLatest: (readings: readonly StationReading[]) => Promise<void>
  latest: () => Promise<StationReading[]>
  saveCityPoint: (point: CityAqiPoint) => Promise<void>
  /** City AQI points at or after `since` (ISO 8601), oldest first. */
  cityTrend: (since: string) => Promise<CityAqiPoint[]>
  /** Drops city points older than `before`. */
  pruneCityTrend: (before: string) => Promise<void>
}

export interface LatestReading { entityId: string, observedAt: string, reading: unknown }

/** The latest reading per entity of the other telemetry kinds (traffic segments, halls), for restarts. */
export interface TelemetryRepository {
  /** Upserts; an older reading never replaces a newer one. */
  saveLatest: (kind: RecordKind, readings: readonly LatestReading[]) => Promise<void>
  latest: (kind: RecordKind) => Promise<LatestReading[]>
}

/** What the history holds: telemetry by record kind, and the server's own KPIs (server/live/kpis.history.ts). */
export type RollupKind = RecordKind | 'kpi'

/** The bucket widths the history keeps, each with its own retention. */
export type RollupResolution = 'minute' | 'hour'

/** One value to fold into the history. */
export interface RollupSample { kind: RollupKind, entityId: string, metric: string, observedAt: string, value: number }

/** One bucket; `start` is its first instant, ISO 8601 UTC. */
export interface RollupRow { kind: RollupKind, entityId: string, metric: string, start: string, n: number, mean: number, min: number, max: number }

/** Telemetry history as minute and hour rollups; late records still land in their minute and hour. */
export interface HistoryRepository {
  /** Folds the samples into their minute and their hour, in one transaction. */
  add: (samples: readonly RollupSample[]) => Promise<void>
  /** Buckets of the resolution starting in [from, to), oldest first. */
  query: (q: { resolution: RollupResolution, kind: RollupKind, entityId: string, metric: string, from: string, to: string }) => Promise<RollupRow[]>
  /** The same for every entity of the kind, oldest first (the alert rules' dry run). */
  queryAll: (q: { resolution: RollupResolution, kind: RollupKind, metric: string, from: string, to: string }) => Promise<RollupRow[]>
  /** Drops the buckets of each resolution that start before its instant, and keeps that one. */
  prune: (before: Record<RollupResolution, string>) => Promise<void>
}

export type IncidentWrite = 'created' | 'updated' | 'late' | 'duplicate'

/** 12345 incidents, kept in full. */
export interface IncidentRepository {
  /**
   * Stores received versions durably, in one transaction, in order.
   * `duplicate`: this version was already stored; `late`: kept in the
   * history but older than the current version, which it does not change.
   */
  save: (items: readonly { incident: Incident, report: IncidentReport }[]) => Promise<IncidentWrite[]>
  /** Incidents still open, and those reported or closed since `closedSince`, newest report first. */
  current: (q: { closedSince: string, limit: number }) => Promise<Incident[]>
  get: (id: string) => Promise<Incident | undefined>
  versions: (id: string) => Promise<{ version: string, receivedAt: string, report: IncidentReport }[]>
  list: (q: { status?: 'open' | 'closed', departmentId?: string, limit: number }) => Promise<Incident[]>
  /**
   * The work-order queue: incidents with their orders, newest call first,
   * filtered by the order's columns (`due` and `q` are left to the caller);
   * `departmentId` also matches orders it assists. At most `limit` rows, with
   * the count of matches per state before the state filter.
   */
  queue: (q: QueueQuery) => Promise<{ items: Incident[], byState: Record<string, number> }>
  /** Open orders of a topic in these towns, newest first (similar orders near one). */
  openOfTopic: (q: { topic: string, townCodes: readonly string[], excludeId: string, limit: number }) => Promise<Incident[]>
  /** Orders reported in [from, to) by UTC hour, oldest first; hours without any are left out. */
  intakeByHour: (q: { from: string, to: string }) => Promise<{ t: string, count: number }[]>
  /** The same per town (orders without a town left out), for the intake baselines of the alert rules. */
  intakeByTownHour: (q: { from: string, to: string }) => Promise<{ t: string, townCode: string, count: number }[]>
}

export interface QueueQuery {
  states?: readonly string[]
  topic?: string
  nature?: string
  townCode?: string
  departmentId?: string
  supervised?: boolean
  limit: number
}

export interface NewRejection {
  source: string
  kind: RecordKind | null
  code: RejectCode
  receivedAt: string
  reasons: RejectReason[]
  raw: string
  rawSha256: string
}

/** The dead-letter list: records that failed validation, with why. */
export interface RejectRepository {
  add: (records: readonly NewRejection[]) => Promise<void>
  list: (q: { limit: number, source?: string, kind?: RecordKind }) => Promise<RejectedRecord[]>
  count: (q?: { source?: string, kind?: RecordKind }) => Promise<number>
  /** Drops rows received before `before`. */
  prune: (before: string) => Promise<void>
}

/** Who did it, as the audit log keeps them: their roles and department at the time. */
export interface AuditActor { id: string, name: string, roles: readonly string[], departmentId: string | null }

/** One action to record: when, who, from where, what, to what, and the state before and after. */
export interface AuditRecord {
  at: string
  actor: AuditActor | null
  clientIp: string | null
  action: string
  targetType?: string | null
  targetId?: string | null
  outcome: 'ok' | 'denied' | 'failed'
  before?: unknown
  after?: unknown
}

/** The append-only, hash-chained audit log. */
export interface AuditRepository {
  /** Appends in a transaction of its own (actions that change nothing else: a failed login, a denial). */
  append: (record: AuditRecord) => Promise<AuditEntry>
  /** Newest first. */
  list: (q: AuditQuery) => Promise<AuditEntry[]>
  /** Walks the whole chain; names the first entry that does not verify. */
  verify: () => Promise<ChainVerdict>
}

export interface UserRecord {
  id: string
  username: string
  displayName: string
  passwordHash: string
  roles: Role[]
  departmentId: string | null
  disabled: boolean
  mustChangePassword: boolean
  failedLogins: number
  lockedUntil: string | null
  createdAt: string
  lastLoginAt: string | null
}

export interface DisplayTokenRecord extends DisplayToken {
  secretHash: string
}

export interface SessionRecord {
  /** SHA-256 of the cookie's value. */
  id: string
  userId: string | null
  displayTokenId: string | null
  csrfToken: string
  createdAt: string
  lastSeenAt: string
  expiresAt: string
  clientIp: string | null
}

/**
 * Users, departments, display tokens and sessions. Every write that an
 * audit record accompanies commits with it, in one transaction, or not at all.
 */
export interface AuthRepository {
  countUsers: () => Promise<number>
  user: (id: string) => Promise<UserRecord | undefined>
  userByName: (username: string) => Promise<UserRecord | undefined>
  users: () => Promise<UserRecord[]>
  /** Creates or replaces the user; `endSessions` ends their sessions too (but `keepSession`). */
  saveUser: (user: UserRecord, audit: AuditRecord | null, options?: { endSessions?: boolean, keepSession?: string }) => Promise<void>
  /**
   * Counts a failed sign-in in the database itself (concurrent failures all
   * count: no read-modify-write), locking the account at `lockAfter` until
   * `lockUntil`; the audit entry, made from the outcome, commits with it.
   */
  recordLoginFailure: (id: string, lockAfter: number, lockUntil: string, audit: (outcome: { failedLogins: number, locked: boolean }) => AuditRecord) => Promise<{ failedLogins: number, locked: boolean }>
  /** Clears the failure count and notes the sign-in, touching nothing else of the user. */
  recordLoginSuccess: (id: string, at: string) => Promise<void>
  departments: () => Promise<DepartmentRecord[]>
  /** Adds the departments not held yet (the city model's, at start); changes none. */
  seedDepartments: (departments: readonly DepartmentRecord[]) => Promise<void>
  saveDepartment: (department: DepartmentRecord, audit: AuditRecord) => Promise<void>
  displayTokens: () => Promise<DisplayTokenRecord[]>
  displayToken: (id: string) => Promise<DisplayTokenRecord | undefined>
  displayTokenBySecret: (secretHash: string) => Promise<DisplayTokenRecord | undefined>
  /** Creates or replaces the token; a revoked token's sessions end with it. */
  saveDisplayToken: (token: DisplayTokenRecord, audit: AuditRecord | null) => Promise<void>
  createSession: (session: SessionRecord, audit: AuditRecord | null) => Promise<void>
  session: (id: string) => Promise<SessionRecord | undefined>
  touchSession: (id: string, lastSeenAt: string, expiresAt: string) => Promise<void>
  endSession: (id: string, audit: AuditRecord | null) => Promise<void>
  /** Of these sessions, the ones that still exist and have not expired at `now`. */
  liveSessions: (ids: readonly string[], now: string) => Promise<Set<string>>
  pruneSessions: (before: string) => Promise<void>
}

/** Who saved a version of a wall layout preset, and when. */
export interface WallLayoutAuthor { at: string, by: string }

/**
 * Wall layout presets as versioned documents: a save never overwrites, it
 * adds the next version; the newest version is the preset. Saves and
 * deletions commit with their audit entry, made from the versions before
 * and after.
 */
export interface WallLayoutRepository {
  /** The presets not deleted, by id. */
  list: () => Promise<WallLayout[]>
  get: (id: string) => Promise<WallLayout | undefined>
  /** Every version of the preset, newest first; empty for an id never saved. */
  versions: (id: string) => Promise<WallLayoutVersion[]>
  /**
   * Saves the next version if the current one is `expectedVersion` (0: no
   * preset by this id, or a deleted one); otherwise throws
   * WallLayoutConflict (wall-layout.repository.ts) with the current one.
   */
  save: (id: string, settings: WallLayoutSettings, expectedVersion: number, author: WallLayoutAuthor, audit: (before: WallLayout | null, after: WallLayout) => AuditRecord | null) => Promise<WallLayout>
  /** Deletes by saving a version marked deleted; undefined when there was no preset. */
  remove: (id: string, author: WallLayoutAuthor, audit: (before: WallLayout) => AuditRecord | null) => Promise<WallLayout | undefined>
}

/** What one evaluation step (or one person's action) changed, written in one transaction. */
export interface AlertWrite {
  /** Newly raised: inserted, unless the same rule and entity already has an active row (another node's), which is kept. */
  raised?: readonly Alert[]
  /** Changed fields of alerts held (acknowledged, escalated, resolved, new value or title, muted). */
  updated?: readonly Alert[]
  events?: readonly AlertEvent[]
  /** Notifications to send, once each: a repeat of (alert, type) is ignored. */
  notifications?: readonly { alertId: string, type: string, groupKey: string, at: string }[]
  /** The engine's memory as JSON, saved with the transitions that came from it. */
  engineState?: { json: string, savedAt: string }
  audit?: readonly AuditRecord[]
}

/** The notifications of one group that one batch took. */
export interface NotificationBatch { groupKey: string, alerts: Alert[], types: string[] }

export interface AlertRuleRevision { revision: number, updatedAt: string, updatedBy: string, rules: number }

/** Alerts, their events and notifications, the versioned rule sets, silences and the engine's memory. */
export interface AlertRepository {
  /** The newest revision of the rules; undefined before the first is saved. */
  rules: () => Promise<AlertRuleSet | undefined>
  revisions: () => Promise<AlertRuleRevision[]>
  /** Adds revision expectedRevision + 1 with its audit entry; throws AlertRulesConflict when another got there first. */
  saveRules: (set: AlertRuleSet, expectedRevision: number, author: { at: string, by: string }, audit: AuditRecord | null) => Promise<AlertRuleSet>
  /** Returns, for each raised alert kept out by an active one, that one (raised id → alert held). */
  write: (change: AlertWrite) => Promise<Map<string, Alert>>
  /** Firing and acknowledged alerts. */
  active: () => Promise<Alert[]>
  list: (q: AlertListQuery) => Promise<{ total: number, alerts: Alert[] }>
  get: (id: string) => Promise<Alert | undefined>
  /** Oldest first. */
  events: (alertId: string) => Promise<AlertEvent[]>
  /** Silences and maintenance windows that end after `now`. */
  silences: (now: string) => Promise<AlertSilence[]>
  saveSilence: (silence: AlertSilence, audit: AuditRecord | null) => Promise<void>
  engineState: () => Promise<string | undefined>
  /** Takes every waiting notification created at or before `upTo` into `batch`, grouped; none that another batch took. */
  claimNotifications: (batch: string, upTo: string) => Promise<NotificationBatch[]>
  markSent: (batch: string, groupKey: string, outcome: string, at: string) => Promise<void>
}

export interface Store {
  alerts: AlertRepository
  auth: AuthRepository
  audit: AuditRepository
  wallLayouts: WallLayoutRepository
  air: AirRepository
  telemetry: TelemetryRepository
  history: HistoryRepository
  incidents: IncidentRepository
  workOrders: WorkOrderRepository
  drills: DrillRepository
  review: ReviewRepository
  rejects: RejectRepository
  /** The durable events of a past window, for the wall's replay (server/replay). */
  replay: ReplayReader
  close: () => Promise<void>
}
