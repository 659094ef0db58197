/**
 * The checks of the dispatch crash run (server/dispatch/crash.support.ts),
 * read straight from the database the restarted server runs on: what was
 * acknowledged is stored, each command took effect once (timeline, audit),
 * every order is closed, the file is sound and the audit chain verifies.
 */
import SQLite from 'better-sqlite3'
import type { DatabaseConnection } from 'kysely'
import { CompiledQuery, Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely'
import pg from 'pg'
import { storeOver } from '@server/store/kysely-store'
import { openPostgresStore } from '@server/store/postgres'
import type { Store } from '@server/store/repositories'
import type { Database } from '@server/store/schema'
import { openSqliteStore } from '@server/store/sqlite'

export interface CrashDatabase {
  /** The store, migrated (created when new), with the run's audit key. */
  openStore: () => Promise<Store>
  /** A plain connection for the checks, and the database's own consistency check ('n/a' where it has none). */
  connect: () => { db: Kysely<Database>, integrity: () => Promise<string> }
  /** Removes what the run made (PostgreSQL: its schema). */
  drop: () => Promise<void>
}

export function sqliteDatabase(file: string, auditKey: Buffer): CrashDatabase {
  return {
    openStore: () => openSqliteStore(file, { auditKey }),
    connect: () => {
      const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(file) }) })
      const integrity = async (): Promise<string> => {
        const { rows } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db)
        return rows.map(r => r.integrity_check).join('; ')
      }
      return { db, integrity }
    },
    drop: () => Promise.resolve(),
  }
}

export function postgresDatabase(url: string, schema: string, auditKey: Buffer): CrashDatabase {
  const connect = (): Kysely<Database> => new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: new pg.Pool({ connectionString: url, max: 2 }),
      onCreateConnection: (conn: DatabaseConnection) => conn.executeQuery(CompiledQuery.raw(`set search_path to "${schema}"`)).then(() => {}),
    }),
  })
  return {
    openStore: () => openPostgresStore(url, { auditKey, schema }),
    connect: () => ({ db: connect(), integrity: () => Promise.resolve('n/a') }),
    drop: async () => {
      const db = connect()
      try {
        await sql.raw(`drop schema if exists "${schema}" cascade`).execute(db)
      }
      finally {
        await db.destroy()
      }
    },
  }
}

export interface CrashChecks {
  /** Acknowledged commandIds missing from work_order_commands. */
  lost: number
  /** work_order_commands rows of the run's orders (N when nothing was lost or added). */
  storedCommands: number
  /** (order, action) pairs whose effect is there more than once: in the timeline, or as an ok audit entry. */
  duplicated: number
  /** Acknowledged commands without their timeline entry or ok audit entry. */
  missingEffects: number
  /** Orders whose timeline is exactly create + the actions, each once. */
  timelineOk: number
  notClosed: number
  /** Ok audit entries without actor id, roles, client IP, a UTC time, or before and after states (A1). */
  auditIncomplete: number
  /** Refused attempts on the run's orders that were audited (a retry answered 409 or 422 would show here). */
  refusedAudited: number
  integrity: string
  chain: { ok: boolean, checked: number, problem: string | null }
}

export interface RunRecord {
  orderIds: readonly string[]
  acknowledged: readonly string[]
  /** Each order's actions, in order. */
  expectedActions: readonly string[]
}

const CHUNK = 500
const chunks = <T>(items: readonly T[]): T[][] => Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK))
const UTC_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/

function count<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1)
}

interface AuditFacts { actor_id: string | null, actor_roles: string, client_ip: string | null, at: string, before_json: string | null, after_json: string | null }
const complete = (row: AuditFacts): boolean =>
  row.actor_id !== null && (JSON.parse(row.actor_roles) as unknown[]).length > 0 && row.client_ip !== null
  && UTC_INSTANT.test(row.at) && row.before_json !== null && row.after_json !== null

export async function inspectRun(database: CrashDatabase, auditKey: Buffer, run: RunRecord): Promise<CrashChecks> {
  const { db, integrity } = database.connect()
  try {
    const stored = new Set<string>()
    for (const ids of chunks(run.acknowledged))
      (await db.selectFrom('work_order_commands').select('command_id').where('command_id', 'in', ids).execute()).forEach(r => stored.add(r.command_id))
    let storedCommands = 0
    const timeline = new Map<string, string[]>()
    const states = new Map<string, string>()
    const auditPerAction = new Map<string, number>()
    const auditPerCommand = new Map<string, number>()
    let auditIncomplete = 0
    let refusedAudited = 0
    for (const ids of chunks(run.orderIds)) {
      const commands = await db.selectFrom('work_order_commands').select(eb => eb.fn.countAll().as('n')).where('order_id', 'in', ids).executeTakeFirstOrThrow()
      storedCommands += Number(commands.n)
      for (const e of await db.selectFrom('work_order_events').select(['order_id', 'action']).where('order_id', 'in', ids).orderBy('order_id').orderBy('seq').execute())
        timeline.set(e.order_id, [...timeline.get(e.order_id) ?? [], e.action])
      for (const o of await db.selectFrom('work_orders').select(['id', 'state']).where('id', 'in', ids).execute())
        states.set(o.id, o.state)
      const audit = await db.selectFrom('audit_log')
        .select(['target_id', 'action', 'outcome', 'actor_id', 'actor_roles', 'client_ip', 'at', 'before_json', 'after_json'])
        .where('target_type', '=', 'work_order').where('target_id', 'in', ids).where('action', 'like', 'workorder.%').execute()
      for (const row of audit) {
        if (row.outcome !== 'ok') {
          refusedAudited++
          continue
        }
        count(auditPerAction, `${row.target_id} ${row.action.slice('workorder.'.length)}`)
        const commandId = (JSON.parse(row.after_json ?? '{}') as { commandId?: string }).commandId
        if (commandId)
          count(auditPerCommand, commandId)
        if (!complete(row))
          auditIncomplete++
      }
    }

    const expectedTimeline = ['create', ...run.expectedActions].join(' ')
    let duplicated = 0
    let missingEffects = 0
    for (const id of run.orderIds) {
      const perAction = new Map<string, number>()
      for (const action of timeline.get(id) ?? [])
        count(perAction, action)
      for (const action of run.expectedActions) {
        const inTimeline = perAction.get(action) ?? 0
        const inAudit = auditPerAction.get(`${id} ${action}`) ?? 0
        if (inTimeline > 1 || inAudit > 1)
          duplicated++
        if (inTimeline === 0 || inAudit === 0)
          missingEffects++
      }
    }
    // The audit entry names its commandId: every acknowledged key must have one (more would show as a duplicate above).
    missingEffects += run.acknowledged.filter(id => !auditPerCommand.has(id)).length

    const verdict = await storeOver(db, { auditKey }).audit.verify()
    return {
      lost: run.acknowledged.filter(id => !stored.has(id)).length,
      storedCommands,
      duplicated,
      missingEffects,
      timelineOk: run.orderIds.filter(id => (timeline.get(id) ?? []).join(' ') === expectedTimeline).length,
      notClosed: run.orderIds.filter(id => states.get(id) !== 'closed').length,
      auditIncomplete,
      refusedAudited,
      integrity: await integrity(),
      chain: { ok: verdict.ok, checked: verdict.checked, problem: verdict.ok ? null : `entry #${verdict.brokenAt ?? '?'}: ${verdict.reason ?? ''}` },
    }
  }
  finally {
    await db.destroy()
  }
}
