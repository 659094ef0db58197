/**
 * The migrations on each dialect: SQLite must keep producing the schema that
 * shipped (databases in the field were made by it), PostgreSQL gets its own
 * column types.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openPostgresStore } from './postgres'
import { openSqliteStore } from './sqlite'
import { contractBackends, PG_TEST_URL } from './store.backends'

const { backends } = await contractBackends()

/** sqlite_master as migrations 0001-air and 0002-feeds left it when they shipped (commit 1f60a81). */
const SHIPPED_SQLITE_SCHEMA: [name: string, sql: string][] = [
  ['air_latest', 'CREATE TABLE "air_latest" ("station_id" text primary key, "observed_at" text not null, "aqi" integer, "reading" text not null)'],
  ['air_stations', 'CREATE TABLE "air_stations" ("id" text primary key, "name" text not null, "town_code" text not null, "kind" text not null, "lng" double precision not null, "lat" double precision not null)'],
  ['city_aqi_points', 'CREATE TABLE "city_aqi_points" ("t" text primary key, "aqi" integer not null)'],
  ['incident_versions', 'CREATE TABLE "incident_versions" ("incident_id" text not null, "version" text not null, "received_at" text not null, "report" text not null, constraint "incident_versions_pk" primary key ("incident_id", "version"))'],
  ['incidents', 'CREATE TABLE "incidents" ("id" text primary key, "source" text not null, "ticket_no" text not null, "version" text not null, "status" text not null, "reported_at" text not null, "due_at" text not null, "town_code" text, "department_id" text not null, "incident" text not null, constraint "incidents_source_ticket" unique ("source", "ticket_no"))'],
  ['incidents_status_reported', 'CREATE INDEX "incidents_status_reported" on "incidents" ("status", "reported_at")'],
  ['kysely_migration', 'CREATE TABLE "kysely_migration" ("name" varchar(255) not null primary key, "timestamp" varchar(255) not null)'],
  ['kysely_migration_lock', 'CREATE TABLE "kysely_migration_lock" ("id" varchar(255) not null primary key, "is_locked" integer default 0 not null)'],
  ['rejected_records', 'CREATE TABLE "rejected_records" ("id" integer primary key autoincrement, "source" text not null, "received_at" text not null, "reasons" text not null, "raw" text not null, "kind" text, "code" text default \'schema\' not null, "raw_sha256" text default \'\' not null)'],
  ['rejected_records_received_at', 'CREATE INDEX "rejected_records_received_at" on "rejected_records" ("received_at")'],
  ['rejected_records_source', 'CREATE INDEX "rejected_records_source" on "rejected_records" ("source", "id")'],
  ['rollup_hour', 'CREATE TABLE "rollup_hour" ("kind" text not null, "entity_id" text not null, "metric" text not null, "hour" text not null, "n" integer not null, "sum" double precision not null, "min" double precision not null, "max" double precision not null, constraint "rollup_hour_pk" primary key ("kind", "entity_id", "metric", "hour"))'],
  ['sqlite_sequence', 'CREATE TABLE sqlite_sequence(name,seq)'],
  ['telemetry_latest', 'CREATE TABLE "telemetry_latest" ("kind" text not null, "entity_id" text not null, "observed_at" text not null, "reading" text not null, constraint "telemetry_latest_pk" primary key ("kind", "entity_id"))'],
]

/**
 * What 0003-minute-rollups makes of it: the minute table, and the hourly one
 * rebuilt, both keyed (kind, metric, time, entity) WITHOUT ROWID, each with an
 * index on its time.
 */
