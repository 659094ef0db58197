/**
 * `npm run audit:verify` against real databases (reliability.md A2): a SQLite
 * file of audit entries written through the real repositories, copied and
 * tampered with as an attacker holding the file would (triggers dropped first),
 * 100 times; the verifier must name the first entry tampered with, every time.
 */
import { randomBytes } from 'node:crypto'
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuditRow } from '@server/auth/audit-chain'
import { auditHash } from '@server/auth/audit-chain'
import { AdminService } from '@server/auth/admin-service'
import type { Actor } from '@server/auth/admin-service'
import { AuthService } from '@server/auth/auth-service'
import { deriveKey } from '@server/auth/secrets'
import { Random } from '@server/feeds/random'
import type { AuditRecord } from '@server/store/repositories'
import { openPostgresStore } from '@server/store/postgres'
import { openSqliteStore } from '@server/store/sqlite'
import { PG_TEST_URL, postgresProblem, redacted } from '@server/store/store.backends'
import { runAuditVerify } from './audit-verify'

const SECRET = 'c0ffee5a1t-3f9b2d7e8a41c6b05d9e3f7a2b8c4d1e6f0a9b3c7d5e2f8a'
const ENTRIES = 50
const TRIALS_PER_KIND = 25
const T0 = Date.parse('2026-11-23T01:00:00.000Z')

let dir = ''
let base = ''
let copies = 0

