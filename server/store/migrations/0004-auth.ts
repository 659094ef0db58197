import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { dialectOf, textType } from '../dialect'

/** The hash before the first audit entry (server/auth/audit-chain.ts). */
const AUDIT_GENESIS_HASH = '0'.repeat(64)

/**
 * Who may do what (issue 5): departments (seeded from the city model at
 * start), users with roles, server-side sessions, wall display tokens, and
 * the audit log — append-only (triggers refuse UPDATE and DELETE) and
 * hash-chained, its newest hash held in the one-row `audit_head`, which
 * every append updates first so that concurrent writers queue on its lock.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  const text = textType(dialect)

  await db.schema.createTable('departments')
    .addColumn('id', text, c => c.primaryKey())
    .addColumn('name', text, c => c.notNull())
    .addColumn('name_en', text, c => c.notNull())
    .addColumn('town_code', text)
    .addColumn('active', 'integer', c => c.notNull().defaultTo(1))
    .execute()

  await db.schema.createTable('users')
    .addColumn('id', text, c => c.primaryKey())
    .addColumn('username', text, c => c.notNull().unique())
    .addColumn('display_name', text, c => c.notNull())
    .addColumn('password_hash', text, c => c.notNull())
    /** Role[] as JSON. */
    .addColumn('roles', text, c => c.notNull())
    .addColumn('department_id', text)
    .addColumn('disabled', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('must_change_password', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('failed_logins', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('locked_until', text)
    .addColumn('created_at', text, c => c.notNull())
    .addColumn('last_login_at', text)
    .execute()

  await db.schema.createTable('display_tokens')
    .addColumn('id', text, c => c.primaryKey())
    .addColumn('name', text, c => c.notNull())
    .addColumn('scene', text)
    /** SHA-256 of the token: 256 random bits need no slow hash. */
    .addColumn('secret_hash', text, c => c.notNull().unique())
    .addColumn('created_at', text, c => c.notNull())
    .addColumn('created_by', text, c => c.notNull())
    .addColumn('last_used_at', text)
    .addColumn('revoked_at', text)
    .execute()

  await db.schema.createTable('sessions')
    /** SHA-256 of the cookie's value: a copy of the table logs no one in. */
    .addColumn('id', text, c => c.primaryKey())
    .addColumn('user_id', text)
    .addColumn('display_token_id', text)
    .addColumn('csrf_token', text, c => c.notNull())
    .addColumn('created_at', text, c => c.notNull())
    .addColumn('last_seen_at', text, c => c.notNull())
    .addColumn('expires_at', text, c => c.notNull())
    .addColumn('client_ip', text)
    .execute()
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute()
  await db.schema.createIndex('sessions_display_token').on('sessions').column('display_token_id').execute()
  await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute()

  await db.schema.createTable('audit_log')
    .addColumn('seq', 'integer', c => c.primaryKey())
    .addColumn('at', text, c => c.notNull())
    .addColumn('actor_id', text)
    .addColumn('actor_name', text)
    /** The actor's roles then, as JSON. */
    .addColumn('actor_roles', text, c => c.notNull())
    .addColumn('actor_department', text)
    .addColumn('client_ip', text)
    .addColumn('action', text, c => c.notNull())
    .addColumn('target_type', text)
    .addColumn('target_id', text)
    .addColumn('outcome', text, c => c.notNull())
    .addColumn('before_json', text)
    .addColumn('after_json', text)
    .addColumn('prev_hash', text, c => c.notNull())
    .addColumn('hash', text, c => c.notNull())
    .execute()
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute()

  await db.schema.createTable('audit_head')
    .addColumn('id', 'integer', c => c.primaryKey())
    .addColumn('seq', 'integer', c => c.notNull())
    .addColumn('hash', text, c => c.notNull())
    .execute()
  await sql`insert into audit_head (id, seq, hash) values (1, 0, ${AUDIT_GENESIS_HASH})`.execute(db)

  // The log only grows, and its head only moves forward (a head wound back would hide the entries cut off after it).
  if (dialect === 'sqlite') {
    for (const op of ['update', 'delete'])
      await sql.raw(`create trigger audit_log_no_${op} before ${op} on audit_log begin select raise(abort, 'audit_log is append-only'); end`).execute(db)
    await sql.raw(`create trigger audit_head_forward before update on audit_head when new.seq < old.seq begin select raise(abort, 'audit_head only moves forward'); end`).execute(db)
    await sql.raw(`create trigger audit_head_no_delete before delete on audit_head begin select raise(abort, 'audit_head only moves forward'); end`).execute(db)
  }
  else {
    await sql.raw(`create function audit_log_append_only() returns trigger language plpgsql as $$ begin raise exception 'audit_log is append-only'; end $$`).execute(db)
    await sql.raw(`create trigger audit_log_no_change before update or delete on audit_log for each row execute function audit_log_append_only()`).execute(db)
    // Row triggers do not see TRUNCATE.
    await sql.raw(`create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_append_only()`).execute(db)
    await sql.raw(`create function audit_head_forward() returns trigger language plpgsql as $$ begin if tg_op <> 'UPDATE' or new.seq < old.seq then raise exception 'audit_head only moves forward'; end if; return new; end $$`).execute(db)
    await sql.raw(`create trigger audit_head_forward before update or delete on audit_head for each row execute function audit_head_forward()`).execute(db)
    await sql.raw(`create trigger audit_head_no_truncate before truncate on audit_head for each statement execute function audit_head_forward()`).execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['audit_head', 'audit_log', 'sessions', 'display_tokens', 'users', 'departments'])
    await db.schema.dropTable(table).ifExists().execute()
  if (dialectOf(db) === 'postgres') {
    await sql.raw('drop function if exists audit_log_append_only()').execute(db)
    await sql.raw('drop function if exists audit_head_forward()').execute(db)
  }
}
