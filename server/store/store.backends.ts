/** Test support: each store implementation, opened fresh and thrown away, for the contract suite. */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { openPostgresStore } from './postgres'
import type { Store } from './repositories'
import { openSqliteStore } from './sqlite'

/** The PostgreSQL the tests use; CI runs one beside the job, like this machine. */
export const PG_TEST_URL = process.env.IOC_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const PROBE_TIMEOUT_MS = 3000

/** One open store, which can be closed and opened again over the same data (a restart), then removed with its data. */
export interface OpenedStore {
  store: Store
  restart: () => Promise<Store>
  dispose: () => Promise<void>
}

export interface Backend {
  name: 'sqlite' | 'postgres'
  open: () => Promise<OpenedStore>
}

function opened(first: Store, openAgain: () => Promise<Store>, removeData: () => Promise<void>): OpenedStore {
  let current: Store | undefined = first
  const closeCurrent = async (): Promise<void> => {
    const s = current
    current = undefined
    await s?.close()
  }
  return {
    store: first,
    async restart() {
      await closeCurrent()
      current = await openAgain()
      return current
    },
    async dispose() {
      await closeCurrent()
      await removeData()
    },
  }
}

/** A SQLite file in its own temporary directory, WAL and all, as the server runs it. */
export const sqliteBackend: Backend = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'ioc-store-'))
    const file = join(dir, 'ioc.sqlite')
    return opened(await openSqliteStore(file), () => openSqliteStore(file), () => {
      rmSync(dir, { recursive: true, force: true })
      return Promise.resolve()
    })
  },
}

/** A fresh schema per store, so parallel test files and CI jobs never meet; dropped on dispose. */
export function postgresBackend(url: string): Backend {
  return {
    name: 'postgres',
    async open() {
      const schema = `ioc_test_${randomBytes(6).toString('hex')}`
      const first = await openPostgresStore(url, { schema }).catch(async (err: unknown) => {
        await dropSchema(url, schema)
        throw err
      })
      return opened(first, () => openPostgresStore(url, { schema }), () => dropSchema(url, schema))
    },
  }
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`drop schema if exists "${schema}" cascade`)
  }
  finally {
    await client.end()
  }
}

/** Why PostgreSQL at `url` cannot be used, or undefined when it answers. */
export async function postgresProblem(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS })
  try {
    await client.connect()
    await client.query('select 1')
    return undefined
  }
  catch (err) {
    // A refused connection is an AggregateError (IPv4 and IPv6) with no message of its own.
    return err instanceof Error ? err.message || (err as NodeJS.ErrnoException).code || err.name : String(err)
  }
  finally {
    await client.end().catch(() => undefined)
  }
}

/** A URL without its password, for messages. */
export function redacted(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
}

/**
 * The backends the contract suite runs on. Without a reachable PostgreSQL the
 * postgres half is left out, loudly; under CI it stays in (and fails), and
 * `pgProblem` lets a test say why.
 */
export async function contractBackends(): Promise<{ backends: Backend[], pgProblem: string | undefined }> {
  const pgProblem = await postgresProblem(PG_TEST_URL)
  if (pgProblem !== undefined && !process.env.CI) {
    console.warn(`[store contract] PostgreSQL at ${redacted(PG_TEST_URL)} is not reachable (${pgProblem}): `
      + 'the postgres half is SKIPPED. Set IOC_TEST_DATABASE_URL to point at one; with CI set this fails.')
    return { backends: [sqliteBackend], pgProblem }
  }
  return { backends: [sqliteBackend, postgresBackend(PG_TEST_URL)], pgProblem }
}