async function verify(env: NodeJS.ProcessEnv): Promise<{ code: number, out: string, err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await runAuditVerify(env, { out: l => out.push(l), err: l => err.push(l) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

/** A fresh copy of the base database, beside it no ioc.secret unless a test puts one there. */
function copyOfBase(): string {
  const file = join(dir, `copy-${++copies}.db`)
  copyFileSync(base, file)
  return file
}

/**
 * About 50 entries as the server writes them: accounts, departments and a
 * wall token made by an administrator, sign-ins that work and fail, and
 * dispatch actions with their state before and after.
 */
async function buildBase(file: string): Promise<void> {
  let now = T0
  const clock = (): number => (now += 37_000)
  const store = await openSqliteStore(file, { auditKey: deriveKey(SECRET, 'audit') })
  try {
    const admin = new AdminService(store.auth, clock)
    const auth = new AuthService({ auth: store.auth, audit: store.audit, ticketKey: randomBytes(32), now: clock })
    const root: Actor = { principal: { kind: 'user', userId: 'cli', username: 'cli:ops', roles: ['admin'], departmentId: null }, clientIp: null }
    await admin.createDepartment(root, { id: 'dg-eco', name: '东莞市生态环境局', nameEn: 'Dongguan Ecology and Environment Bureau', townCode: null })
    await admin.createDepartment(root, { id: 'dg-traffic', name: '东莞市交通运输局', nameEn: 'Dongguan Transport Bureau', townCode: null })
    const { password } = await admin.createUser(root, { username: 'zhang.wei', displayName: '张伟', roles: ['duty_officer'], departmentId: null }, { mustChangePassword: false })
    await admin.createUser(root, { username: 'li.na', displayName: '李娜', roles: ['dept_handler'], departmentId: 'dg-eco' })
    await admin.issueDisplayToken(root, { name: '大厅主屏', scene: 'wall' })
    await auth.login('zhang.wei', 'not-the-password', '10.0.0.8')
    await auth.login('nobody', 'admin', '10.0.0.9')
    const signedIn = await auth.login('zhang.wei', password, '10.0.0.8')
    if (!signedIn.ok)
      throw new Error('the base database needs a signed-in duty officer')
    const who = { id: 'u-zhang', name: 'zhang.wei', roles: ['duty_officer'], departmentId: null }
    const dispatch = (i: number): AuditRecord => ({
      at: new Date(clock()).toISOString(),
      actor: i % 4 === 3 ? null : who,
      clientIp: i % 4 === 3 ? null : '10.0.0.8',
      action: ['workorder.dispatch', 'workorder.urge', 'workorder.close'][i % 3] ?? 'workorder.dispatch',
      targetType: 'incident',
      targetId: `GD12345-2026112300${String(i).padStart(2, '0')}`,
      outcome: i % 7 === 6 ? 'denied' : 'ok',
      before: { status: 'open', department: null },
      after: i % 5 === 4 ? undefined : { status: 'dispatched', department: 'dg-eco', note: `请核查异味来源 "${i}"\n` },
    })
    // One entry short: the sign-out below is the last.
    for (let i = 0; ((await store.audit.list({ limit: 1 }))[0]?.seq ?? 0) < ENTRIES - 1; i++)
      await store.audit.append(dispatch(i))
    await auth.logout(signedIn.auth, '10.0.0.8')
  }
  finally {
    await store.close()
  }
}

type Tamper = 'modify' | 'delete' | 'insert' | 'reorder'

const COLUMNS = ['at', 'actor_id', 'actor_name', 'actor_roles', 'actor_department', 'client_ip', 'action', 'target_type', 'target_id', 'outcome', 'before_json', 'after_json', 'prev_hash', 'hash'] as const
type Column = typeof COLUMNS[number]

/** A different value an attacker might write into the column: plausible, never the same. */
function forged(column: Column, value: string | null, rand: Random): string | null {
  switch (column) {
    case 'at': return new Date(Date.parse(value ?? '') - 60_000).toISOString()
    case 'prev_hash':
    case 'hash': {
      const i = rand.int(0, 63)
      const c = (value ?? '').charAt(i)
      return `${(value ?? '').slice(0, i)}${c === 'a' ? 'b' : 'a'}${(value ?? '').slice(i + 1)}`
    }
    case 'actor_roles': return value === '["admin"]' ? '[]' : '["admin"]'
    case 'outcome': return value === 'ok' ? 'denied' : 'ok'
    case 'before_json':
    case 'after_json': return value === null ? '{"status":"closed"}' : null
    default: return value === null ? 'mallory' : value === 'mallory' ? null : `${value.slice(0, -1)}${value.endsWith('x') ? 'y' : 'x'}`
  }
}

/** Opens the copy as an attacker would: the append-only triggers go first. */
function attack(file: string, work: (db: SQLite.Database, rows: AuditRow[]) => void): void {
  const db = new SQLite(file)
  try {
    db.exec('drop trigger audit_log_no_update; drop trigger audit_log_no_delete')
    work(db, db.prepare('select * from audit_log order by seq').all() as AuditRow[])
  }
  finally {
    db.close()
  }
}

/** Tampers with one row of the copy; resolves to the seq the verifier must name. */
function tamper(file: string, kind: Tamper, rand: Random): number {
  let expected = 0
  attack(file, (db, rows) => {
    const n = rows.length
    const row = (seq: number): AuditRow => rows[seq - 1] as AuditRow
    switch (kind) {
      case 'modify': {
        const seq = rand.int(1, n)
        const column = rand.pick(COLUMNS)
        const value = forged(column, row(seq)[column], rand)
        if (value === row(seq)[column])
          throw new Error(`no change to ${column}`)
        db.prepare(`update audit_log set ${column} = ? where seq = ?`).run(value, seq)
        expected = seq
        break
      }
      case 'delete': {
        expected = rand.int(1, n)
        db.prepare('delete from audit_log where seq = ?').run(expected)
        break
      }
      case 'insert': {
        // Between two entries: the later ones move up one, the forgery links to the one before and is linked to.
        const seq = rand.int(2, n)
        for (let s = n; s >= seq; s--)
          db.prepare('update audit_log set seq = ? where seq = ?').run(s + 1, s)
        const { hash: _template, ...template } = row(rand.int(1, n))
        const unsealed: Omit<AuditRow, 'hash'> = { ...template, seq, at: row(seq - 1).at, action: 'user.update', actor_name: 'li.na', after_json: '{"roles":["admin"]}', prev_hash: row(seq - 1).hash }
        const hash = auditHash(randomBytes(32), unsealed)
        db.prepare('insert into audit_log (seq, at, actor_id, actor_name, actor_roles, actor_department, client_ip, action, target_type, target_id, outcome, before_json, after_json, prev_hash, hash) values (@seq, @at, @actor_id, @actor_name, @actor_roles, @actor_department, @client_ip, @action, @target_type, @target_id, @outcome, @before_json, @after_json, @prev_hash, @hash)')
          .run({ ...unsealed, hash })
        db.prepare('update audit_log set prev_hash = ? where seq = ?').run(hash, seq + 1)
        db.prepare('update audit_head set seq = ?, hash = ? where id = 1').run(n + 1, row(n).hash)
        expected = seq
        break
      }
      case 'reorder': {
        const a = rand.int(1, n)
        let b = rand.int(1, n - 1)
        if (b >= a)
          b++
        const swap = db.prepare(`update audit_log set ${COLUMNS.map(c => `${c} = @${c}`).join(', ')} where seq = @seq`)
        swap.run({ ...row(b), seq: a })
        swap.run({ ...row(a), seq: b })
        expected = Math.min(a, b)
        break
      }
    }
  })
  return expected
}

const env = (file: string, secret = SECRET): NodeJS.ProcessEnv => ({ IOC_DB_FILE: file, IOC_SECRET: secret })

// Seconds of argon2 and fsync on an idle machine; a busy CI runner gets room, nothing here is timed.
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ioc-audit-verify-'))
  base = join(dir, 'base.db')
  await buildBase(base)
  // Closed cleanly, the WAL is folded into the file: a copy of the file is the whole database.
  expect(existsSync(`${base}-wal`)).toBe(false)
}, 60_000)

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('audit:verify on SQLite', { timeout: 30_000 }, () => {
  it('passes an untouched copy and names its head', async () => {
    const file = copyOfBase()
    const db = new SQLite(file, { readonly: true })
    const head = db.prepare('select seq, hash from audit_log order by seq desc limit 1').get() as { seq: number, hash: string }
    db.close()
    expect(head.seq).toBe(ENTRIES)
    expect(await verify(env(file))).toEqual({ code: 0, out: `audit chain OK: ${ENTRIES} entries, head #${ENTRIES} ${head.hash}`, err: '' })
  })

  it('reads the key from the ioc.secret file beside the database when IOC_SECRET is not set', async () => {
    const file = copyOfBase()
    writeFileSync(join(dir, 'ioc.secret'), `${SECRET}\n`)
    try {
      expect(await verify({ IOC_DB_FILE: file })).toMatchObject({ code: 0, out: expect.stringMatching(/^audit chain OK: 50 entries/) as unknown })
    }
    finally {
      rmSync(join(dir, 'ioc.secret'))
    }
  })

  it('with another secret, finds the very first entry broken', async () => {
    const result = await verify(env(copyOfBase(), 'a-different-secret-7d1e0b9c5f3a2e8d4c6b'))
    expect(result.code).toBe(1)
    expect(result.out).toMatch(/^audit chain BROKEN at entry #1: /)
  })

  it('without a key (no IOC_SECRET, no ioc.secret) says so, exits 2 and makes no secret', async () => {
    const file = copyOfBase()
    expect(await verify({ IOC_DB_FILE: file })).toEqual({ code: 2, out: '', err: expect.stringContaining('audit key is missing') as unknown })
    expect(existsSync(join(dir, 'ioc.secret'))).toBe(false)
  })

  it('without the database file says so, exits 2 and creates none', async () => {
    const file = join(dir, 'nowhere', 'ioc.db')
    expect(await verify(env(file))).toEqual({ code: 2, out: '', err: expect.stringContaining(`no database at ${file}`) as unknown })
    expect(existsSync(file)).toBe(false)
  })

  it('exits 2 on a configuration the server would refuse', async () => {
    expect(await verify({ ...env(copyOfBase()), IOC_DATABASE_SCHEMA: 'Not A Schema' })).toMatchObject({ code: 2, err: expect.stringContaining('IOC_DATABASE_SCHEMA') as unknown })
  })

  it('finds an entry whose hash was overwritten with other text of the same length', async () => {
    const file = copyOfBase()
    attack(file, (db) => {
      db.prepare('update audit_log set hash = ? where seq = 17').run('哈'.repeat(64))
    })
    expect(await verify(env(file))).toMatchObject({ code: 1, out: expect.stringMatching(/^audit chain BROKEN at entry #17: /) as unknown })
  })

  describe.each([['modify', 1], ['delete', 2], ['insert', 3], ['reorder', 4]] as const)('tampering: %s one row', (kind, seed) => {
    it(`names the first tampered entry in ${TRIALS_PER_KIND} of ${TRIALS_PER_KIND} trials`, async () => {
      const rand = new Random(20_261_123 + seed)
      const misses: string[] = []
      for (let trial = 0; trial < TRIALS_PER_KIND; trial++) {
        const file = copyOfBase()
        const expected = tamper(file, kind, rand)
        const { code, out, err } = await verify(env(file))
        const named = /^audit chain BROKEN at entry #(\d+): /.exec(out)?.[1]
        if (code !== 1 || Number(named) !== expected)
          misses.push(`trial ${trial}: expected #${expected}, got exit ${code}: ${out}${err}`)
        rmSync(file)
      }
      expect(misses).toEqual([])
    })
  })
})

const pgProblem = await postgresProblem(PG_TEST_URL)

describe('audit:verify on PostgreSQL', () => {
  it('verifies the schema IOC_DATABASE_URL and IOC_DATABASE_SCHEMA name, and finds an entry altered there', async (ctx) => {
    if (pgProblem !== undefined && !process.env.CI)
      ctx.skip(`PostgreSQL at ${redacted(PG_TEST_URL)} unreachable: ${pgProblem}`)
    const schema = `ioc_test_${randomBytes(6).toString('hex')}`
    const client = new pg.Client({ connectionString: PG_TEST_URL })
    const store = await openPostgresStore(PG_TEST_URL, { schema, auditKey: deriveKey(SECRET, 'audit') })
    try {
      for (let i = 0; i < 5; i++)
        await store.audit.append({ at: new Date(T0 + i * 1000).toISOString(), actor: null, clientIp: '10.0.0.8', action: 'workorder.dispatch', targetType: 'incident', targetId: `GD-${i}`, outcome: 'ok', after: { status: 'dispatched' } })
      const pgEnv = { IOC_DATABASE_URL: PG_TEST_URL, IOC_DATABASE_SCHEMA: schema, IOC_SECRET: SECRET }
      expect(await verify(pgEnv)).toMatchObject({ code: 0, out: expect.stringMatching(/^audit chain OK: 5 entries, head #5 [0-9a-f]{64}$/) as unknown })

      await client.connect()
      await client.query(`set search_path to "${schema}"`)
      await client.query('alter table audit_log disable trigger audit_log_no_change')
      await client.query(`update audit_log set outcome = 'denied' where seq = 3`)
      expect(await verify(pgEnv)).toMatchObject({ code: 1, out: expect.stringMatching(/^audit chain BROKEN at entry #3: /) as unknown })
    }
    finally {
      await store.close()
      await client.end().catch(() => undefined)
      const admin = new pg.Client({ connectionString: PG_TEST_URL })
      await admin.connect()
      await admin.query(`drop schema if exists "${schema}" cascade`)
      await admin.end()
    }
  })
})
