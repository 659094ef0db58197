/**
 * Users from the command line, on the configured store (the server may be running):
 *
 *   npm run user -- list
 *   npm run user -- create zhang.wei --roles duty_officer,leader [--department dg-eco] [--name 张伟]
 *   npm run user -- reset-password zhang.wei
 *
 * A new or reset password is printed once and must be changed at first
 * sign-in. Every change is in the audit log, as done by `cli:<os user>`.
 */
import { userInfo } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Role } from '@shared/auth/policy'
import { UserCreate } from '@shared/schemas/auth'
import type { Actor } from '@server/auth/admin-service'
import { AdminError, AdminService } from '@server/auth/admin-service'
import { deriveKey, loadSecret } from '@server/auth/secrets'
import { ConfigError, loadConfig } from '@server/config'
import type { Store } from '@server/store/repositories'

export const USAGE = `usage: user <command>
  list
  create <username> --roles <${Role.options.join('|')},…> [--department <id>] [--name <display name>]
  reset-password <username>`

export interface UserCliIo { out: (line: string) => void, err: (line: string) => void, env: NodeJS.ProcessEnv }

async function openStore(env: NodeJS.ProcessEnv): Promise<Store> {
  const config = loadConfig(env)
  const secret = loadSecret(config.secret, join(dirname(config.dbFile), 'ioc.secret'))
  const options = { auditKey: deriveKey(secret, 'audit') }
  return config.databaseUrl
    ? (await import('@server/store/postgres')).openPostgresStore(config.databaseUrl, { ...options, ...(config.databaseSchema ? { schema: config.databaseSchema } : {}) })
    : (await import('@server/store/sqlite')).openSqliteStore(config.dbFile, options)
}

function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? argv[i + 1] : undefined
}

export async function runUserCli(argv: readonly string[], io: UserCliIo): Promise<number> {
  const [command, username] = argv
  if (!command || command === 'help' || argv.includes('--help')) {
    io.out(USAGE)
    return command ? 0 : 2
  }
  let store: Store | undefined
  try {
    store = await openStore(io.env)
    const admin = new AdminService(store.auth)
    const actor: Actor = { principal: { kind: 'user', userId: 'cli', username: `cli:${userInfo().username}`, roles: ['admin'], departmentId: null }, clientIp: null }
    switch (command) {
      case 'list':
        for (const u of await store.auth.users())
          io.out(`${u.username}\t${u.displayName}\t${u.roles.join(',')}\t${u.departmentId ?? '(center)'}${u.disabled ? '\tdisabled' : ''}`)
        return 0
      case 'create': {
        const input = UserCreate.safeParse({ username, displayName: flag(argv, 'name') ?? username, roles: (flag(argv, 'roles') ?? '').split(',').filter(Boolean), departmentId: flag(argv, 'department') ?? null })
        if (!input.success) {
          io.err(`error: ${input.error.issues.map(i => `${i.path.join('.')} ${i.message}`).join('; ')}\n\n${USAGE}`)
          return 2
        }
        const { user, password } = await admin.createUser(actor, input.data)
        io.out(`created ${user.username} (${user.roles.join(', ')}) with password: ${password}  (shown once; to be changed at first sign-in)`)
        return 0
      }
      case 'reset-password': {
        const held = username ? await store.auth.userByName(username) : undefined
        if (!held) {
          io.err(`error: no user ${username ?? ''}`)
          return 1
        }
        const { password } = await admin.resetPassword(actor, held.id)
        io.out(`new password for ${held.username}: ${password}  (shown once; to be changed at first sign-in; their sessions have ended)`)
        return 0
      }
      default:
        io.err(`error: unknown command ${command}\n\n${USAGE}`)
        return 2
    }
  }
  catch (err) {
    if (err instanceof AdminError || err instanceof ConfigError) {
      io.err(`error: ${err.message}`)
      return 1
    }
    throw err
  }
  finally {
    await store?.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = await runUserCli(process.argv.slice(2), { out: l => console.log(l), err: l => console.error(l), env: process.env })
