/**
 * The audit log on every store implementation (reliability.md §4.3, A1, A2):
 * entries chain and verify, are listed newest first, commit or roll back with
 * the change they record, cannot be changed through the database, and stay one
 * chain when written concurrently (PostgreSQL's pool writes in parallel).
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AuditEntry } from '@shared/schemas/auth'
import { GENESIS_HASH } from '@server/auth/audit-chain'
import { openPostgresStore } from './postgres'
import type { AuditActor, AuditRecord, Store, UserRecord } from './repositories'
import { openSqliteStore } from './sqlite'
import { contractBackends, PG_TEST_URL, redacted } from './store.backends'

const { backends, pgProblem } = await contractBackends()

/** A store with a way around it: SQL sent straight to its database, as its own database user. */
interface RawStore {
  store: Store
  exec: (statement: string) => Promise<void>
  dispose: () => Promise<void>
}

async function openSqlite(): Promise<RawStore> {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-audit-'))
  const file = join(dir, 'ioc.sqlite')
  const store = await openSqliteStore(file)
  return {
    store,
    // A throw in the executor rejects: the trigger's refusal reaches the test.
    exec: statement => new Promise<void>((resolve) => {
      const db = new SQLite(file)
      try {
        db.exec(statement)
      }
      finally {
        db.close()
      }
      resolve()
    }),
    async dispose() {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function onPostgres<T>(schema: string | null, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_TEST_URL })
  await client.connect()
  try {
    if (schema)
      await client.query(`set search_path to "${schema}"`)
    return await work(client)
  }
  finally {
    await client.end()
  }
}

async function openPostgres(): Promise<RawStore> {
  const schema = `ioc_test_${randomBytes(6).toString('hex')}`
  const dropSchema = () => onPostgres(null, c => c.query(`drop schema if exists "${schema}" cascade`))
  const store = await openPostgresStore(PG_TEST_URL, { schema }).catch(async (err: unknown) => {
    await dropSchema()
    throw err
  })
  return {
    store,
    exec: statement => onPostgres(schema, async (c) => {
      await c.query(statement)
    }),
    async dispose() {
      await store.close()
      await dropSchema()
    },
  }
}

const OPENERS = { sqlite: openSqlite, postgres: openPostgres } as const

const T0 = Date.parse('2026-11-23T00:00:00.000Z')
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString()

const zhang: AuditActor = { id: 'u-zhang', name: 'zhang.wei', roles: ['duty_officer'], departmentId: null }
const li: AuditActor = { id: 'u-li', name: 'li.na', roles: ['dept_handler'], departmentId: 'dg-eco' }
const ACTIONS = ['workorder.dispatch', 'workorder.close', 'auth.login'] as const

/** The i-th of a varied run of records: three actions, two actors and nobody, one a minute. */
const record = (i: number): AuditRecord => ({
  at: at(i),
  actor: [zhang, li, null][i % 3] ?? null,
  clientIp: i % 3 === 2 ? null : `10.0.0.${i}`,
  action: ACTIONS[i % 4 === 3 ? 2 : i % 2] ?? 'auth.login',
  targetType: 'incident',
  targetId: `GD12345-${i}`,
  outcome: i % 5 === 4 ? 'denied' : 'ok',
  before: i % 2 === 0 ? { status: 'open' } : undefined,
  after: { status: 'dispatched', department: 'dg-eco', note: `转派东城街道 #${i}` },
})

const user = (id: string, username: string): UserRecord => ({
  id,
  username,
  displayName: '张伟',
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
  roles: ['duty_officer'],
  departmentId: null,
  disabled: false,
  mustChangePassword: false,
  failedLogins: 0,
  lockedUntil: null,
  createdAt: at(0),
  lastLoginAt: null,
})

describe('PostgreSQL for the audit contract', () => {
  it('is reachable (required when CI is set)', (ctx) => {
    if (pgProblem !== undefined && !process.env.CI)
      ctx.skip(`PostgreSQL at ${redacted(PG_TEST_URL)} unreachable: ${pgProblem}`)
    expect(pgProblem, `PostgreSQL at ${redacted(PG_TEST_URL)}`).toBeUndefined()
  })
})

describe.each(backends.map(b => [b.name] as const))('%s audit log', (name) => {
  let opened: RawStore | undefined
  let store: Store
  beforeEach(async () => {
    opened = await OPENERS[name]()
    store = opened.store
  })
  afterEach(() => opened?.dispose())

  const appendAll = async (n: number): Promise<AuditEntry[]> => {
    const entries: AuditEntry[] = []
    for (let i = 0; i < n; i++)
      entries.push(await store.audit.append(record(i)))
    return entries
  }

  it('verifies an empty chain', async () => {
    expect(await store.audit.verify()).toEqual({ ok: true, checked: 0, headSeq: null, headHash: null, brokenAt: null, reason: null })
  })

  it('chains appended entries from 1, each naming the hash before it, and verifies them', async () => {
    const entries = await appendAll(12)
    expect(entries.map(e => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1))
    expect(entries.map(e => e.prevHash)).toEqual([GENESIS_HASH, ...entries.slice(0, -1).map(e => e.hash)])
    expect(new Set(entries.map(e => e.hash)).size).toBe(12)
    expect(entries[1]).toMatchObject({ actorId: li.id, actorName: li.name, actorRoles: li.roles, actorDepartment: 'dg-eco', clientIp: '10.0.0.1', action: 'workorder.close', before: null, after: record(1).after })
    expect(entries[2]).toMatchObject({ actorId: null, actorName: null, actorRoles: [], clientIp: null, before: { status: 'open' } })
    expect(await store.audit.verify()).toEqual({ ok: true, checked: 12, headSeq: 12, headHash: entries[11]?.hash, brokenAt: null, reason: null })
  })

  it('lists newest first, filtered by action, actor (name or id) and time, and pages back with `before`', async () => {
    const entries = await appendAll(12)
    const newestFirst = [...entries].reverse()
    expect(await store.audit.list({ limit: 100 })).toEqual(newestFirst)
    expect(await store.audit.list({ limit: 100, action: 'workorder.close' })).toEqual(newestFirst.filter(e => e.action === 'workorder.close'))
    expect(await store.audit.list({ limit: 100, actor: 'li.na' })).toEqual(newestFirst.filter(e => e.actorId === li.id))
    expect(await store.audit.list({ limit: 100, actor: 'u-li' })).toEqual(newestFirst.filter(e => e.actorId === li.id))
    expect(await store.audit.list({ limit: 100, actor: 'zhang.wei', action: 'auth.login' })).toEqual(newestFirst.filter(e => e.actorId === zhang.id && e.action === 'auth.login'))
    // From included, to excluded; an offset other than Z means the same instant.
    const window = newestFirst.filter(e => e.at >= at(3) && e.at < at(7))
    expect(window.map(e => e.seq)).toEqual([7, 6, 5, 4])
    expect(await store.audit.list({ limit: 100, from: at(3), to: at(7) })).toEqual(window)
    expect(await store.audit.list({ limit: 100, from: '2026-11-23T08:03:00+08:00', to: '2026-11-23T08:07:00+08:00' })).toEqual(window)

    const pages: number[][] = []
    let before: number | undefined
    for (;;) {
      const page = await store.audit.list({ limit: 5, ...(before === undefined ? {} : { before }) })
      if (page.length === 0)
        break
      pages.push(page.map(e => e.seq))
      before = page.at(-1)?.seq
    }
    expect(pages).toEqual([[12, 11, 10, 9, 8], [7, 6, 5, 4, 3], [2, 1]])
    expect(await store.audit.list({ limit: 3, before: 9, action: 'workorder.dispatch' })).toEqual(newestFirst.filter(e => e.seq < 9 && e.action === 'workorder.dispatch').slice(0, 3))
  })

  it('commits a change with its audit entry, or neither: a failing change leaves no entry, a failing entry undoes the change', async () => {
    const created = user('u-1', 'zhang.wei')
    await store.auth.saveUser(created, { ...record(0), action: 'user.create', targetType: 'user', targetId: created.id })
    expect(await store.auth.user(created.id)).toEqual(created)
    expect((await store.audit.list({ limit: 10 })).map(e => [e.seq, e.action, e.targetId])).toEqual([[1, 'user.create', 'u-1']])

    // Another user with a name already taken: the change fails, so does its entry.
    await expect(store.auth.saveUser(user('u-2', 'zhang.wei'), { ...record(1), action: 'user.create', targetType: 'user', targetId: 'u-2' })).rejects.toThrow()
    expect(await store.auth.user('u-2')).toBeUndefined()
    // An entry the database refuses (no action) after the change was written: the change is undone.
    await expect(store.auth.saveUser({ ...created, displayName: '张伟（改）' }, { ...record(2), action: null as unknown as string })).rejects.toThrow()
    expect(await store.auth.user(created.id)).toEqual(created)
    expect(await store.audit.list({ limit: 10 })).toHaveLength(1)

    // Neither took a place in the chain: the next entry follows the first.
    const next = await store.audit.append(record(3))
    expect(next.seq).toBe(2)
    expect(await store.audit.verify()).toMatchObject({ ok: true, checked: 2, headSeq: 2 })
  })

  it('refuses UPDATE and DELETE on audit_log through the database itself', async () => {
    const entries = await appendAll(3)
    await expect(opened?.exec(`update audit_log set outcome = 'ok', action = 'nothing' where seq = 2`)).rejects.toThrow(/append-only/)
    await expect(opened?.exec(`delete from audit_log where seq = 3`)).rejects.toThrow(/append-only/)
    await expect(opened?.exec(`delete from audit_log`)).rejects.toThrow(/append-only/)
    expect(await store.audit.list({ limit: 10 })).toEqual([...entries].reverse())
    expect(await store.audit.verify()).toMatchObject({ ok: true, checked: 3 })
  })

  it('keeps one unbroken chain under 20 concurrent appends, audited changes among them', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => i % 2 === 0
      ? store.audit.append(record(i))
      : store.auth.saveDepartment({ id: `dept-${i}`, name: `部门${i}`, nameEn: `Dept ${i}`, townCode: null, active: true }, { ...record(i), action: 'department.create', targetType: 'department', targetId: `dept-${i}` })))
    const chain = (await store.audit.list({ limit: 100 })).reverse()
    expect(chain.map(e => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(chain.map(e => e.prevHash)).toEqual([GENESIS_HASH, ...chain.slice(0, -1).map(e => e.hash)])
    expect(chain.filter(e => e.action === 'department.create').map(e => e.targetId).sort()).toEqual((await store.auth.departments()).map(d => d.id).sort())
    expect(await store.audit.verify()).toMatchObject({ ok: true, checked: 20, headSeq: 20 })
  })

  it('verifies whole while entries are being appended (each walk sees one consistent chain)', async () => {
    await appendAll(5)
    const appends = Array.from({ length: 40 }, (_, i) => store.audit.append(record(i)))
    const walks = Array.from({ length: 8 }, () => store.audit.verify())
    const verdicts = await Promise.all(walks)
    await Promise.all(appends)
    expect(verdicts.map(v => [v.ok, v.reason])).toEqual(verdicts.map(() => [true, null]))
    expect(await store.audit.verify()).toMatchObject({ ok: true, checked: 45 })
  })
})