const MINUTE_ROLLUPS_SQLITE_SCHEMA: [name: string, sql: string][] = [
  ['rollup_hour', 'CREATE TABLE "rollup_hour" ("kind" text not null, "entity_id" text not null, "metric" text not null, "hour" text not null, "n" integer not null, "sum" double precision not null, "min" double precision not null, "max" double precision not null, constraint "rollup_hour_key" primary key ("kind", "metric", "hour", "entity_id")) without rowid'],
  ['rollup_hour_hour', 'CREATE INDEX "rollup_hour_hour" on "rollup_hour" ("hour")'],
  ['rollup_minute', 'CREATE TABLE "rollup_minute" ("kind" text not null, "entity_id" text not null, "metric" text not null, "minute" text not null, "n" integer not null, "sum" double precision not null, "min" double precision not null, "max" double precision not null, constraint "rollup_minute_pk" primary key ("kind", "metric", "minute", "entity_id")) without rowid'],
  ['rollup_minute_minute', 'CREATE INDEX "rollup_minute_minute" on "rollup_minute" ("minute")'],
]
/** What 0004-auth adds: users, departments, sessions, display tokens, and the append-only audit log. */
const AUTH_SQLITE_SCHEMA: [name: string, sql: string][] = [
  ['audit_head', 'CREATE TABLE "audit_head" ("id" integer primary key, "seq" integer not null, "hash" text not null)'],
  ['audit_head_forward', 'CREATE TRIGGER audit_head_forward before update on audit_head when new.seq < old.seq begin select raise(abort, \'audit_head only moves forward\'); end'],
  ['audit_head_no_delete', 'CREATE TRIGGER audit_head_no_delete before delete on audit_head begin select raise(abort, \'audit_head only moves forward\'); end'],
  ['audit_log', 'CREATE TABLE "audit_log" ("seq" integer primary key, "at" text not null, "actor_id" text, "actor_name" text, "actor_roles" text not null, "actor_department" text, "client_ip" text, "action" text not null, "target_type" text, "target_id" text, "outcome" text not null, "before_json" text, "after_json" text, "prev_hash" text not null, "hash" text not null)'],
  ['audit_log_at', 'CREATE INDEX "audit_log_at" on "audit_log" ("at")'],
  ['audit_log_no_delete', 'CREATE TRIGGER audit_log_no_delete before delete on audit_log begin select raise(abort, \'audit_log is append-only\'); end'],
  ['audit_log_no_update', 'CREATE TRIGGER audit_log_no_update before update on audit_log begin select raise(abort, \'audit_log is append-only\'); end'],
  ['departments', 'CREATE TABLE "departments" ("id" text primary key, "name" text not null, "name_en" text not null, "town_code" text, "active" integer default 1 not null)'],
  ['display_tokens', 'CREATE TABLE "display_tokens" ("id" text primary key, "name" text not null, "scene" text, "secret_hash" text not null unique, "created_at" text not null, "created_by" text not null, "last_used_at" text, "revoked_at" text)'],
  ['sessions', 'CREATE TABLE "sessions" ("id" text primary key, "user_id" text, "display_token_id" text, "csrf_token" text not null, "created_at" text not null, "last_seen_at" text not null, "expires_at" text not null, "client_ip" text)'],
  ['sessions_display_token', 'CREATE INDEX "sessions_display_token" on "sessions" ("display_token_id")'],
  ['sessions_expires', 'CREATE INDEX "sessions_expires" on "sessions" ("expires_at")'],
  ['sessions_user', 'CREATE INDEX "sessions_user" on "sessions" ("user_id")'],
  ['users', 'CREATE TABLE "users" ("id" text primary key, "username" text not null unique, "display_name" text not null, "password_hash" text not null, "roles" text not null, "department_id" text, "disabled" integer default 0 not null, "must_change_password" integer default 0 not null, "failed_logins" integer default 0 not null, "locked_until" text, "created_at" text not null, "last_login_at" text)'],
]
/** What 0005-wall-layouts adds: every saved version of every wall layout preset. */
const WALL_LAYOUTS_SQLITE_SCHEMA: [name: string, sql: string][] = [
  ['wall_layouts', 'CREATE TABLE "wall_layouts" ("id" text not null, "version" integer not null, "name" text not null, "doc" text not null, "deleted" integer default 0 not null, "updated_at" text not null, "updated_by" text not null, constraint "wall_layouts_pk" primary key ("id", "version"))'],
]
/** What 0006-incident-intake adds: incidents by the hour they were reported. */
const INCIDENT_INTAKE_SQLITE_SCHEMA: [name: string, sql: string][] = [
  ['incidents_reported', 'CREATE INDEX "incidents_reported" on "incidents" ("reported_at")'],
]
/** What 0007-alerts adds: rule revisions, alerts (one active per rule and entity), events, silences, the engine's memory, notifications. */
const ALERTS_SQLITE_SCHEMA: [name: string, sql: string][] = [
  ['alert_engine_state', 'CREATE TABLE "alert_engine_state" ("id" text primary key, "state" text not null, "saved_at" text not null)'],
  ['alert_events', 'CREATE TABLE "alert_events" ("alert_id" text not null, "type" text not null, "at" text not null, "by" text, "detail" text, constraint "alert_events_pk" primary key ("alert_id", "type", "at"))'],
  ['alert_notifications', 'CREATE TABLE "alert_notifications" ("alert_id" text not null, "type" text not null, "group_key" text not null, "created_at" text not null, "batch" text, "sent_at" text, "outcome" text, constraint "alert_notifications_pk" primary key ("alert_id", "type"))'],
  ['alert_notifications_waiting', 'CREATE INDEX "alert_notifications_waiting" on "alert_notifications" ("batch", "group_key")'],
  ['alert_rule_sets', 'CREATE TABLE "alert_rule_sets" ("revision" integer primary key, "doc" text not null, "updated_at" text not null, "updated_by" text not null)'],
  ['alert_silences', 'CREATE TABLE "alert_silences" ("id" text primary key, "doc" text not null, "ends_at" text not null)'],
  ['alerts', 'CREATE TABLE "alerts" ("id" text primary key, "rule_id" text not null, "entity_id" text not null, "domain" text not null, "severity" text not null, "status" text not null, "title" text not null, "town_code" text, "group_key" text not null, "value" double precision, "raised_at" text not null, "updated_at" text not null, "acknowledged_by" text, "acknowledged_at" text, "resolved_at" text, "escalation_level" integer default 0 not null, "muted" integer default 0 not null, "work_order_id" text)'],
  ['alerts_one_active', 'CREATE UNIQUE INDEX "alerts_one_active" on "alerts" ("rule_id", "entity_id") where "status" <> \'resolved\''],
  ['alerts_raised', 'CREATE INDEX "alerts_raised" on "alerts" ("raised_at")'],
  ['alerts_status', 'CREATE INDEX "alerts_status" on "alerts" ("status", "raised_at")'],
]
/** What 0008-work-orders adds: orders, their timelines, commands by idempotency key, deadline events fired. */
const WORK_ORDERS_SQLITE_SCHEMA: [name: string, sql: string][] = [
  ['work_order_commands', 'CREATE TABLE "work_order_commands" ("command_id" text primary key, "order_id" text not null, "actor_id" text not null, "action" text not null, "at" text not null, "answer" text not null)'],
  ['work_order_deadlines', 'CREATE TABLE "work_order_deadlines" ("order_id" text not null, "mark" text not null, "due_at" text not null, "fired_at" text not null, constraint "work_order_deadlines_pk" primary key ("order_id", "mark", "due_at"))'],
  ['work_order_events', 'CREATE TABLE "work_order_events" ("order_id" text not null, "seq" integer not null, "at" text not null, "action" text not null, "event" text not null, constraint "work_order_events_pk" primary key ("order_id", "seq"))'],
  ['work_order_events_at', 'CREATE INDEX "work_order_events_at" on "work_order_events" ("action", "at")'],
  ['work_orders', 'CREATE TABLE "work_orders" ("id" text primary key, "state" text not null, "version" integer not null, "department_id" text not null, "assisting" text not null, "town_code" text, "topic" text not null, "nature" text not null, "priority" text not null, "supervision" integer not null, "accepted_at" text not null, "dispatched_at" text, "signed_at" text, "replied_at" text, "closed_at" text, "sign_due_at" text, "handle_due_at" text not null, "updated_at" text not null, "event_count" integer not null, "doc" text not null)'],
  ['work_orders_closed', 'CREATE INDEX "work_orders_closed" on "work_orders" ("closed_at")'],
  ['work_orders_department', 'CREATE INDEX "work_orders_department" on "work_orders" ("department_id", "state")'],
  ['work_orders_dispatched', 'CREATE INDEX "work_orders_dispatched" on "work_orders" ("dispatched_at")'],
  ['work_orders_state', 'CREATE INDEX "work_orders_state" on "work_orders" ("state", "accepted_at")'],
]
/** What 0009-review adds: day rollups, the days folded, the reports; an index for the day a work order was signed. */
const REVIEW_SQLITE_SCHEMA: [name: string, sql: string][] = [
  ['review_folds', 'CREATE TABLE "review_folds" ("day" text primary key, "folded_at" text not null, "rows" integer not null)'],
  ['review_reports', 'CREATE TABLE "review_reports" ("id" text primary key, "kind" text not null, "period_start" text not null, "generated_at" text not null, "generated_by" text not null, "doc" text not null, constraint "review_reports_period" unique ("kind", "period_start"))'],
  ['rollup_day', 'CREATE TABLE "rollup_day" ("kind" text not null, "entity_id" text not null, "metric" text not null, "day" text not null, "n" integer not null, "sum" double precision not null, "min" double precision not null, "max" double precision not null, constraint "rollup_day_key" primary key ("kind", "entity_id", "day", "metric")) without rowid'],
  ['rollup_day_metric', 'CREATE INDEX "rollup_day_metric" on "rollup_day" ("kind", "metric", "day")'],
  ['rollup_day_day', 'CREATE INDEX "rollup_day_day" on "rollup_day" ("day")'],
  ['work_orders_signed', 'CREATE INDEX "work_orders_signed" on "work_orders" ("signed_at")'],
]
/** What 0010-drills adds: the drills, and a drill_id column (and index) on incidents, work orders and alerts, whose tables' SQL SQLite rewrites. */
const DRILLS_SQLITE_SCHEMA: [name: string, sql: string][] = [
  ['alerts', 'CREATE TABLE "alerts" ("id" text primary key, "rule_id" text not null, "entity_id" text not null, "domain" text not null, "severity" text not null, "status" text not null, "title" text not null, "town_code" text, "group_key" text not null, "value" double precision, "raised_at" text not null, "updated_at" text not null, "acknowledged_by" text, "acknowledged_at" text, "resolved_at" text, "escalation_level" integer default 0 not null, "muted" integer default 0 not null, "work_order_id" text, "drill_id" text)'],
  ['alerts_drill', 'CREATE INDEX "alerts_drill" on "alerts" ("drill_id") where "drill_id" is not null'],
  ['drills', 'CREATE TABLE "drills" ("id" text primary key, "status" text not null, "started_at" text not null, "ends_at" text not null, "ended_at" text, "doc" text not null, "summary" text)'],
  ['drills_started', 'CREATE INDEX "drills_started" on "drills" ("started_at")'],
  ['incidents', 'CREATE TABLE "incidents" ("id" text primary key, "source" text not null, "ticket_no" text not null, "version" text not null, "status" text not null, "reported_at" text not null, "due_at" text not null, "town_code" text, "department_id" text not null, "incident" text not null, "drill_id" text, constraint "incidents_source_ticket" unique ("source", "ticket_no"))'],
  ['incidents_drill', 'CREATE INDEX "incidents_drill" on "incidents" ("drill_id") where "drill_id" is not null'],
  ['work_orders', 'CREATE TABLE "work_orders" ("id" text primary key, "state" text not null, "version" integer not null, "department_id" text not null, "assisting" text not null, "town_code" text, "topic" text not null, "nature" text not null, "priority" text not null, "supervision" integer not null, "accepted_at" text not null, "dispatched_at" text, "signed_at" text, "replied_at" text, "closed_at" text, "sign_due_at" text, "handle_due_at" text not null, "updated_at" text not null, "event_count" integer not null, "doc" text not null, "drill_id" text)'],
  ['work_orders_drill', 'CREATE INDEX "work_orders_drill" on "work_orders" ("drill_id") where "drill_id" is not null'],
]
/** What 0011-review-spans adds: day rows summed by week and month, and the list of those built; an index of the orders by state and handling deadline. */
const SPANS_SQLITE_SCHEMA: [name: string, sql: string][] = [
  ['rollup_span', 'CREATE TABLE "rollup_span" ("kind" text not null, "entity_id" text not null, "metric" text not null, "span" text not null, "start" text not null, "n" integer not null, "sum" double precision not null, "min" double precision not null, "max" double precision not null, constraint "rollup_span_key" primary key ("kind", "entity_id", "span", "start", "metric")) without rowid'],
  ['rollup_span_start', 'CREATE INDEX "rollup_span_start" on "rollup_span" ("span", "start")'],
  ['review_spans', 'CREATE TABLE "review_spans" ("span" text not null, "start" text not null, "built_at" text not null, constraint "review_spans_key" primary key ("span", "start"))'],
  ['work_orders_due', 'CREATE INDEX "work_orders_due" on "work_orders" ("state", "handle_due_at")'],
]
const ALTERED_BY_DRILLS: ReadonlySet<string> = new Set(['alerts', 'incidents', 'work_orders'])
/** Every migration's schema, as a fresh database has it. */
const CURRENT_SQLITE_SCHEMA = [
  ...[...SHIPPED_SQLITE_SCHEMA.filter(([name]) => name !== 'rollup_hour'), ...MINUTE_ROLLUPS_SQLITE_SCHEMA, ...AUTH_SQLITE_SCHEMA, ...WALL_LAYOUTS_SQLITE_SCHEMA, ...INCIDENT_INTAKE_SQLITE_SCHEMA, ...ALERTS_SQLITE_SCHEMA, ...WORK_ORDERS_SQLITE_SCHEMA]
    .filter(([name]) => !ALTERED_BY_DRILLS.has(name)),
  ...REVIEW_SQLITE_SCHEMA,
  ...DRILLS_SQLITE_SCHEMA,
  ...SPANS_SQLITE_SCHEMA,
].sort(([a], [b]) => (a < b ? -1 : 1))
const MIGRATION_NAMES = ['0001-air', '0002-feeds', '0003-minute-rollups', '0004-auth', '0005-wall-layouts', '0006-incident-intake', '0007-alerts', '0008-work-orders', '0009-review', '0010-drills', '0011-review-spans']

