/**
 * Walks the audit chain of the configured store from its first entry to the
 * head recorded beside it (reliability.md §4.3, A1/A2):
 *
 *   npm run audit:verify
 *
 * Reads the configuration as the server does (IOC_DB_FILE or
 * IOC_DATABASE_URL, IOC_SECRET or the ioc.secret file beside the data).
 * Exit 0: the chain is whole; 1: it is broken, and the first entry that fails
 * is named; 2: it could not be checked (configuration, no key, no database).
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { GENESIS_HASH } from '@server/auth/audit-chain'
import { deriveKey, loadSecret } from '@server/auth/secrets'
import type { Config } from '@server/config'
import { ConfigError, loadConfig } from '@server/config'
import type { Store } from '@server/store/repositories'

export interface AuditVerifyIo {
  out: (line: string) => void
  err: (line: string) => void
}

/** Something in the way of checking at all: exit code 2. */
class CannotCheck extends Error {}

/** The server's audit key; never makes a secret, since a new one would only prove every entry forged. */
function auditKey(config: Config): Buffer {
  const file = join(dirname(config.dbFile), 'ioc.secret')
  if (config.secret === undefined && !existsSync(file))
    throw new CannotCheck(`the audit key is missing: no IOC_SECRET and no ${file}; set IOC_SECRET to the server's secret`)
  return deriveKey(loadSecret(config.secret, file), 'audit')
}

async function openStore(config: Config, key: Buffer): Promise<Store> {
  if (config.databaseUrl) {
    const { openPostgresStore } = await import('@server/store/postgres')
    return openPostgresStore(config.databaseUrl, { auditKey: key, ...(config.databaseSchema ? { schema: config.databaseSchema } : {}) })
  }
  // Opening a file that is not there would create an empty database, and call its empty chain whole.
  if (!existsSync(config.dbFile))
    throw new CannotCheck(`no database at ${config.dbFile} (IOC_DB_FILE)`)
  const { openSqliteStore } = await import('@server/store/sqlite')
  return openSqliteStore(config.dbFile, { auditKey: key })
}

/** Verifies the chain; resolves to the process exit code. */
export async function runAuditVerify(env: NodeJS.ProcessEnv, io: AuditVerifyIo): Promise<number> {
  let store: Store | undefined
  try {
    const config = loadConfig(env)
    store = await openStore(config, auditKey(config))
    const verdict = await store.audit.verify()
    if (verdict.ok) {
      io.out(`audit chain OK: ${verdict.checked} entries, head #${verdict.headSeq ?? 0} ${verdict.headHash ?? GENESIS_HASH}`)
      return 0
    }
    io.out(`audit chain BROKEN at entry #${verdict.brokenAt ?? '?'}: ${verdict.reason ?? 'no reason given'}`)
    return 1
  }
  catch (err) {
    io.err(`audit:verify: ${err instanceof ConfigError || err instanceof CannotCheck ? err.message : `cannot check: ${err instanceof Error ? err.message : String(err)}`}`)
    return 2
  }
  finally {
    await store?.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = await runAuditVerify(process.env, { out: l => console.log(l), err: l => console.error(l) })
