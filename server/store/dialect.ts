import type { DialectAdapter, RawBuilder } from 'kysely'
import { PostgresAdapter, sql, SqliteAdapter } from 'kysely'

/** The SQL dialects the store runs on. */
export type SqlDialect = 'sqlite' | 'postgres'

/** Tells the dialect from the adapter, so migrations and repositories keep their `(db)` signatures. */
export function dialectOf(db: { getExecutor: () => { readonly adapter: DialectAdapter } }): SqlDialect {
  const adapter = db.getExecutor().adapter
  if (adapter instanceof SqliteAdapter)
    return 'sqlite'
  if (adapter instanceof PostgresAdapter)
    return 'postgres'
  throw new Error(`the store runs on SQLite or PostgreSQL, not on ${adapter.constructor.name}`)
}

/**
 * The type of every text column. The repositories order and compare UTC ISO
 * instants as text, which SQLite does byte-wise (BINARY); on PostgreSQL the
 * database's default collation (en_US.UTF-8, say) would be free to differ, so
 * columns there are byte-ordered explicitly. SQLite keeps plain `text`: the
 * migrations that shipped must keep producing the same schema.
 */
export function textType(dialect: SqlDialect): 'text' | RawBuilder<unknown> {
  return dialect === 'postgres' ? sql`text collate "C"` : 'text'
}