const schemaOf = (file: string): [string, string][] => {
  const db = new SQLite(file, { readonly: true })
  try {
    return db.prepare<[], { name: string, sql: string }>('select name, sql from sqlite_master where sql is not null order by name').all().map(r => [r.name, r.sql])
  }
  finally {
    db.close()
  }
}

describe('SQLite migrations', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ioc-migrations-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('still produce the schema that shipped, with the rollups keyed by time (0003)', async () => {
    const file = join(dir, 'fresh.sqlite')
    await (await openSqliteStore(file)).close()
    expect(schemaOf(file)).toEqual(CURRENT_SQLITE_SCHEMA)
  })

  it('bring a database the shipped migrations made up to date, keeping its data, and the store works on it', async () => {
    const file = join(dir, 'shipped.sqlite')
    const shipped = new SQLite(file)
    for (const [name, ddl] of SHIPPED_SQLITE_SCHEMA) {
      if (name !== 'sqlite_sequence')
        shipped.exec(ddl)
    }
    shipped.prepare('insert into kysely_migration (name, timestamp) values (?, ?), (?, ?)').run('0001-air', '2026-11-01T00:00:00.000Z', '0002-feeds', '2026-11-02T00:00:00.000Z')
    shipped.prepare('insert into city_aqi_points (t, aqi) values (?, ?)').run('2026-11-23T00:00:00.000Z', 61)
    shipped.close()

    const store = await openSqliteStore(file)
    expect(await store.air.cityTrend('2026-11-22T00:00:00.000Z')).toEqual([{ t: '2026-11-23T00:00:00.000Z', aqi: 61 }])
    await store.rejects.add([{ source: 'a', kind: null, code: 'parse', receivedAt: '2026-11-23T00:00:00.000Z', reasons: [], raw: 'x', rawSha256: 'h' }])
    expect(await store.rejects.count()).toBe(1)
    await store.history.add([{ kind: 'kpi', entityId: 'air.aqi', metric: 'value', observedAt: '2026-11-23T00:00:30.000Z', value: 61 }])
    expect(await store.history.query({ resolution: 'minute', kind: 'kpi', entityId: 'air.aqi', metric: 'value', from: '2026-11-23T00:00:00.000Z', to: '2026-11-23T00:01:00.000Z' }))
      .toMatchObject([{ start: '2026-11-23T00:00:00.000Z', n: 1, mean: 61 }])
    await store.close()
    expect(schemaOf(file)).toEqual(CURRENT_SQLITE_SCHEMA)
    const migrated = new SQLite(file, { readonly: true })
    expect(migrated.prepare<[], { name: string }>('select name from kysely_migration order by name').all().map(r => r.name)).toEqual(MIGRATION_NAMES)
    migrated.close()
  })
})

