import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { verifyPassword } from '@server/auth/passwords'
import { deriveKey } from '@server/auth/secrets'
import { openSqliteStore } from '@server/store/sqlite'
import { runUserCli } from './user'

const dir = mkdtempSync(join(tmpdir(), 'ioc-user-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const SECRET = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4'
const env = { IOC_DB_FILE: join(dir, 'ioc.db'), IOC_SECRET: SECRET, IOC_SIMULATOR: 'false' }

async function run(...argv: string[]): Promise<{ code: number, out: string, err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await runUserCli(argv, { out: l => out.push(l), err: l => err.push(l), env })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('npm run user', () => {
  it('creates a user with a password shown once, lists them, and resets the password; all audited', async () => {
    const created = await run('create', 'zhang.wei', '--roles', 'duty_officer,leader', '--name', '张伟')
    expect(created.err).toBe('')
    expect(created.code).toBe(0)
    const password = /with password: (\S+)/.exec(created.out)?.[1] ?? ''
    expect(password).toHaveLength(16)

    expect((await run('list')).out).toContain('zhang.wei\t张伟\tduty_officer,leader\t(center)')
    const reset = await run('reset-password', 'zhang.wei')
    const next = /password for zhang.wei: (\S+)/.exec(reset.out)?.[1] ?? ''

    const store = await openSqliteStore(env.IOC_DB_FILE, { auditKey: deriveKey(SECRET, 'audit') })
    try {
      const user = await store.auth.userByName('zhang.wei')
      expect(user?.mustChangePassword).toBe(true)
      expect(await verifyPassword(user?.passwordHash ?? null, next)).toBe(true)
      expect(await verifyPassword(user?.passwordHash ?? null, password)).toBe(false)
      const entries = await store.audit.list({ limit: 10 })
      expect(entries.map(e => e.action)).toEqual(['user.reset-password', 'user.create'])
      expect(entries[0]?.actorName).toMatch(/^cli:/)
      expect((await store.audit.verify()).ok).toBe(true)
    }
    finally {
      await store.close()
    }
  })

  it('refuses what it cannot do, saying why', async () => {
    expect((await run('create', 'x', '--roles', 'king')).code).toBe(2)
    expect((await run('create', 'li.na', '--roles', 'dept_handler')).err).toContain('a department handler must belong to a department')
    expect((await run('reset-password', 'nobody')).code).toBe(1)
    expect((await run('fly')).code).toBe(2)
  })
})