describe.skipIf(!backends.some(b => b.name === 'postgres'))('PostgreSQL migrations', () => {
  const run = `ioc_test_mig_${process.pid}_${Date.now().toString(36)}`
  const [schemaA, schemaB] = [`${run}_a`, `${run}_b`]
  let client: pg.Client
  beforeEach(async () => {
    client = new pg.Client({ connectionString: PG_TEST_URL })
    await client.connect()
    await (await openPostgresStore(PG_TEST_URL, { schema: schemaA })).close()
  })
  afterEach(async () => {
    for (const schema of [schemaA, schemaB])
      await client.query(`drop schema if exists "${schema}" cascade`)
    await client.end()
  })

  it('make every text column byte-ordered (collation "C") and the dead-letter id an identity', async () => {
    const { rows } = await client.query<{ table_name: string, column_name: string, data_type: string, collation_name: string | null, is_identity: string }>(
      'select table_name, column_name, data_type, collation_name, is_identity from information_schema.columns where table_schema = $1 and table_name not like $2',
      [schemaA, 'kysely_%'],
    )
    const text = rows.filter(r => r.data_type === 'text')
    expect(text.length).toBeGreaterThan(30)
    expect(text.filter(r => r.collation_name !== 'C')).toEqual([])
    expect(rows.find(r => r.table_name === 'rejected_records' && r.column_name === 'id')).toMatchObject({ data_type: 'bigint', is_identity: 'YES' })
  })

  it('keep each schema apart, its migration bookkeeping included, and run once per schema', async () => {
    const b = await openPostgresStore(PG_TEST_URL, { schema: schemaB })
    const a = await openPostgresStore(PG_TEST_URL, { schema: schemaA })
    await a.air.saveCityPoint({ t: '2026-11-23T00:00:00.000Z', aqi: 61 })
    expect(await b.air.cityTrend('2026-11-22T00:00:00.000Z')).toEqual([])
    expect(await a.air.cityTrend('2026-11-22T00:00:00.000Z')).toHaveLength(1)
    await Promise.all([a.close(), b.close()])
    for (const schema of [schemaA, schemaB]) {
      const { rows } = await client.query<{ name: string }>(`select name from "${schema}".kysely_migration order by name`)
      expect(rows.map(r => r.name)).toEqual(MIGRATION_NAMES)
    }
  })

  it('refuse a schema name that would need quoting', async () => {
    await expect(openPostgresStore(PG_TEST_URL, { schema: 'Bad"; drop' })).rejects.toThrow(/schema name/)
  })
})
